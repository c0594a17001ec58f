package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogOptionsTest {
  @Test
  void parsesDockersLogOpts() {
    assertThat(LogOptions.parse(Map.of("max-size", "10m", "max-file", "3")))
        .isEqualTo(new LogOptions(10L << 20, 3));
    assertThat(LogOptions.parse(Map.of("max-size", "512k")))
        .isEqualTo(new LogOptions(512 * 1024, 1));
    assertThat(LogOptions.parse(Map.of("max-size", "1g"))).isEqualTo(new LogOptions(1L << 30, 1));
    assertThat(LogOptions.parse(Map.of("max-size", "100"))).isEqualTo(new LogOptions(100, 1));
    assertThat(LogOptions.parse(Map.of())).isEqualTo(LogOptions.DEFAULT);
  }

  @Test
  void rejectsWhatDockerRejects() {
    assertThatThrownBy(() -> LogOptions.parse(Map.of("max-file", "3")))
        .hasMessage("max-file cannot be set without max-size");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("max-size", "ten")))
        .hasMessage("max-size: invalid size: 'ten'");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("max-size", "1m", "max-file", "0")))
        .hasMessage("max-file: must be a positive number: '0'");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("compress", "true")))
        .hasMessage("unknown log opt 'compress' for json-file log driver");
  }
}
