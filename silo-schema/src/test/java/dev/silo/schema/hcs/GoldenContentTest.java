package dev.silo.schema.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The golden documents read into the right typed values, and documents built in Java write the same
 * bytes.
 */
// The tests walk optional parts of documents they know to be present; a null there fails the test
// with an
// NPE just as an assertion would, so NullAway's checks would only add requireNonNull noise.
@SuppressWarnings("NullAway")
class GoldenContentTest {

  @Test
  void processContainerReadsTyped() throws Exception {
    ComputeSystem cs =
        HcsJson.read(HcsJson.golden("compute-system-process-container.json"), ComputeSystem.class);

    assertThat(cs.schemaVersion()).isEqualTo(Version.V2_1);
    Container c = cs.container();
    assertThat(c).isNotNull();
    assertThat(c.isolationType()).isEqualTo(IsolationType.PROCESS);
    assertThat(c.storage().layers())
        .extracting(Layer::path)
        .containsExactly(
            "C:\\ProgramData\\docker\\windowsfilter\\4b1e5f9a",
            "C:\\ProgramData\\docker\\windowsfilter\\0d7c8e6f");
    assertThat(c.storage().layers().get(1).pathType()).isEqualTo(PathType.ABSOLUTE_PATH);
    assertThat(c.storage().path())
        .isEqualTo("\\\\?\\Volume{6a1f3e2d-9b8c-4d7e-a5f6-0b1c2d3e4f50}\\");
    assertThat(c.storage().qos().bandwidthMaximum()).isEqualTo(104_857_600L);
    assertThat(c.memory().sizeInMB()).isEqualTo(512L);
    assertThat(c.processor().count()).isEqualTo(2);
    assertThat(c.processor().maximum()).isNull();
    assertThat(c.mappedDirectories().get(0).readOnly()).isTrue();
    assertThat(c.networking().networkAdapters()).isEmpty();
    assertThat(cs.virtualMachine()).isNull();
    assertThat(cs.shouldTerminateOnLastHandleClosed()).isTrue();
  }

  @Test
  void processContainerBuiltInJavaWritesTheGoldenBytes() throws Exception {
    Storage storage =
        new Storage(
            List.of(
                new Layer(
                    "4b1e5f9a-7c3d-5e2f-9a1b-0c2d3e4f5a6b",
                    "C:\\ProgramData\\docker\\windowsfilter\\4b1e5f9a",
                    null,
                    null),
                new Layer(
                    "0d7c8e6f-1a2b-5c3d-8e4f-5a6b7c8d9e0f",
                    "C:\\ProgramData\\docker\\windowsfilter\\0d7c8e6f",
                    PathType.ABSOLUTE_PATH,
                    null)),
            "\\\\?\\Volume{6a1f3e2d-9b8c-4d7e-a5f6-0b1c2d3e4f50}\\",
            new StorageQoS(2000L, 104_857_600L),
            null);
    Container container =
        new Container(
            new GuestOs("c1"),
            storage,
            List.of(new MappedDirectory("C:\\data", null, "C:\\data", true)),
            List.of(new MappedPipe("docker_engine", "\\\\.\\pipe\\docker_engine", null)),
            new ContainerMemory(512L),
            new ContainerProcessor(2, null, null, null),
            new Networking(
                true,
                "corp.example.com,example.com",
                null,
                "c7e2a9b4-3f1d-4e8a-9b6c-2d5f8a1e4b7c",
                List.of()),
            null,
            IsolationType.PROCESS);
    ComputeSystem cs = new ComputeSystem("silo", Version.V2_1, null, null, container, null, true);

    assertThat(HcsJson.write(cs))
        .isEqualTo(HcsJson.golden("compute-system-process-container.json"));
  }

  @Test
  void utilityVmReadsTyped() throws Exception {
    ComputeSystem cs =
        HcsJson.read(HcsJson.golden("compute-system-utility-vm.json"), ComputeSystem.class);

    VirtualMachine vm = cs.virtualMachine();
    assertThat(vm.chipset().linuxKernelDirect().kernelCmdLine()).isEqualTo("console=ttyS0 quiet");
    assertThat(vm.computeTopology().memory().sizeInMB()).isEqualTo(1024L);
    assertThat(vm.computeTopology().processor().count()).isEqualTo(2);
    assertThat(vm.guestConnection().useVsock()).isTrue();
    assertThat(vm.devices().scsi()).isEqualTo(Map.of("0", Map.of("Attachments", Map.of())));
  }

  @Test
  void linuxHostedSystemConvertsToLinuxContainerAndWritesTheGoldenBytes() throws Exception {
    String golden = HcsJson.golden("compute-system-linux-hosted.json");
    ComputeSystem cs = HcsJson.read(golden, ComputeSystem.class);

    LinuxContainer lc = HcsJson.MAPPER.convertValue(cs.hostedSystem(), LinuxContainer.class);

    assertThat(lc.ociBundlePath()).isEqualTo("/run/gcs/c/c2");
    assertThat(lc.scratchDirPath()).isEqualTo("/run/gcs/c/c2/scratch");
    assertThat(lc.ociSpecification())
        .isInstanceOfSatisfying(
            Map.class,
            spec -> {
              assertThat(spec.get("ociVersion")).isEqualTo("1.2.0");
              Map<?, ?> linux = (Map<?, ?>) spec.get("linux");
              assertThat(linux.containsKey("resources")).isTrue();
              assertThat(linux.get("resources")).isNull();
            });
    ComputeSystem typed =
        new ComputeSystem(
            cs.owner(),
            cs.schemaVersion(),
            cs.hostingSystemId(),
            lc,
            null,
            null,
            cs.shouldTerminateOnLastHandleClosed());
    assertThat(HcsJson.write(typed)).isEqualTo(golden);
  }

