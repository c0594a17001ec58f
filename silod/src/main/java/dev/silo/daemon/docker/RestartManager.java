package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One container's restart policy as dockerd's restart manager applies it: whether an exit is
 * followed by a restart, and after how long. The first restart waits 100 ms, each further one twice
 * as long as the last, at most a minute; a run of at least 10 s starts the sequence again. {@code
 * always} restarts after every exit, {@code unless-stopped} unless the user stopped the container,
 * {@code on-failure[:N]} after a non-zero exit (at most N times). A stop or a kill by the user
 * cancels the manager for good; a start by the user replaces it.
 */
final class RestartManager {
  static final Duration FIRST_DELAY = Duration.ofMillis(100);
  static final Duration MAX_DELAY = Duration.ofMinutes(1);
  static final Duration RESET_AFTER = Duration.ofSeconds(10);

  /** HostConfig.RestartPolicy: {@code Name} and {@code MaximumRetryCount}. */
  record Policy(String name, int maximumRetryCount) {
    static Policy of(JsonNode hostConfig) {
      JsonNode p = hostConfig.path("RestartPolicy");
      return new Policy(p.path("Name").asText(""), p.path("MaximumRetryCount").asInt(0));
    }

    boolean isNone() {
      return name.isEmpty() || name.equals("no");
    }
  }

  /**
   * What is wrong with a create body's restart policy, in dockerd's words (ValidateRestartPolicy
   * and validateHostConfig), or null.
   */
  static @Nullable String invalid(JsonNode hostConfig) {
    Policy p = Policy.of(hostConfig);
    int max = p.maximumRetryCount();
    String msg =
        switch (p.name()) {
          case "", "no", "always", "unless-stopped" ->
              max == 0 || p.name().isEmpty()
                  ? null
                  : "invalid restart policy: maximum retry count can only be used with 'on-failure'"
                      + (max < 0 ? " and cannot be negative" : "");
          case "on-failure" ->
              max < 0 ? "invalid restart policy: maximum retry count cannot be negative" : null;
          default ->
              "invalid restart policy: unknown policy '"
                  + p.name()
                  + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'";
        };
    if (msg == null && hostConfig.path("AutoRemove").asBoolean(false) && !p.isNone()) {
      msg = "can't create 'AutoRemove' container with restart policy";
    }
    return msg;
  }

  private final Policy policy;
  private final InstantSource clock;
  private int restartCount;
  private Duration delay = Duration.ZERO;
  private boolean canceled;

  /**
   * @param restartCount the restarts so far (the container's RestartCount), for {@code
   *     on-failure:N}
   */
  RestartManager(Policy policy, int restartCount, InstantSource clock) {
    this.policy = policy;
    this.restartCount = restartCount;
    this.clock = clock;
  }

  /**
   * After an exit: the time to wait before the restart, or empty when the policy does not restart
   * (or the manager was canceled).
   *
   * @param manuallyStopped the user stopped or killed the container (HasBeenManuallyStopped)
   * @param startedAt when the run that exited started
   */
  synchronized Optional<Duration> shouldRestart(
      int exitCode, boolean manuallyStopped, Instant startedAt) {
    if (policy.isNone() || canceled) {
      return Optional.empty();
    }
    if (Duration.between(startedAt, clock.instant()).compareTo(RESET_AFTER) >= 0) {
      delay = Duration.ZERO;
    }
    if (delay.isZero()) {
      delay = FIRST_DELAY;
    } else if (delay.compareTo(MAX_DELAY) < 0) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(MAX_DELAY) > 0) {
      delay = MAX_DELAY;
    }
    int max = policy.maximumRetryCount();
    boolean restart =
        switch (policy.name()) {
          case "always" -> true;
          case "unless-stopped" -> !manuallyStopped;
          case "on-failure" -> exitCode != 0 && (max == 0 || restartCount < max);
          default -> false;
        };
    if (!restart) {
      return Optional.empty();
    }
    restartCount++;
    return Optional.of(delay);
  }

  /** No restart from now on (a stop or kill by the user, a removal). */
  synchronized void cancel() {
    canceled = true;
  }

  synchronized boolean canceled() {
    return canceled;
  }

  synchronized int restartCount() {
    return restartCount;
  }
}
