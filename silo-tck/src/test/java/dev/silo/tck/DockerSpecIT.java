package dev.silo.tck;

import static dev.silo.tck.Bundles.linux;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What dockerd 20.10 puts in config.json, reduced to the parts that broke runhcs: zero resource
 * values meaning "not set", and a prestart hook whose argv[0] differs from its path.
 */
class DockerSpecIT extends ContainerTestSupport {
  @Test
  void zeroCpuSharesBlkioWeightAndMemoryMeanUnset() {
    String id = newId();
    Path b =
        bundles.bundle(
            id,
            c -> {
              ObjectNode res = linux(c).putObject("resources");
              res.putObject("memory").put("limit", 0).put("swap", 0).put("disableOOMKiller", false);
              res.putObject("cpu").put("shares", 0).put("quota", 0).put("period", 0);
              res.putObject("blockIO").put("weight", 0);
            },
            "sh",
            "-c",
            "echo done");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).endsWith("done\n");
  }

  @Test
  void prestartHookRunsWithArgsZeroAsArgvZero() throws Exception {
    String id = newId();
    Path out = temp.resolve(id + ".argv0");
    Path b =
        bundles.bundle(
            id,
            c ->
                c.putObject("hooks")
                    .putArray("prestart")
                    .addObject()
                    .put("path", "/bin/sh")
                    .set(
                        "args",
                        Bundles.JSON
                            .createArrayNode()
                            .add("libnetwork-setkey")
                            .add("-c")
                            .add("tr '\\0' ' ' < /proc/$$/cmdline > " + out)),
            "true");
    cli.runhcs("run", "--bundle", b.toString(), id).ok();
    assertThat(Files.readString(out)).startsWith("libnetwork-setkey -c ");
  }

  @Test
  void failingPrestartHookFailsCreatePromptlyAndLeavesNothing() {
    String id = newId();
    Path b =
        bundles.bundle(
            id,
            c ->
                c.putObject("hooks")
                    .putArray("prestart")
                    .addObject()
                    .put("path", "/bin/sh")
                    .set("args", Bundles.JSON.createArrayNode().add("sh").add("-c").add("exit 5")),
            "true");
    KernelSnapshot before = snapshot();
    // Cli times out after 30 s: create used to hang for ever, its helper waiting at HOOKS.
    String line = cli.runhcs("create", "--bundle", b.toString(), id).failsWithOneLine();
    assertThat(line).contains("error running prestart hook #0").contains("exit status 5");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(cli.root().resolve(id)).doesNotExist();
  }
}
