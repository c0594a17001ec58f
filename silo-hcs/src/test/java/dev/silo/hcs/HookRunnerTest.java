package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HcsException;
import dev.silo.schema.oci.Hooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks run with the OCI argv (args[0] included) and the state JSON on stdin. */
class HookRunnerTest {
  @TempDir Path temp;

  @Test
  void hookGetsArgsZeroAsItsArgvZero() throws Exception {
    // dockerd's prestart hook is /proc/<dockerd>/exe with argv[0] "libnetwork-setkey": a
    // multi-call binary that only works when argv[0] is the one the spec names.
    Path out = temp.resolve("cmdline");
    Hooks.Hook h =
        new Hooks.Hook(
            "/bin/sh",
            List.of("libnetwork-setkey", "-c", "tr '\\0' ' ' < /proc/$$/cmdline > " + out),
            List.of(),
            10);

    HookRunner.run("create", "c1", "prestart", List.of(h), state(), null, null);

    assertThat(Files.readString(out)).startsWith("libnetwork-setkey -c ");
  }

  @Test
  void hookWhoseArgsZeroIsItsPathRunsDirectlyAndReadsTheState() throws Exception {
    Path out = temp.resolve("state.json");
    Hooks.Hook h =
        new Hooks.Hook("/bin/sh", List.of("/bin/sh", "-c", "cat > " + out), List.of(), 10);

    HookRunner.run("create", "c1", "prestart", List.of(h), state(), null, null);

    assertThat(Files.readString(out)).contains("\"id\":\"c1\"").contains("\"status\":\"creating\"");
  }

  @Test
  void failingHookNamesItsKindIndexAndExitStatus() throws IOException {
    Hooks.Hook h = new Hooks.Hook("/bin/sh", List.of("hook", "-c", "exit 3"), List.of(), 10);

    assertThatThrownBy(
            () -> HookRunner.run("create", "c1", "prestart", List.of(h), state(), null, null))
        .isInstanceOf(HcsException.class)
        .hasMessageContaining("error running prestart hook #0 (/bin/sh): exit status 3");
  }

  private static Map<String, Object> state() {
    return HookRunner.state("c1", "creating", 1, "/b", Map.of());
  }
}
