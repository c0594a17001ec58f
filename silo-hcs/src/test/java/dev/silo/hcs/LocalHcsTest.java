package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsEvent;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ExitType;
import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.PropertyQuery;
import dev.silo.schema.hcs.RequestType;
import dev.silo.schema.hcs.ShutdownOptions;
import dev.silo.schema.hcs.State;
import dev.silo.schema.hcs.SystemExitStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The handle API's state machine, events, ExitTypes and handle rules against a fake substrate. */
class LocalHcsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final PropertyQuery NONE = new PropertyQuery(List.of());

  @TempDir Path tmp;
  private FakeSubstrate fake;
  private LocalHcs hcs;
  private final List<HcsEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void service() throws HcsException {
    fake = new FakeSubstrate(tmp.resolve("state"));
    hcs = over(fake);
  }

  private LocalHcs over(FakeSubstrate f) throws HcsException {
    return new LocalHcs(f, ComputeService.open(tmp.resolve("unused")), (id, doc) -> f.add(id));
  }

  private static dev.silo.schema.hcs.ComputeSystem doc(boolean terminateOnClose) {
    return new dev.silo.schema.hcs.ComputeSystem(
        "test", null, null, null, null, null, terminateOnClose);
  }

  private ComputeSystem create(String id, boolean terminateOnClose) throws HcsException {
    ComputeSystem cs = hcs.create(id, doc(terminateOnClose));
    cs.onEvent(events::add);
    return cs;
  }

  private static void assertHResult(Executable call, HResult expected) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            HcsException.class, e -> assertThat(e.hresult()).isEqualTo(expected));
  }

  private List<String> eventNames(int n) {
    HcsFixture.poll(() -> events.size() >= n, n + " events");
    return events.stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  @Test
  void theWholeStateMachineWithItsEventsInOrder() throws Exception {
    ComputeSystem cs = create("a", false);
    assertThat(cs.properties(NONE).state()).isEqualTo(State.CREATED);
    assertHResult(cs::pause, HResult.HCS_E_INVALID_STATE);
    assertHResult(cs::resume, HResult.HCS_E_INVALID_STATE);
    cs.start();
    assertHResult(cs::start, HResult.HCS_E_INVALID_STATE);
    assertHResult(cs::resume, HResult.HCS_E_INVALID_STATE);
    cs.pause();
    assertHResult(cs::pause, HResult.HCS_E_INVALID_STATE);
    assertHResult(cs::start, HResult.HCS_E_INVALID_STATE);
    cs.resume();
    assertHResult(() -> cs.waitForExit(Duration.ofMillis(20)), HResult.HCS_E_OPERATION_TIMEOUT);
    cs.shutdown(WAIT);
    SystemExitStatus exit = cs.waitForExit(WAIT);
    assertThat(exit.exitType()).isEqualTo(ExitType.GRACEFUL_EXIT);
    assertThat(exit.status()).isZero();
    assertThat(eventNames(4))
        .containsExactly("StartCompleted", "PauseCompleted", "ResumeCompleted", "SystemExited");
    assertThat(events).allMatch(e -> e.systemId().equals("a"));
    assertThat(events.get(3).type()).isEqualTo(HcsEvent.SYSTEM_EXITED);
    assertHResult(cs::terminate, HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
    assertHResult(() -> cs.shutdown(WAIT), HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
    assertHResult(cs::start, HResult.HCS_E_INVALID_STATE);
    assertHResult(cs::pause, HResult.HCS_E_INVALID_STATE);
    assertThat(cs.properties(NONE).exitType()).isEqualTo(ExitType.GRACEFUL_EXIT);
    assertThat(fake.calls).containsExactly("start", "pause", "resume", "signal 15");
    cs.close();
    assertThat(fake.calls).endsWith("remove");
    assertHResult(() -> hcs.open("a"), HResult.HCS_E_SYSTEM_NOT_FOUND);
  }

  @Test
  void shutdownFallsBackToTerminateWhenTheInitIgnoresSigterm() throws Exception {
    fake.initHonoursSigterm = false;
    ComputeSystem cs = create("a", false);
    cs.start();
    cs.shutdown(Duration.ofMillis(50));
    assertThat(cs.waitForExit(WAIT).exitType()).isEqualTo(ExitType.FORCED_EXIT);
    assertThat(cs.waitForExit(WAIT).status()).isEqualTo(HResult.HCS_E_TERMINATED.code());
    assertThat(fake.calls).containsExactly("start", "signal 15", "killAll");
    cs.close();
  }

  @Test
  void forcedShutdownOptionsAndPausedSystemsTerminateAtOnce() throws Exception {
    ComputeSystem a = create("a", false);
    a.start();
    a.shutdown(new ShutdownOptions(null, null, true, "test"));
    assertThat(a.waitForExit(WAIT).exitType()).isEqualTo(ExitType.FORCED_EXIT);
    ComputeSystem b = create("b", false);
    b.start();
    b.pause();
    b.shutdown(WAIT);
    assertThat(b.waitForExit(WAIT).exitType()).isEqualTo(ExitType.FORCED_EXIT);
    assertThat(fake.calls).doesNotContain("signal 15");
    a.close();
    b.close();
  }

  @Test
  void anInitThatDiesIsAnUnexpectedExitAfterItsStartCompleted() throws Exception {
    ComputeSystem cs = create("a", false);
    cs.start();
    fake.crash("a");
    assertThat(cs.waitForExit(WAIT).exitType()).isEqualTo(ExitType.UNEXPECTED_EXIT);
    assertThat(eventNames(2)).containsExactly("StartCompleted", "SystemExited");
    cs.close();
  }

  @Test
  void idsAreUniqueAndUnknownOnesAreNotFound() throws Exception {
    ComputeSystem cs = create("a", false);
    assertHResult(() -> hcs.create("a", doc(false)), HResult.HCS_E_SYSTEM_ALREADY_EXISTS);
    assertHResult(() -> hcs.open("b"), HResult.HCS_E_SYSTEM_NOT_FOUND);
    assertThat(
            hcs.enumerate(
                new dev.silo.schema.hcs.SystemQuery(List.of(), List.of(), List.of(), List.of())))
        .extracting(p -> p.id())
        .containsExactly("a");
    cs.terminate();
    cs.close();
  }

  @Test
  void theLastHandleTerminatesOnlyWhenTheDocumentAskedForIt() throws Exception {
    ComputeSystem keep = create("keep", false);
    keep.start();
    keep.close();
    assertThat(fake.states).containsEntry("keep", State.RUNNING);
    assertHResult(keep::start, HResult.E_HANDLE);

    ComputeSystem kill = create("kill", true);
    kill.start();
    ComputeSystem second = hcs.open("kill");
    kill.close();
    assertThat(fake.states).containsEntry("kill", State.RUNNING);
    second.close();
    assertThat(fake.states).doesNotContainKey("kill");
    assertThat(fake.calls).containsSubsequence("killAll", "remove");
  }

  @Test
  void anotherServiceSeesTheExitTypeButDoesNotOwnTheSystem() throws Exception {
    ComputeSystem cs = create("a", false);
    cs.start();
    cs.terminate();
    LocalHcs other = over(fake);
    try (ComputeSystem seen = other.open("a")) {
      assertThat(seen.properties(NONE).exitType()).isEqualTo(ExitType.FORCED_EXIT);
      assertThat(seen.waitForExit(WAIT).exitType()).isEqualTo(ExitType.FORCED_EXIT);
    }
    assertThat(fake.states).as("an observer's close keeps it").containsKey("a");
    cs.close();
    assertThat(fake.states).doesNotContainKey("a");
  }

  @Test
  void modifyUpdatesMemoryAndRejectsWhatItDoesNotSupport() throws Exception {
    ComputeSystem cs = create("a", false);
    cs.start();
    cs.modify(new ModifySettingRequest(ResourceSettings.MEMORY, RequestType.UPDATE, 64, null));
    assertThat(Objects.requireNonNull(fake.updates.get(0).memory()).limit()).isEqualTo(64L << 20);
    assertHResult(
        () ->
            cs.modify(
                new ModifySettingRequest(
                    ResourceSettings.MEMORY, RequestType.ADD, Map.of("SizeInMB", 1), null)),
        HResult.E_INVALIDARG);
    cs.terminate();
    assertHResult(
        () ->
            cs.modify(
                new ModifySettingRequest(ResourceSettings.MEMORY, RequestType.UPDATE, 64, null)),
        HResult.HCS_E_INVALID_STATE);
    cs.close();
  }
}
