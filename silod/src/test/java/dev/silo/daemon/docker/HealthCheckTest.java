package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
  private static HealthCheck check(String s) throws Exception {
    HealthCheck h = HealthCheck.of(json(s));
    assertThat(h).isNotNull();
    return java.util.Objects.requireNonNull(h);
  }

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void cmdShellRunsUnderShAndZeroFieldsTakeDockerdsDefaults() throws Exception {
    HealthCheck h = check("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"]}}");
    assertThat(h.command()).containsExactly("/bin/sh", "-c", "true");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(h.startPeriod()).isZero();
    assertThat(h.startInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(h.retries()).isEqualTo(3);
  }

  @Test
  void cmdRunsAsIsWithTheGivenTimings() throws Exception {
    HealthCheck h =
        check(
            "{\"Healthcheck\":{\"Test\":[\"CMD\",\"cat\",\"/x\"],\"Interval\":1000000000,"
                + "\"Timeout\":500000000,\"StartPeriod\":2000000000,\"Retries\":2}}");
    assertThat(h.command()).containsExactly("cat", "/x");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(h.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(h.startPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(h.retries()).isEqualTo(2);
  }

  @Test
  void noneAnUnknownTypeOrNoCheckDisableIt() throws Exception {
    assertThat(HealthCheck.of(json("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}"))).isNull();
    assertThat(HealthCheck.of(json("{\"Healthcheck\":{\"Test\":[\"HTTP\",\"x\"]}}"))).isNull();
    assertThat(HealthCheck.of(json("{}"))).isNull();
  }

  @Test
  void theImagesCheckIsMergedAsDockerdMergesIt() throws Exception {
    JsonNode image =
        json("{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":7,\"Retries\":9}}");
    assertThat(HealthCheck.withImageCheck(json("{\"Image\":\"x\"}"), image).get("Healthcheck"))
        .isEqualTo(image.get("Healthcheck"));
    JsonNode mine =
        HealthCheck.withImageCheck(json("{\"Healthcheck\":{\"Interval\":5,\"Test\":[]}}"), image)
            .get("Healthcheck");
    assertThat(mine.get("Test").get(1).asText()).isEqualTo("true");
    assertThat(mine.get("Interval").asLong()).isEqualTo(5);
    assertThat(mine.get("Retries").asInt()).isEqualTo(9);
    JsonNode none =
        HealthCheck.withImageCheck(json("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}"), image);
    assertThat(HealthCheck.of(none)).isNull();
  }

  @Test
  void tooShortDurationsAndNegativeRetriesAreRefusedWithDockerdsMessages() throws Exception {
    assertThat(HealthCheck.invalid(json("{\"Healthcheck\":{\"Interval\":999999}}")))
        .isEqualTo("Interval in Healthcheck cannot be less than 1ms");
    assertThat(HealthCheck.invalid(json("{\"Healthcheck\":{\"Timeout\":-1}}")))
        .isEqualTo("Timeout in Healthcheck cannot be less than 1ms");
    assertThat(HealthCheck.invalid(json("{\"Healthcheck\":{\"Retries\":-1}}")))
        .isEqualTo("Retries in Healthcheck cannot be negative");
    assertThat(HealthCheck.invalid(json("{\"Healthcheck\":{\"Interval\":1000000}}"))).isNull();
  }

  @Test
  void durationsPrintAsGoPrintsThem() {
    for (var c :
        List.of(
            List.of(Duration.ofSeconds(1), "1s"),
            List.of(Duration.ofMillis(500), "500ms"),
            List.of(Duration.ofMillis(2500), "2.5s"),
            List.of(Duration.ofSeconds(90), "1m30s"),
            List.of(Duration.ofHours(1), "1h0m0s"))) {
      assertThat(HealthCheck.goDuration((Duration) c.get(0))).isEqualTo(c.get(1));
    }
  }
}
