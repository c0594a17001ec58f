package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.linux.cgroup.CgroupDriver;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;

/**
 * A busybox bundle and a state root for the real-kernel tests of the HCS handle API, and the checks
 * that nothing is left behind (cgroup, state directory, processes).
 */
final class HcsFixture implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final Path base;
  final Path bundle;
  final Path root;
  final ComputeService service;
  final LocalHcs hcs;
  private final List<String> ids = new ArrayList<>();
  private final List<Integer> initPids = new ArrayList<>();

  HcsFixture() throws IOException, InterruptedException, HcsException {
    base = BusyboxRootfs.tempBase("silo-hcsapi-it");
    bundle = Files.createDirectories(base.resolve("bundle"));
    BusyboxRootfs.make(bundle.resolve("rootfs"));
    root = Files.createDirectories(base.resolve("root"));
    service = ComputeService.open(root);
    hcs = LocalHcs.over(service);
  }

  String newId() {
    String id = "silo-hcsapi-" + UUID.randomUUID().toString().substring(0, 8);
    ids.add(id);
    return id;
  }

  /** Creates a system whose init runs {@code args}. */
  ComputeSystem create(String id, boolean terminateOnClose, String... args) throws HcsException {
    ComputeSystem cs =
        hcs.create(CreateRequest.of(id, bundle, specRunning(args)), terminateOnClose);
    initPids.add(service.state(id).pid());
    return cs;
  }

  /**
   * Creates a system the HcsCreateComputeSystem way: from the schema v2 document that {@link
   * OciToHcs} makes of the bundle with an init running {@code args}.
   */
  ComputeSystem createFromDocument(String id, String... args) throws HcsException {
    dev.silo.schema.hcs.ComputeSystem doc =
        OciToHcs.translate(id, bundle, specRunning(args), "silo-test");
    ComputeSystem cs = hcs.create(id, doc);
    initPids.add(service.state(id).pid());
    return cs;
  }

  private Spec specRunning(String... args) {
    Spec spec = OciSpecs.defaultSpec();
    Process p = Objects.requireNonNull(spec.process());
    Process process =
        new Process(
            false,
            null,
            p.user(),
            List.of(args),
            null,
            p.env(),
            p.cwd(),
            p.capabilities(),
            p.rlimits(),
            p.noNewPrivileges(),
            null,
            null,
            null,
            null,
            null);
    return spec.withProcess(process);
  }

  boolean cgroupExists(String id) {
    try {
      return CgroupDriver.detect().open("", id).exists();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Asserts that a system is wholly gone: no cgroup, no state, no live init. */
  void assertGone(String id, int initPid) {
    assertThat(cgroupExists(id)).as("cgroup of " + id).isFalse();
    assertThat(root.resolve(id)).as("state dir of " + id).doesNotExist();
    assertThat(Files.exists(Path.of("/proc/" + initPid + "/stat")) && !zombie(initPid))
        .as("init " + initPid + " alive")
        .isFalse();
  }

  private static boolean zombie(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  static void poll(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Waits until {@code pid} has a handler for {@code signal}: a signal from outside its pid
   * namespace reaches a namespace init only then, so a shutdown sent before a shell ran its {@code
   * trap} would be dropped.
   */
  static void awaitHandler(int pid, int signal) {
    poll(
        () -> {
          try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
              if (line.startsWith("SigCgt:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16)
                        & (1L << (signal - 1)))
                    != 0;
              }
            }
            return false;
          } catch (IOException e) {
            return false;
          }
        },
        "a handler for signal " + signal + " in pid " + pid);
  }

  static void assertHResult(Executable call, HResult expected) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            HcsException.class, e -> assertThat(e.hresult()).isEqualTo(expected));
  }

  /** Removes whatever a test left and fails if anything had to be removed by force. */
  @Override
  public void close() throws IOException {
    List<String> left = new ArrayList<>();
    for (String id : ids) {
      if (Files.exists(root.resolve(id))) {
        left.add(id);
        try {
          service.delete(id, true);
        } catch (HcsException e) {
          left.add(id + ": " + e.getMessage());
        }
      }
      if (cgroupExists(id)) {
        left.add(id + ": cgroup");
      }
    }
    BusyboxRootfs.delete(base);
    assertThat(left).as("systems left behind").isEmpty();
    for (int pid : initPids) {
      poll(() -> !Files.exists(Path.of("/proc/" + pid + "/stat")) || zombie(pid), "init " + pid);
    }
  }
}
