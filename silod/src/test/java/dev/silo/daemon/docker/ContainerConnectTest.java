package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.daemon.http.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code --ip} of a connect checked as moby's validateEndpointSettings does. */
class ContainerConnectTest {
  private static NetworkRecord network(boolean predefined, String... subnets) {
    return new NetworkRecord(
        "f".repeat(64),
        predefined ? "nat" : "n1",
        "hns",
        "nat",
        "2026-12-07T00:00:00Z",
        Map.of(),
        Map.of(),
        java.util.Arrays.stream(subnets).map(s -> new NetworkRecord.IpamBlock(s, "", "")).toList(),
        false,
        false,
        predefined);
  }

  private static void refused(NetworkRecord n, String ip, String why) {
    assertThatThrownBy(() -> ContainerConnect.checkAddress(n, ip))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("invalid endpoint settings:\n" + why);
  }

  @Test
  void anAddressInsideAConfiguredSubnetOrNoneAtAllIsFine() {
    NetworkRecord n = network(false, "10.96.1.0/24", "10.96.9.0/24");
    assertThatCode(() -> ContainerConnect.checkAddress(n, "")).doesNotThrowAnyException();
    assertThatCode(() -> ContainerConnect.checkAddress(n, "10.96.1.50")).doesNotThrowAnyException();
    assertThatCode(() -> ContainerConnect.checkAddress(n, "10.96.9.2")).doesNotThrowAnyException();
  }

  @Test
  void badAddressesAreRefusedWithDockerdsWords() {
    NetworkRecord n = network(false, "10.96.1.0/24");
    refused(n, "10.99.0.5", "no configured subnet or ip-range contain the IP address 10.99.0.5");
    refused(n, "10.96.1", "invalid IPv4 address: 10.96.1");
    refused(n, "0.0.0.0", "invalid IPv4 address: 0.0.0.0");
    String noSubnet =
        "user specified IP address is supported only when connecting to networks with user"
            + " configured subnets";
    refused(network(true, "172.17.0.0/16"), "172.17.0.9", noSubnet);
    refused(network(false), "10.96.1.2", noSubnet);
  }
}