  @Test
  void processParametersReadTyped() throws Exception {
    ProcessParameters p =
        HcsJson.read(HcsJson.golden("process-parameters.json"), ProcessParameters.class);

    assertThat(p.commandLine()).isEqualTo("cmd /S /C \"echo hello\"");
    assertThat(p.environment()).containsEntry("TERM", "xterm").hasSize(2);
    assertThat(p.consoleSize()).containsExactly(24, 80);
    assertThat(p.emulateConsole()).isTrue();
    assertThat(p.createStdErrPipe()).isNull();
    assertThat(p.commandArgs()).isEmpty();

    ProcessParameters linux =
        HcsJson.read(HcsJson.golden("process-parameters-linux.json"), ProcessParameters.class);
    assertThat(linux.commandArgs()).containsExactly("/bin/sh", "-c", "echo hello");
    assertThat(linux.commandLine()).isNull();
  }

  @Test
  void propertiesReadStatisticsAndProcessList() throws Exception {
    Properties p =
        HcsJson.read(HcsJson.golden("properties-statistics-processlist.json"), Properties.class);

    assertThat(p.systemType()).isEqualTo(SystemType.CONTAINER);
    assertThat(p.runtimeOsType()).isEqualTo(OsType.WINDOWS);
    assertThat(p.state()).isEqualTo(State.RUNNING);
    Statistics s = p.statistics();
    assertThat(s.uptime100ns()).isEqualTo(136_000_000L);
    assertThat(s.processor().totalRuntime100ns()).isEqualTo(15_625_000L);
    assertThat(s.memory().memoryUsageCommitPeakBytes()).isEqualTo(81_920_000L);
    assertThat(s.storage().writeSizeBytes()).isEqualTo(8_388_608L);
    assertThat(p.processList())
        .extracting(ProcessDetails::processId, ProcessDetails::imageName)
        .containsExactly(tuple(1234, "cmd.exe"), tuple(1452, "conhost.exe"));
    assertThat(p.processList().get(1).userTime100ns()).isZero();
  }

  @Test
  void modifySettingRequestWithTypedSettingsWritesTheGoldenBytes() throws Exception {
    String golden = HcsJson.golden("modify-setting-request.json");
    ModifySettingRequest read = HcsJson.read(golden, ModifySettingRequest.class);

    assertThat(read.requestType()).isEqualTo(RequestType.ADD);
    assertThat(read.settings())
        .isEqualTo(Map.of("HostPath", "C:\\share", "ContainerPath", "C:\\share", "ReadOnly", true));
    assertThat(HcsJson.MAPPER.convertValue(read.settings(), MappedDirectory.class).readOnly())
        .isTrue();

    ModifySettingRequest typed =
        new ModifySettingRequest(
            "Container/MappedDirectories",
            RequestType.ADD,
            new MappedDirectory("C:\\share", null, "C:\\share", true),
            null);
    assertThat(HcsJson.write(typed)).isEqualTo(golden);
  }

  @Test
  void resultErrorCarriesTheHresultAndEvents() throws Exception {
    ResultError e = HcsJson.read(HcsJson.golden("result-error.json"), ResultError.class);

    assertThat(e.error()).isEqualTo(0x8037010E); // HCS_E_SYSTEM_NOT_FOUND
    assertThat(e.errorEvents())
        .singleElement()
        .satisfies(
            ev -> {
              assertThat(ev.eventId()).isEqualTo(11000);
              assertThat(ev.flags()).isZero();
              assertThat(ev.source()).isEqualTo("vmcompute.dll");
            });
    assertThat(e.attribution()).isEmpty();
  }

  @Test
  void systemExitStatusCarriesExitTypeAndAttribution() throws Exception {
    SystemExitStatus s =
        HcsJson.read(HcsJson.golden("system-exit-status.json"), SystemExitStatus.class);

    assertThat(s.status()).isEqualTo(0x80370106); // HCS_E_UNEXPECTED_EXIT
    assertThat(s.exitType()).isEqualTo(ExitType.UNEXPECTED_EXIT);
    assertThat(s.attribution())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.systemExit().detail()).isEqualTo(SystemExitDetail.UNEXPECTED_EXIT);
              assertThat(a.systemExit().initiator()).isEqualTo(ExitInitiator.GUEST_OS);
            });
  }

  @Test
  void processRequestsReadTyped() throws Exception {
    assertThat(
            HcsJson.read(HcsJson.golden("signal-process-options.json"), SignalProcessOptions.class))
        .isEqualTo(new SignalProcessOptions(ProcessSignal.CTRL_SHUTDOWN));
    assertThat(
            HcsJson.read(HcsJson.golden("process-modify-request.json"), ProcessModifyRequest.class))
        .isEqualTo(
            new ProcessModifyRequest(ModifyOperation.CONSOLE_SIZE, new ConsoleSize(40, 120), null));
    assertThat(
            HcsJson.read(HcsJson.golden("property-query.json"), PropertyQuery.class)
                .propertyTypes())
        .containsExactly(
            PropertyType.STATISTICS, PropertyType.PROCESS_LIST, PropertyType.SYSTEM_GUID);
    assertThat(HcsJson.read(HcsJson.golden("system-query.json"), SystemQuery.class))
        .isEqualTo(
            new SystemQuery(
                List.of("c1", "c2"), List.of(), List.of(SystemType.CONTAINER), List.of("silo")));
    assertThat(HcsJson.read(HcsJson.golden("shutdown-options.json"), ShutdownOptions.class))
        .isEqualTo(
            new ShutdownOptions(
                ShutdownMechanism.GUEST_CONNECTION, ShutdownType.SHUTDOWN, false, "runhcs delete"));
  }
}
