package dev.silo.schema.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden document reads into its record and writes back byte for byte. */
class GoldenRoundTripTest {

  static Stream<Arguments> documents() {
    return Stream.of(
        Arguments.of("compute-system-process-container.json", ComputeSystem.class),
        Arguments.of("compute-system-utility-vm.json", ComputeSystem.class),
        Arguments.of("compute-system-linux-hosted.json", ComputeSystem.class),
        Arguments.of("process-parameters.json", ProcessParameters.class),
        Arguments.of("process-parameters-linux.json", ProcessParameters.class),
        Arguments.of("properties-statistics-processlist.json", Properties.class),
        Arguments.of("modify-setting-request.json", ModifySettingRequest.class),
        Arguments.of("result-error.json", ResultError.class),
        Arguments.of("system-exit-status.json", SystemExitStatus.class),
        Arguments.of("signal-process-options.json", SignalProcessOptions.class),
        Arguments.of("process-modify-request.json", ProcessModifyRequest.class),
        Arguments.of("property-query.json", PropertyQuery.class),
        Arguments.of("system-query.json", SystemQuery.class),
        Arguments.of("shutdown-options.json", ShutdownOptions.class),
        Arguments.of("pause-options.json", PauseOptions.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void roundTripsByteForByte(String file, Class<?> type) throws Exception {
    String golden = HcsJson.golden(file);

    Object record = HcsJson.read(golden, type);

    assertThat(record).isInstanceOf(type);
    assertThat(HcsJson.write(record)).isEqualTo(golden);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void readingTwiceGivesEqualRecords(String file, Class<?> type) throws Exception {
    String golden = HcsJson.golden(file);

    assertThat(HcsJson.read(golden, type)).isEqualTo(HcsJson.read(golden, type));
  }
}
