package dev.silo.hcs;

import static dev.silo.hcs.HcsFixture.TIMEOUT;
import static dev.silo.hcs.HcsFixture.assertHResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsEvent;
import dev.silo.linux.cgroup.CgroupDriver;
import dev.silo.schema.hcs.ExitType;
import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.ProcessDetails;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.PropertyQuery;
import dev.silo.schema.hcs.PropertyType;
import dev.silo.schema.hcs.RequestType;
import dev.silo.schema.hcs.State;
import dev.silo.schema.hcs.SystemExitStatus;
import dev.silo.schema.hcs.SystemQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HCS handle API on the real kernel, as root: busybox systems through the strict state machine,
 * their events and ExitTypes, the HRESULTs of wrong calls, modify, and nothing left after close.
 */
class LocalHcsIT {
  private static final PropertyQuery ALL =
      new PropertyQuery(List.of(PropertyType.STATISTICS, PropertyType.PROCESS_LIST));

  /** An init that exits when asked (a pid-namespace init ignores signals it has no handler for). */
  private static final String[] POLITE = {"sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"};

  private static HcsFixture fx;

  @BeforeAll
  static void fixture() throws Exception {
    fx = new HcsFixture();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void eventsArriveInOrderAndShutdownIsGraceful() throws Exception {
    String id = fx.newId();
    List<HcsEvent> events = new CopyOnWriteArrayList<>();
    int init;
    try (ComputeSystem cs = fx.create(id, false, POLITE)) {
      init = fx.service.state(id).pid();
      cs.onEvent(events::add);
      assertThat(cs.properties(ALL).state()).isEqualTo(State.CREATED);
      cs.start();
      HcsFixture.awaitHandler(init, 15);
      cs.pause();
      assertThat(cs.properties(ALL).state()).isEqualTo(State.PAUSED);
      cs.resume();
      cs.shutdown(TIMEOUT);
      SystemExitStatus exit = cs.waitForExit(TIMEOUT);
      assertThat(exit.exitType()).isEqualTo(ExitType.GRACEFUL_EXIT);
      assertThat(exit.status()).isZero();
      HcsFixture.poll(() -> events.size() == 4, "four events");
      assertThat(events)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactly("StartCompleted", "PauseCompleted", "ResumeCompleted", "SystemExited");
      assertThat(((HcsEvent.SystemExited) events.get(3)).status().exitType())
          .isEqualTo(ExitType.GRACEFUL_EXIT);
      Properties stopped = cs.properties(ALL);
      assertThat(stopped.state()).isEqualTo(State.STOPPED);
      assertThat(stopped.exitType()).isEqualTo(ExitType.GRACEFUL_EXIT);
      // Another process sees the same ExitType: it is recorded in the state directory.
      LocalHcs other = LocalHcs.over(ComputeService.open(fx.root));
      try (ComputeSystem again = other.open(id)) {
        assertThat(again.properties(ALL).exitType()).isEqualTo(ExitType.GRACEFUL_EXIT);
        assertThat(again.waitForExit(TIMEOUT).exitType()).isEqualTo(ExitType.GRACEFUL_EXIT);
      }
      assertThat(fx.root.resolve(id)).as("kept while a handle is open").exists();
    }
    fx.assertGone(id, init);
  }

  @Test
  void aSchemaV2DocumentIsTheInputOfCreate() throws Exception {
    String id = fx.newId();
    int init;
    try (ComputeSystem cs = fx.createFromDocument(id, "sh", "-c", "exit 7")) {
      init = fx.service.state(id).pid();
      assertThat(cs.properties(ALL).state()).isEqualTo(State.CREATED);
      assertThat(fx.service.state(id).owner()).isEqualTo("silo-test");
      cs.start();
      assertThat(cs.waitForExit(TIMEOUT).exitType()).isEqualTo(ExitType.UNEXPECTED_EXIT);
      assertHResult(
          () -> fx.hcs.create(id, OciToHcs.translate(id, fx.bundle, fx.service.spec(id), "x")),
          HResult.HCS_E_SYSTEM_ALREADY_EXISTS);
    }
    fx.assertGone(id, init);
  }

  @Test
  void shutdownOfAnInitThatIgnoresSigtermTerminatesAfterTheGrace() throws Exception {
    String id = fx.newId();
    int init;
    try (ComputeSystem cs = fx.create(id, false, "sleep", "300")) {
      init = fx.service.state(id).pid();
      cs.start();
      cs.shutdown(Duration.ofMillis(500));
      assertThat(cs.waitForExit(TIMEOUT).exitType()).isEqualTo(ExitType.FORCED_EXIT);
      assertThat(cs.properties(ALL).state()).isEqualTo(State.STOPPED);
    }
    fx.assertGone(id, init);
  }

  @Test
  void anInitThatDiesOnItsOwnIsAnUnexpectedExit() throws Exception {
    String id = fx.newId();
    List<HcsEvent> events = new CopyOnWriteArrayList<>();
    int init;
    try (ComputeSystem cs = fx.create(id, false, "true")) {
      init = fx.service.state(id).pid();
      cs.onEvent(events::add);
      cs.start();
      assertThat(cs.waitForExit(TIMEOUT).exitType()).isEqualTo(ExitType.UNEXPECTED_EXIT);
      HcsFixture.poll(() -> events.size() == 2, "two events");
      assertThat(events.get(1)).isInstanceOf(HcsEvent.SystemExited.class);
      assertHResult(cs::terminate, HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
    }
    fx.assertGone(id, init);
  }

  @Test
  void wrongStateAndUnknownIdsFailWithTheirHresults() throws Exception {
    String id = fx.newId();
    int init;
    try (ComputeSystem cs = fx.create(id, false, "sleep", "300")) {
      init = fx.service.state(id).pid();
      assertHResult(cs::pause, HResult.HCS_E_INVALID_STATE);
      assertHResult(
          () ->
              fx.hcs.create(
                  id,
                  new dev.silo.schema.hcs.ComputeSystem(null, null, null, null, null, null, null)),
          HResult.HCS_E_SYSTEM_ALREADY_EXISTS);
      cs.start();
      assertHResult(cs::start, HResult.HCS_E_INVALID_STATE);
      assertHResult(cs::resume, HResult.HCS_E_INVALID_STATE);
      cs.terminate();
      assertThat(cs.waitForExit(TIMEOUT).exitType()).isEqualTo(ExitType.FORCED_EXIT);
      assertThat(cs.waitForExit(TIMEOUT).status()).isEqualTo(HResult.HCS_E_TERMINATED.code());
      assertHResult(cs::terminate, HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
      assertHResult(() -> cs.shutdown(TIMEOUT), HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
      assertHResult(cs::start, HResult.HCS_E_INVALID_STATE);
      assertHResult(() -> cs.createProcess(HcsProcesses.args("true")), HResult.HCS_E_INVALID_STATE);
    }
    fx.assertGone(id, init);
    assertHResult(() -> fx.hcs.open(id), HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertHResult(() -> fx.hcs.open("silo-hcsapi-nope"), HResult.HCS_E_SYSTEM_NOT_FOUND);
  }

  @Test
  void closingTheLastHandleTerminatesWhenTheDocumentAskedForIt() throws Exception {
    String id = fx.newId();
    ComputeSystem cs = fx.create(id, true, "sleep", "300");
    int init = fx.service.state(id).pid();
    cs.start();
    ComputeSystem second = fx.hcs.open(id);
    cs.close();
    assertThat(fx.service.state(id).status())
        .as("a handle is still open")
        .isEqualTo(Status.RUNNING);
    assertHResult(cs::start, HResult.E_HANDLE);
    second.close();
    fx.assertGone(id, init);
  }

  @Test
  void propertiesModifyAndEnumerate() throws Exception {
    String id = fx.newId();
    int init;
    try (ComputeSystem cs = fx.create(id, false, "sleep", "300")) {
      init = fx.service.state(id).pid();
      cs.start();
      Properties p = cs.properties(ALL);
      assertThat(p.id()).isEqualTo(id);
      assertThat(p.processList()).extracting(ProcessDetails::processId).contains(init);
      assertThat(p.statistics()).isNotNull();
      assertThat(cs.properties(new PropertyQuery(List.of())).processList()).isEmpty();

      cs.modify(
          new ModifySettingRequest(
              ResourceSettings.MEMORY, RequestType.UPDATE, Map.of("SizeInMB", 64), null));
      Path memory =
          java.util.Objects.requireNonNull(
              CgroupDriver.detect().open("", id).paths().get("memory"));
      String limitFile =
          Files.exists(memory.resolve("memory.limit_in_bytes"))
              ? "memory.limit_in_bytes"
              : "memory.max";
      assertThat(Files.readString(memory.resolve(limitFile)).strip())
          .isEqualTo(Long.toString(64L << 20));
      assertHResult(
          () ->
              cs.modify(
                  new ModifySettingRequest(
                      "Container/MappedDirectories", RequestType.ADD, Map.of(), null)),
          HResult.E_INVALIDARG);

      assertThat(fx.hcs.enumerate(new SystemQuery(List.of(id), List.of(), List.of(), List.of())))
          .extracting(Properties::id)
          .containsExactly(id);
      cs.terminate();
    }
    fx.assertGone(id, init);
  }
}
