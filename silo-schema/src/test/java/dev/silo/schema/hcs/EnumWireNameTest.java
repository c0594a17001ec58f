package dev.silo.schema.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Enums serialize as the strings Windows uses, and read back from them. */
class EnumWireNameTest {

  static Stream<Class<? extends Enum<?>>> enums() {
    return Stream.of(
        State.class,
        ExitType.class,
        SystemType.class,
        OsType.class,
        PathType.class,
        MappedPipePathType.class,
        IsolationType.class,
        RequestType.class,
        ProcessSignal.class,
        PropertyType.class,
        ShutdownMechanism.class,
        ShutdownType.class,
        PauseSuspensionLevel.class,
        PauseReason.class,
        SaveType.class,
        ModifyOperation.class,
        StdHandle.class,
        ExitInitiator.class,
        SystemExitDetail.class,
        UefiBootDevice.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("enums")
  void everyConstantRoundTripsThroughItsWireName(Class<? extends Enum<?>> type) throws Exception {
    Method wireName = type.getMethod("wireName");
    Method fromWireName = type.getMethod("fromWireName", String.class);
    for (Enum<?> constant : type.getEnumConstants()) {
      String wire = (String) wireName.invoke(constant);

      assertThat(HcsJson.write(constant)).isEqualTo("\"" + wire + "\"");
      assertThat(HcsJson.read("\"" + wire + "\"", type)).isSameAs(constant);
      assertThat(fromWireName.invoke(null, wire)).isSameAs(constant);
    }
    assertThat(fromWireName.invoke(null, "NotAWindowsValue")).isNull();
  }

  @Test
  void windowsSpellingsAreKeptExactly() throws Exception {
    assertThat(HcsJson.write(PropertyType.SYSTEM_GUID)).isEqualTo("\"SystemGUID\"");
    assertThat(HcsJson.write(PropertyType.IC_HEARTBEAT_STATUS)).isEqualTo("\"ICHeartbeatStatus\"");
    assertThat(HcsJson.write(PropertyType.CPU_GROUP)).isEqualTo("\"CpuGroup\"");
    assertThat(HcsJson.write(ProcessSignal.CTRL_LOG_OFF)).isEqualTo("\"CtrlLogOff\"");
    assertThat(HcsJson.write(ExitInitiator.GUEST_OS)).isEqualTo("\"GuestOS\"");
    assertThat(HcsJson.write(State.SAVED_AS_TEMPLATE)).isEqualTo("\"SavedAsTemplate\"");
    assertThat(HcsJson.write(RequestType.PRE_ADD)).isEqualTo("\"PreAdd\"");
    assertThat(HcsJson.write(IsolationType.HOST_PROCESS)).isEqualTo("\"HostProcess\"");
    assertThat(HcsJson.write(PathType.VIRTUAL_SMB_SHARE_NAME)).isEqualTo("\"VirtualSmbShareName\"");
  }

  @Test
  void enumsInsideRecordsUseWireNames() throws Exception {
    String json =
        HcsJson.write(new SystemExitStatus(0, ExitType.GRACEFUL_EXIT, java.util.List.of()));

    assertThat(json).isEqualTo("{\"Status\":0,\"ExitType\":\"GracefulExit\"}");
  }
}
