package dev.silo.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {
  @Test
  void argvIsTheDocumentedCommandLine() {
    MonitorConfig c =
        new MonitorConfig(
            Path.of("/run/s/c1"), Path.of("/run/s/c1/c1-json.log"), 4096, 3, true, true);
    assertThat(c.argv(Path.of("/x/silo-monitor"), Path.of("/x/silo-init"), 3))
        .containsExactly(
            "/x/silo-monitor",
            "--sync-fd",
            "3",
            "--dir",
            "/run/s/c1",
            "--init",
            "/x/silo-init",
            "--log",
            "/run/s/c1/c1-json.log",
            "--log-max-size",
            "4096",
            "--log-max-file",
            "3",
            "--tty",
            "--stdin");
    assertThat(c.consoleSocket()).isEqualTo(Path.of("/run/s/c1/console.sock"));
    assertThat(c.attachSocket()).isEqualTo(Path.of("/run/s/c1/attach.sock"));
    MonitorConfig plain = new MonitorConfig(Path.of("/d"), Path.of("/d/l"), 0, 1, false, false);
    assertThat(plain.argv(Path.of("m"), Path.of("i"), 3)).doesNotContain("--tty", "--stdin");
  }

  @Test
  void badLogLimitsAreRefused() {
    assertThatThrownBy(() -> new MonitorConfig(Path.of("/d"), Path.of("/d/l"), -1, 1, false, false))
        .hasMessageContaining("max-size");
    assertThatThrownBy(() -> new MonitorConfig(Path.of("/d"), Path.of("/d/l"), 0, 0, false, false))
        .hasMessageContaining("max-file");
  }
}
