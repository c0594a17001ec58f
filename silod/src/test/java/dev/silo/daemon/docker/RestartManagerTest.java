package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** dockerd's restart manager: the backoff sequence (on a clock the test moves) and the policies. */
class RestartManagerTest {
  /** A clock that only moves when the test says so. */
  private static final class TestClock implements InstantSource {
    Instant now = Instant.parse("2026-12-07T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final TestClock clock = new TestClock();

  private RestartManager manager(String name, int max) {
    return new RestartManager(new RestartManager.Policy(name, max), 0, clock);
  }

  /** A run of {@code ran} that exits with {@code code}: the decision the manager makes. */
  private Optional<Duration> run(RestartManager m, Duration ran, int code, boolean stopped) {
    Instant started = clock.instant();
    clock.advance(ran);
    return m.shouldRestart(code, stopped, started);
  }

  private static Duration ms(long v) {
    return Duration.ofMillis(v);
  }

  @Test
  void theDelayStartsAt100MsDoublesAndStopsAtAMinute() {
    RestartManager m = manager("always", 0);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      delays.add(run(m, ms(50), 1, false).orElseThrow());
      clock.advance(delays.getLast()); // the wait itself
    }
    assertThat(delays)
        .containsExactly(
            ms(100), ms(200), ms(400), ms(800), ms(1600), ms(3200), ms(6400), ms(12800), ms(25600),
            ms(51200), ms(60000), ms(60000), ms(60000), ms(60000));
    assertThat(m.restartCount()).isEqualTo(14);
  }

  @Test
  void aRunOfTenSecondsStartsTheSequenceAgain() {
    RestartManager m = manager("always", 0);
    run(m, ms(10), 1, false);
    run(m, ms(10), 1, false);
    assertThat(run(m, ms(10), 1, false)).contains(ms(400));
    assertThat(run(m, Duration.ofMillis(9999), 1, false))
        .as("9.999 s is not enough")
        .contains(ms(800));
    assertThat(run(m, Duration.ofSeconds(10), 1, false)).contains(ms(100));
    assertThat(run(m, ms(10), 1, false)).contains(ms(200));
  }

  @Test
  void onFailureRestartsNonZeroExitsUpToItsMaximum() {
    RestartManager m = manager("on-failure", 2);
    assertThat(run(m, ms(1), 0, false)).as("exit 0").isEmpty();
    assertThat(run(m, ms(1), 3, false)).isPresent();
    assertThat(run(m, ms(1), 3, false)).isPresent();
    assertThat(run(m, ms(1), 3, false)).as("the third failure: the maximum is 2").isEmpty();
    assertThat(m.restartCount()).isEqualTo(2);

    RestartManager counted =
        new RestartManager(new RestartManager.Policy("on-failure", 2), 2, clock);
    assertThat(run(counted, ms(1), 1, false))
        .as("restarts before a daemon restart count (the record's RestartCount)")
        .isEmpty();
    assertThat(run(manager("on-failure", 0), ms(1), 1, false)).as("0: no maximum").isPresent();
  }

  @Test
  void alwaysIgnoresAManualStopAndUnlessStoppedHonoursIt() {
    assertThat(run(manager("always", 0), ms(1), 0, true)).isPresent();
    assertThat(run(manager("unless-stopped", 0), ms(1), 0, false)).isPresent();
    assertThat(run(manager("unless-stopped", 0), ms(1), 0, true)).isEmpty();
  }

  @Test
  void noPolicyAndACanceledManagerNeverRestart() {
    assertThat(run(manager("no", 0), ms(1), 1, false)).isEmpty();
    assertThat(run(manager("", 0), ms(1), 1, false)).isEmpty();
    RestartManager m = manager("always", 0);
    m.cancel();
    assertThat(m.canceled()).isTrue();
    assertThat(run(m, ms(1), 1, false)).isEmpty();
    assertThat(m.restartCount()).isZero();
  }

  @Test
  void badPoliciesAreRefusedInDockerdsWords() {
    assertThat(RestartManager.invalid(hostConfig("always", 0, false))).isNull();
    assertThat(RestartManager.invalid(hostConfig("on-failure", 5, false))).isNull();
    assertThat(RestartManager.invalid(hostConfig("no", 0, true))).isNull();
    assertThat(RestartManager.invalid(hostConfig("sometimes", 0, false)))
        .isEqualTo(
            "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always',"
                + " 'on-failure', or 'unless-stopped'");
    assertThat(RestartManager.invalid(hostConfig("always", 3, false)))
        .isEqualTo(
            "invalid restart policy: maximum retry count can only be used with 'on-failure'");
    assertThat(RestartManager.invalid(hostConfig("no", -1, false)))
        .isEqualTo(
            "invalid restart policy: maximum retry count can only be used with 'on-failure' and"
                + " cannot be negative");
    assertThat(RestartManager.invalid(hostConfig("on-failure", -1, false)))
        .isEqualTo("invalid restart policy: maximum retry count cannot be negative");
    assertThat(RestartManager.invalid(hostConfig("always", 0, true)))
        .isEqualTo("can't create 'AutoRemove' container with restart policy");
  }

  private static com.fasterxml.jackson.databind.JsonNode hostConfig(
      String name, int max, boolean autoRemove) {
    var hc = Json.object().put("AutoRemove", autoRemove);
    hc.putObject("RestartPolicy").put("Name", name).put("MaximumRetryCount", max);
    return hc;
  }

  @Test
  void thePolicyIsReadFromHostConfig() {
    var hc = Json.object();
    hc.putObject("RestartPolicy").put("Name", "on-failure").put("MaximumRetryCount", 3);
    assertThat(RestartManager.Policy.of(hc)).isEqualTo(new RestartManager.Policy("on-failure", 3));
    assertThat(RestartManager.Policy.of(Json.object()).isNone()).isTrue();
  }
}
