package dev.silo.tck;

import static dev.silo.tck.Bundles.process;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dist/bin/runhcs on bundles with an OCI {@code windows} section: {@code layerFolders} run on a
 * real overlay of the busybox rootfs (base) and a top layer, writing into the scratch folder;
 * {@code hyperv} fails with one line naming the HRESULT. Nothing is left in the kernel either way.
 */
class RunhcsLayersIT extends ContainerTestSupport {
  @SuppressWarnings("NullAway.Init") // set in @BeforeAll
  private static Path top;

  @BeforeAll
  static void topLayer() throws IOException {
    top = temp.resolve("layers/top");
    Files.createDirectories(top.resolve("etc"));
    Files.writeString(top.resolve("etc/greeting"), "from-top\n");
  }

  /** A bundle whose rootfs is the stack top + busybox + a fresh scratch folder. */
  private static Path layered(String id, Path scratch, boolean hyperv, String... args) {
    return bundles.bundle(
        id,
        c -> {
          c.remove("root");
          c.put("hostname", "layered");
          process(c).put("terminal", false);
          ObjectNode w = c.putObject("windows");
          ArrayNode folders = w.putArray("layerFolders");
          folders.add(top.toString()).add(bundles.rootfs().toString()).add(scratch.toString());
          if (hyperv) {
            w.putObject("hyperv");
          }
        },
        args);
  }

  private static Path scratch(String id) {
    try {
      return Files.createDirectories(temp.resolve("scratch-" + id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void runSeesTheMergedLayersAndWritesIntoScratch() throws IOException {
    KernelSnapshot before = snapshot();
    String id = newId();
    Path scratch = scratch(id);
    Path b =
        layered(
            id,
            scratch,
            false,
            "sh",
            "-c",
            "cat /etc/greeting; test -x /bin/busybox && echo base-visible; hostname;"
                + " echo written > /etc/new-file");

    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id).ok();

    assertThat(r.out().lines().toList()).containsExactly("from-top", "base-visible", "layered");
    assertThat(scratch.resolve("upper/etc/new-file")).hasContent("written");
    assertThat(bundles.rootfs().resolve("etc/new-file")).as("the base layer").doesNotExist();
    assertThat(top.resolve("etc/new-file")).as("the top layer").doesNotExist();
    assertThat(snapshot()).as("after run deleted the container").isEqualTo(before);
  }

  @Test
  void detachedLayeredContainerIsUnmountedByDelete() throws IOException {
    KernelSnapshot before = snapshot();
    String id = newId();
    Path b = layered(id, scratch(id), false, "sleep", "300");

    runDetached(id, b);
    Path rootfs = cli.root().resolve(id).resolve("rootfs");
    assertThat(mountPoints()).as("overlay while running").contains(rootfs.toString());
    cli.runhcs("delete", "--force", id).ok();

    assertThat(mountPoints()).as("overlay after delete").doesNotContain(rootfs.toString());
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void hyperVBundlePrintsTheHresultAndLeavesNothing() throws IOException {
    String id = newId();
    Path scratch = scratch(id);
    Path b = layered(id, scratch, true, "true");

    String line =
        RunhcsBadInputIT.failsCleanly(
            () -> cli.runhcs("run", "--bundle", b.toString(), id),
            "Hyper-V isolation is not available on this host",
            "HCS_E_HYPERV_NOT_INSTALLED");

    assertThat(line).doesNotContain("\n");
    try (var s = Files.list(scratch)) {
      assertThat(s.toList()).as("scratch untouched").isEmpty();
    }
  }

  private static List<String> mountPoints() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4])
        .toList();
  }
}
