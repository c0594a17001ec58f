package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.SystemStates.Call;
import dev.silo.schema.hcs.ContainerProcessor;
import dev.silo.schema.hcs.ExitType;
import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.ProcessSignal;
import dev.silo.schema.hcs.RequestType;
import dev.silo.schema.hcs.State;
import dev.silo.schema.oci.LinuxResources;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The pure translations of the handle API: state table, signals, command lines, modify paths. */
class HcsTranslationTest {
  private static HResult hresultOf(Call call, State state) {
    try {
      SystemStates.check(call, state, "c1");
      return HResult.S_OK;
    } catch (HcsException e) {
      return e.hresult();
    }
  }

  @Test
  void theStateTableIsHcs() {
    assertThat(hresultOf(Call.START, State.CREATED)).isEqualTo(HResult.S_OK);
    for (State s : List.of(State.RUNNING, State.PAUSED, State.STOPPED)) {
      assertThat(hresultOf(Call.START, s)).isEqualTo(HResult.HCS_E_INVALID_STATE);
    }
    assertThat(hresultOf(Call.PAUSE, State.RUNNING)).isEqualTo(HResult.S_OK);
    assertThat(hresultOf(Call.PAUSE, State.CREATED)).isEqualTo(HResult.HCS_E_INVALID_STATE);
    assertThat(hresultOf(Call.RESUME, State.PAUSED)).isEqualTo(HResult.S_OK);
    assertThat(hresultOf(Call.RESUME, State.RUNNING)).isEqualTo(HResult.HCS_E_INVALID_STATE);
    for (Call c : List.of(Call.SHUTDOWN, Call.TERMINATE)) {
      for (State s : List.of(State.CREATED, State.RUNNING, State.PAUSED)) {
        assertThat(hresultOf(c, s)).isEqualTo(HResult.S_OK);
      }
      assertThat(hresultOf(c, State.STOPPED)).isEqualTo(HResult.HCS_E_SYSTEM_ALREADY_STOPPED);
    }
    assertThat(hresultOf(Call.CREATE_PROCESS, State.RUNNING)).isEqualTo(HResult.S_OK);
    assertThat(hresultOf(Call.CREATE_PROCESS, State.PAUSED)).isEqualTo(HResult.HCS_E_INVALID_STATE);
    assertThat(hresultOf(Call.MODIFY, State.STOPPED)).isEqualTo(HResult.HCS_E_INVALID_STATE);
    assertThat(SystemStates.exitType(null)).isEqualTo(ExitType.UNEXPECTED_EXIT);
    assertThat(SystemStates.exitType(ExitType.GRACEFUL_EXIT)).isEqualTo(ExitType.GRACEFUL_EXIT);
  }

  @Test
  void consoleSignalsMapToLinuxOnes() {
    assertThat(LocalComputeProcess.toLinux(ProcessSignal.CTRL_C)).isEqualTo(Signals.SIGINT);
    assertThat(LocalComputeProcess.toLinux(ProcessSignal.CTRL_BREAK)).isEqualTo(Signals.SIGQUIT);
    for (ProcessSignal s :
        List.of(
            ProcessSignal.CTRL_CLOSE, ProcessSignal.CTRL_LOG_OFF, ProcessSignal.CTRL_SHUTDOWN)) {
      assertThat(LocalComputeProcess.toLinux(s)).isEqualTo(Signals.SIGTERM);
    }
    assertThat(LocalComputeProcess.toLinux(null)).isEqualTo(Signals.SIGTERM);
  }

  @Test
  void commandLinesSplitLikeTheWindowsRuntime() {
    assertThat(CommandLines.split("  echo  hello world "))
        .containsExactly("echo", "hello", "world");
    assertThat(CommandLines.split("sh -c \"echo a b\"")).containsExactly("sh", "-c", "echo a b");
    assertThat(CommandLines.split("a \\\"b\\\" \"\"")).containsExactly("a", "\"b\"", "");
    assertThat(CommandLines.split("a\\\\\\\\\"b c\" d\\e")).containsExactly("a\\\\b c", "d\\e");
    assertThat(CommandLines.split("   ")).isEmpty();
  }

  @Test
  void processorAndMemoryUpdatesBecomeCgroupLimits() throws HcsException {
    int cpus = Runtime.getRuntime().availableProcessors();
    LinuxResources count =
        ResourceSettings.toResources(
            "c1",
            new ModifySettingRequest(
                ResourceSettings.PROCESSOR,
                RequestType.UPDATE,
                new ContainerProcessor(1, null, null, null),
                null));
    assertThat(Objects.requireNonNull(count.cpu()).quota()).isEqualTo(100_000L);
    LinuxResources max =
        ResourceSettings.toResources(
            "c1",
            new ModifySettingRequest(
                ResourceSettings.PROCESSOR, RequestType.UPDATE, Map.of("Maximum", 5000), null));
    assertThat(Objects.requireNonNull(max.cpu()).quota()).isEqualTo(cpus * 50_000L);
    LinuxResources weight =
        ResourceSettings.toResources(
            "c1",
            new ModifySettingRequest(
                ResourceSettings.PROCESSOR, RequestType.UPDATE, Map.of("Weight", 200), null));
    assertThat(Objects.requireNonNull(weight.cpu()).shares()).isEqualTo(2048L);
    LinuxResources mem =
        ResourceSettings.toResources(
            "c1",
            new ModifySettingRequest(
                ResourceSettings.MEMORY, RequestType.UPDATE, Map.of("SizeInMB", 256), null));
    assertThat(Objects.requireNonNull(mem.memory()).limit()).isEqualTo(256L << 20);
  }

  @Test
  void unsupportedModifyRequestsAreInvalidArguments() {
    for (ModifySettingRequest r :
        List.of(
            new ModifySettingRequest("Container/MappedDirectories", RequestType.ADD, null, null),
            new ModifySettingRequest(ResourceSettings.PROCESSOR, RequestType.REMOVE, null, null),
            new ModifySettingRequest(ResourceSettings.MEMORY, RequestType.UPDATE, "x", null),
            new ModifySettingRequest(
                ResourceSettings.PROCESSOR, RequestType.UPDATE, Map.of(), null))) {
      assertThatThrownBy(() -> ResourceSettings.toResources("c1", r))
          .isInstanceOfSatisfying(
              HcsException.class, e -> assertThat(e.hresult()).isEqualTo(HResult.E_INVALIDARG));
    }
  }
}
