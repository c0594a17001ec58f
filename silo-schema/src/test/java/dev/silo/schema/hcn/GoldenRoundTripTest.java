package dev.silo.schema.hcn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden HCN document (shaped like hcsshim's output) reads and writes back byte for byte. */
class GoldenRoundTripTest {

  static Stream<Arguments> documents() {
    return Stream.of(
        Arguments.of("network-overlay.json", HostComputeNetwork.class),
        Arguments.of("network-nat.json", HostComputeNetwork.class),
        Arguments.of("endpoint.json", HostComputeEndpoint.class),
        Arguments.of("namespace.json", HostComputeNamespace.class),
        Arguments.of("load-balancer.json", HostComputeLoadBalancer.class),
        Arguments.of("query.json", HostComputeQuery.class),
        Arguments.of("modify-network-policy.json", ModificationRequest.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documents")
  void roundTripsByteForByte(String file, Class<?> type) throws Exception {
    String golden = HcnJson.golden(file);

    Object record = HcnJson.read(golden, type);

    assertThat(record).isInstanceOf(type);
    assertThat(HcnJson.write(record)).isEqualTo(golden);
    assertThat(HcnJson.read(golden, type)).isEqualTo(record);
  }
}
