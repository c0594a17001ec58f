package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkApiTest {
  private static JsonNode ipam(String json) throws Exception {
    return Json.MAPPER.readTree(json);
  }

  @Test
  void aValidBlockIsKept() throws Exception {
    assertThat(
            NetworkApi.ipam(
                ipam("{\"Config\":[{\"Subnet\":\"10.9.0.0/16\",\"Gateway\":\"10.9.0.254\"}]}"),
                false))
        .containsExactly(new NetworkRecord.IpamBlock("10.9.0.0/16", "10.9.0.254", ""));
  }

  @Test
  void badBlocksFailWithDockerdsMessagesTogether() {
    assertThatThrownBy(
            () ->
                NetworkApi.ipam(
                    ipam(
                        "{\"Config\":[{\"Subnet\":\"10.1.2.3/24\",\"Gateway\":\"10.2.0.1\"},"
                            + "{\"Subnet\":\"nonsense\"}]}"),
                    false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "invalid network config:\n"
                + "invalid subnet 10.1.2.3/24: it should be 10.1.2.0/24\n"
                + "invalid gateway 10.2.0.1: parent subnet 10.1.2.3/24 doesn't contain this"
                + " address\n"
                + "invalid subnet nonsense: invalid CIDR block notation");
  }

  @Test
  void ipRangesMustLieInTheSubnet() {
    assertThatThrownBy(
            () ->
                NetworkApi.ipam(
                    ipam("{\"Config\":[{\"Subnet\":\"10.1.0.0/24\",\"IPRange\":\"10.2.0.0/25\"}]}"),
                    false))
        .hasMessageContaining(
            "invalid ip-range 10.2.0.0/25: parent subnet 10.1.0.0/24 doesn't contain ip-range");
  }

  @Test
  void unknownDriversAreDockerdsPluginNotFound() {
    assertThatThrownBy(() -> NetworkApi.type("macvlan"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage("could not find plugin macvlan in v1 plugin registry: plugin not found");
  }

  @Test
  void windowsShimOptionsBecomeHnsPolicies() throws ApiException {
    HostComputeNetwork n =
        NetworkDocument.of(
            "o1",
            NetworkType.OVERLAY,
            List.of(new NetworkRecord.IpamBlock("10.20.0.0/24", "10.20.0.1", "")),
            Map.of(NetworkRegistry.OPT_VSID, "4097", NetworkRegistry.OPT_INTERFACE, "eth1"));
    assertThat(n.type()).isEqualTo(NetworkType.OVERLAY);
    assertThat(n.policies())
        .singleElement()
        .satisfies(p -> assertThat(p.type()).isEqualTo("NetAdapterName"));
    assertThat(n.subnets())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.ipAddressPrefix()).isEqualTo("10.20.0.0/24");
              assertThat(s.policies())
                  .singleElement()
                  .satisfies(p -> assertThat(p.type()).isEqualTo("VSID"));
              assertThat(s.routes())
                  .singleElement()
                  .satisfies(r -> assertThat(r.nextHop()).isEqualTo("10.20.0.1"));
            });
  }

  @Test
  void aNonNumericVsidIs400() {
    assertThatThrownBy(
            () ->
                NetworkDocument.of(
                    "o1",
                    NetworkType.OVERLAY,
                    List.of(new NetworkRecord.IpamBlock("10.20.0.0/24", "", "")),
                    Map.of(NetworkRegistry.OPT_VSID, "x")))
        .hasMessage("invalid VSID value x: not a number");
  }
}
