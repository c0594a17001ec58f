package dev.silo.tck;

import static dev.silo.tck.Bundles.process;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input to dist/bin/runhcs: every case exits 1 with one stderr line naming the problem and
 * leaves state root, cgroups, mounts and processes exactly as they were.
 */
class RunhcsBadInputIT extends ContainerTestSupport {
  /**
   * Runs {@code call}, asserts the one-line failure naming {@code words} and an unchanged kernel.
   */
  static String failsCleanly(Supplier<Cli.Result> call, String... words) {
    KernelSnapshot before = snapshot();
    String line = call.get().failsWithOneLine();
    assertThat(line).contains(words);
    assertThat(snapshot()).as("kernel objects after: %s", line).isEqualTo(before);
    return line;
  }

  Cli.Result create(String id, Path bundle) {
    return cli.runhcs("create", "--bundle", bundle.toString(), id);
  }

  @Test
  void malformedConfigNamesLineAndColumn() {
    String id = newId();
    Path b = bundles.bundleWithText(id, "{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {,\n}\n");
    failsCleanly(() -> create(id, b), "config.json", "line 3", "column 15");
  }

  @Test
  void argsAsAStringIsRejected() {
    String id = newId();
    Path b = bundles.bundle(id, c -> process(c).put("args", "sh"));
    failsCleanly(() -> create(id, b), "config.json", "process.args", "array");
  }

  @Test
  void aNumberWhereAStringBelongsIsRejected() {
    String id = newId();
    Path b = bundles.bundle(id, c -> c.put("hostname", 5), "true");
    failsCleanly(() -> create(id, b), "config.json", "hostname", "string");
  }

  @Test
  void missingRootfsIsNamed() {
    String id = newId();
    Path b =
        bundles.bundle(id, c -> ((ObjectNode) c.get("root")).put("path", "no-such-rootfs"), "true");
    failsCleanly(() -> create(id, b), "rootfs", "no-such-rootfs", "does not exist");
  }

  @Test
  void missingBundleDirIsNamed() {
    String id = newId();
    Path missing = temp.resolve("no-such-bundle");
    failsCleanly(() -> create(id, missing), "bundle", missing.toString(), "does not exist");
  }

  @Test
  void duplicateIdLeavesTheFirstContainerUntouched() {
    String id = newId();
    create(id, bundles.bundle(id, "sleep", "1000")).ok();
    long pid = pid(id);
    failsCleanly(() -> create(id, bundles.bundle(id + "-again", "sleep", "1000")), id, "exists");
    assertThat(status(id)).isEqualTo("created");
    assertThat(pid(id)).isEqualTo(pid);
    cli.runhcs("start", id).ok();
    assertThat(status(id)).isEqualTo("running");
  }

  @ParameterizedTest
  @ValueSource(strings = {"state", "start", "kill", "delete", "pause", "resume", "exec"})
  void unknownIdIsReported(String verb) {
    String id = prefix + "unknown-" + verb;
    Supplier<Cli.Result> call =
        verb.equals("exec") ? () -> cli.runhcs(verb, id, "true") : () -> cli.runhcs(verb, id);
    failsCleanly(call, "container does not exist");
  }

  @Test
  void unknownSignalIsReportedAndTheContainerKeepsRunning() {
    String id = newId();
    runDetached(id, bundles.bundle(id, "sleep", "1000"));
    failsCleanly(() -> cli.runhcs("kill", id, "SIGNOPE"), "unknown signal", "SIGNOPE");
    failsCleanly(() -> cli.runhcs("kill", id, "99"), "unknown signal", "99");
    assertThat(status(id)).isEqualTo("running");
  }

  @Test
  void callsInTheWrongStateAreRefused() {
    String id = newId();
    runDetached(id, bundles.bundle(id, "sleep", "1000"));
    failsCleanly(() -> cli.runhcs("start", id), "already running");
    failsCleanly(() -> cli.runhcs("resume", id), "not paused");
    failsCleanly(() -> cli.runhcs("delete", id), "cannot delete", id, "not stopped");
    assertThat(status(id)).isEqualTo("running");
    cli.runhcs("kill", id, "KILL").ok();
    awaitStatus(id, "stopped");
    failsCleanly(() -> cli.runhcs("pause", id), "container not running");
    failsCleanly(() -> cli.runhcs("kill", id), "container not running");
    assertThat(status(id)).isEqualTo("stopped");
  }

  @Test
  void unwritableRootIsNamed() throws IOException {
    Path file = Files.writeString(temp.resolve(prefix + "regular-file"), "x");
    Path root = file.resolve("state");
    String id = newId();
    Path b = bundles.bundle(id, "true");
    failsCleanly(
        () ->
            cli.runhcsRaw(temp, "--root", root.toString(), "create", "--bundle", b.toString(), id),
        "state root",
        root.toString());
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void hyperVIsolationIsNotAvailable() throws IOException {
    String id = newId();
    Path log = temp.resolve(id + ".log.json");
    Path b =
        bundles.bundle(
            id,
            c -> {
              c.remove("root");
              ObjectNode w = c.putObject("windows");
              w.putArray("layerFolders").add(bundles.rootfs().toString());
              w.putObject("hyperv");
            },
            "true");
    failsCleanly(
        () ->
            cli.runhcs(
                "--log",
                log.toString(),
                "--log-format",
                "json",
                "create",
                "--bundle",
                b.toString(),
                id),
        "Hyper-V",
        "not available");
    JsonNode line = Bundles.JSON.readTree(Files.readAllLines(log).getLast());
    assertThat(line.get("level").asText()).isEqualTo("error");
    assertThat(line.get("msg").asText()).contains("Hyper-V");
  }

  @Test
  void execOfAMissingBinaryFailsAndLeavesTheContainerRunning() {
    String id = newId();
    long pid = runDetached(id, bundles.bundle(id, "sleep", "1000"));
    KernelSnapshot before = snapshot();
    Cli.Result r = cli.runhcs("exec", id, "/no-such-binary");
    assertThat(r.code()).as(r.toString()).isNotZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(status(id)).isEqualTo("running");
    assertThat(RunhcsLifecycleIT.psPids(id)).containsExactly(pid);
  }

  @Test
  void missingMountSourceIsNamed() {
    String id = newId();
    Path missing = temp.resolve("no-such-source");
    Path b =
        bundles.bundle(
            id,
            c -> {
              ObjectNode m =
                  ((com.fasterxml.jackson.databind.node.ArrayNode) c.get("mounts")).addObject();
              m.put("destination", "/mnt").put("type", "bind").put("source", missing.toString());
              m.putArray("options").add("rbind");
            },
            "true");
    failsCleanly(() -> create(id, b), "mounts", missing.toString(), "does not exist");
  }
}
