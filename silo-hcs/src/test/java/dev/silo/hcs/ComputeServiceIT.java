package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.linux.cgroup.CgroupDriver;
import dev.silo.schema.hcs.ProcessDetails;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.State;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The in-process HCS API on the real kernel, as root: a busybox container through its whole state
 * machine (Created → Running ⇄ Paused → Stopped → deleted) and the HRESULTs of the invalid calls.
 */
class ComputeServiceIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static Path base;
  private static Path bundle;

  private ComputeService hcs;
  private final List<String> ids = new ArrayList<>();

  @BeforeAll
  static void buildBundle() throws IOException, InterruptedException {
    base = BusyboxRootfs.tempBase("silo-hcs-it");
    bundle = Files.createDirectories(base.resolve("bundle"));
    BusyboxRootfs.make(bundle.resolve("rootfs"));
  }

  @AfterAll
  static void removeBundle() throws IOException {
    if (base != null) {
      BusyboxRootfs.delete(base);
    }
  }

  @BeforeEach
  void openService() throws IOException, HcsException {
    hcs = ComputeService.open(Files.createTempDirectory(base, "root"));
  }

  @AfterEach
  void deleteContainers() throws IOException {
    List<String> left = new ArrayList<>();
    for (String id : ids) {
      try {
        hcs.delete(id, true);
      } catch (HcsException e) {
        left.add(id + ": " + e.getMessage());
      }
      if (cgroupExists(id)) {
        left.add(id + ": cgroup still exists");
      }
    }
    assertThat(left).as("containers left behind").isEmpty();
  }

  /** A fresh id, registered for clean-up. */
  private String newId() {
    String id = "silo-hcs-it-" + UUID.randomUUID().toString().substring(0, 8);
    ids.add(id);
    return id;
  }

  private static Spec spec(List<String> args) {
    Spec spec = OciSpecs.defaultSpec();
    Process p = Objects.requireNonNull(spec.process());
    return spec.withProcess(process(p, args));
  }

  private static Process process(Process p, List<String> args) {
    return new Process(
        false,
        null,
        p.user(),
        args,
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
  }

  private void create(String id) throws HcsException {
    assertThat(hcs.create(CreateRequest.of(id, bundle, spec(List.of("sleep", "300"))))).isNull();
  }

  private static boolean cgroupExists(String id) {
    try {
      return CgroupDriver.detect().open("", id).exists();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String comm(int pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static void poll(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private Status status(String id) {
    try {
      return hcs.state(id).status();
    } catch (HcsException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertHResult(Executable call, HResult expected) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            HcsException.class, e -> assertThat(e.hresult()).isEqualTo(expected));
  }

  @Test
  void aContainerGoesThroughTheWholeStateMachine() throws Exception {
    String id = newId();

    create(id);
    ContainerState created = hcs.state(id);
    int pid = created.pid();
    assertThat(created.status()).isEqualTo(Status.CREATED);
    assertThat(comm(pid)).as("the init waits in silo-init before exec").isNotEqualTo("sleep");
    assertThat(cgroupExists(id)).isTrue();

    hcs.start(id);
    assertThat(status(id)).isEqualTo(Status.RUNNING);
    poll(() -> comm(pid).equals("sleep"), "the init to exec sleep");

    hcs.pause(id);
    assertThat(status(id)).isEqualTo(Status.PAUSED);
    hcs.resume(id);
    assertThat(status(id)).isEqualTo(Status.RUNNING);

    Process base = Objects.requireNonNull(hcs.spec(id).process());
    int code =
        hcs.exec(
            id,
            new ExecRequest(
                process(base, List.of("sh", "-c", "exit 7")),
                null,
                null,
                0,
                false,
                false,
                List.of()));
    assertThat(code).as("exit code of the exec'd process").isEqualTo(7);

    Properties props = hcs.properties(id);
    assertThat(props.state()).isEqualTo(State.RUNNING);
    assertThat(props.id()).isEqualTo(id);
    assertThat(props.processList()).extracting(ProcessDetails::processId).contains(pid);

    assertHResult(() -> hcs.delete(id, false), HResult.HCS_E_INVALID_STATE);
    assertThat(status(id)).isEqualTo(Status.RUNNING);

    hcs.signal(id, Signals.SIGKILL, false);
    poll(() -> status(id) == Status.STOPPED, "the container to stop after SIGKILL");
    assertHResult(
        () -> hcs.signal(id, Signals.SIGKILL, false), HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
    assertThat(hcs.properties(id).state()).isEqualTo(State.STOPPED);

    hcs.delete(id, false);
    assertHResult(() -> hcs.state(id), HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertThat(hcs.root().resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
  }

  @Test
  void creatingAnExistingIdFailsAndLeavesTheFirstUntouched() throws Exception {
    String id = newId();
    create(id);
    ContainerState first = hcs.state(id);

    assertHResult(() -> create(id), HResult.HCS_E_SYSTEM_ALREADY_EXISTS);

    ContainerState after = hcs.state(id);
    assertThat(after.status()).isEqualTo(Status.CREATED);
    assertThat(after.pid()).isEqualTo(first.pid());
    assertThat(hcs.list()).extracting(ContainerState::id).containsExactly(id);
    hcs.start(id);
    assertThat(status(id)).as("the first one still starts").isEqualTo(Status.RUNNING);
  }

  @Test
  void startingTwiceIsAnInvalidState() throws Exception {
    String id = newId();
    create(id);
    hcs.start(id);

    assertHResult(() -> hcs.start(id), HResult.HCS_E_INVALID_STATE);
    assertThat(status(id)).isEqualTo(Status.RUNNING);
  }

  @Test
  void hypervIsolationIsNotInstalledAndLeavesNothingBehind() throws JsonException {
    String id = newId();
    Spec hyperv = hyperv(spec(List.of("sh")));

    assertHResult(
        () -> hcs.create(CreateRequest.of(id, bundle, hyperv)), HResult.HCS_E_HYPERV_NOT_INSTALLED);

    assertThat(hcs.root().resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
  }

  /**
   * A Hyper-V isolated spec: windows.hyperv with layer folders and, as the spec requires, no
   * root.path.
   */
  @SuppressWarnings("unchecked")
  private static Spec hyperv(Spec spec) throws JsonException {
    Map<String, Object> j =
        (Map<String, Object>) Objects.requireNonNull(Json.parse(OciSpecs.writeConfig(spec)));
    j.remove("root");
    j.put("windows", Map.of("layerFolders", List.of("C:\\layers\\base"), "hyperv", Map.of()));
    return OciSpecs.parseConfig(Json.write(j));
  }

  @Test
  void unknownIdsAreSystemNotFound() {
    assertHResult(() -> hcs.state("nope"), HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertHResult(() -> hcs.start("nope"), HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertHResult(() -> hcs.signal("nope", Signals.SIGKILL, false), HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertHResult(() -> hcs.delete("nope", false), HResult.HCS_E_SYSTEM_NOT_FOUND);
  }
}
