package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up of the end-to-end classes: one temp dir, state root, busybox rootfs and id prefix
 * per class; unique container ids per test; every container a test named is force-deleted after it.
 */
abstract class ContainerTestSupport {
  @TempDir static Path temp;

  @SuppressWarnings("NullAway.Init") // set in @BeforeAll before any test runs
  static Cli cli;

  @SuppressWarnings("NullAway.Init")
  static Bundles bundles;

  @SuppressWarnings("NullAway.Init")
  static String prefix;

  private final List<String> ids = new ArrayList<>();

  @BeforeAll
  static void setUpClass() throws IOException {
    // A short random prefix keeps cgroup names unique across classes and parallel worktrees.
    prefix =
        "it-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36) + "-";
    Path scratch = Files.createDirectories(temp.resolve("scratch"));
    cli = new Cli(temp.resolve("state"), scratch);
    bundles = Bundles.create(temp, cli);
  }

  @AfterEach
  void deleteContainers() {
    for (String id : ids) {
      cli.runhcs("delete", "--force", id);
    }
    for (String id : ids) {
      assertThat(cli.root().resolve(id))
          .as("state dir of %s after delete --force", id)
          .doesNotExist();
    }
    ids.clear();
  }

  /** A fresh container id, deleted with --force after the test. */
  String newId() {
    String id =
        prefix
            + ids.size()
            + "-"
            + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    ids.add(id);
    return id;
  }

  /** The snapshot of what belongs to this class in the kernel. */
  static KernelSnapshot snapshot() {
    return KernelSnapshot.take(cli.root(), prefix, temp, bundles.rootfs());
  }

  /** {@code runhcs state ID}'s status field. */
  static String status(String id) {
    Cli.Result r = cli.runhcs("state", id).ok();
    try {
      return Bundles.JSON.readTree(r.out()).get("status").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code runhcs state ID} reports {@code want}. */
  static void awaitStatus(String id, String want) {
    Poll.until(
        id + " to be " + want,
        Poll.DEFAULT,
        () -> want.equals(status(id)),
        () -> "(is " + status(id) + ")");
  }

  /** Creates and starts {@code id} from {@code bundle} detached; returns its init pid. */
  static long runDetached(String id, Path bundle) {
    cli.runhcs("run", "-d", "--bundle", bundle.toString(), id).ok();
    return pid(id);
  }

  /** Asserts that {@code pid} has ended: gone, or a zombie its parent has not reaped yet. */
  static void assertDead(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    String state;
    try {
      state =
          Files.readAllLines(status).stream()
              .filter(l -> l.startsWith("State:"))
              .findFirst()
              .orElse("");
    } catch (IOException e) {
      return; // gone
    }
    assertThat(state).as("process %d after its container ended", pid).contains("Z");
  }

  /** The init pid {@code runhcs state} reports. */
  static long pid(String id) {
    try {
      return Bundles.JSON.readTree(cli.runhcs("state", id).ok().out()).get("pid").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
