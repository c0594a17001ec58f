package dev.silo.schema.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  @Test
  void matchesInstantToStringAcrossDatesAndFractions() {
    long[] seconds = {0, 1, 86_399, 951_782_400, 1_709_164_800, 1_795_000_000, 4_102_444_800L, -1};
    int[] nanos = {0, 5_000_000, 123_456_000, 123_456_789, 1};
    for (long s : seconds) {
      for (int n : nanos) {
        Instant t = Instant.ofEpochSecond(s, n);
        assertThat(Rfc3339.format(t)).isEqualTo(t.toString());
      }
    }
  }

  @Test
  void everyDayOfFourCenturiesMatches() {
    for (long day = -1000; day < 146_097; day += 7) {
      Instant t = Instant.ofEpochSecond(day * 86_400 + 3_723, 40_000_000);
      assertThat(Rfc3339.format(t)).isEqualTo(t.toString());
    }
  }

  @Test
  void nowHasTheShapeOfAnUtcTimestamp() {
    assertThat(Rfc3339.now()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  }
}
