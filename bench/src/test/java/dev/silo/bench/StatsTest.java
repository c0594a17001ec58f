package dev.silo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void oddCountTakesTheMiddleSampleWhateverTheOrder() {
    Stats s = Stats.of(List.of(5.0, 1.0, 3.0));
    assertThat(s).isEqualTo(new Stats(3, 1.0, 3.0, 5.0, 5.0));
  }

  @Test
  void evenCountAveragesTheTwoMiddleSamples() {
    assertThat(Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
  }

  @Test
  void p90IsTheNearestRank() {
    List<Double> twenty = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      twenty.add((double) i);
    }
    Collections.shuffle(twenty);
    Stats s = Stats.of(twenty);
    assertThat(s.p90()).isEqualTo(18.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(20.0);
    assertThat(s.median()).isEqualTo(10.5);
    assertThat(Stats.of(List.of(7.0)).p90()).isEqualTo(7.0);
  }

  @Test
  void noSamplesIsAnError() {
    assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
