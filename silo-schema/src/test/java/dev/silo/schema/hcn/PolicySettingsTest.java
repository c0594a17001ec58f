package dev.silo.schema.hcn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy Settings are read into the record their Type names, and a mismatch is a clear error. */
class PolicySettingsTest {

  @Test
  void settingsAreTypedByType() throws Exception {
    HostComputeEndpoint ep =
        HcnJson.read(HcnJson.golden("endpoint.json"), HostComputeEndpoint.class);

    assertThat(ep.policies().get(0).settings())
        .isEqualTo(new PortMappingPolicySetting(6, 80, 8080, null, null));
    assertThat(ep.policies().get(1).settings()).isInstanceOf(OutboundNatPolicySetting.class);
    assertThat(ep.policySettings(SdnRoutePolicySetting.class))
        .containsExactly(new SdnRoutePolicySetting("10.96.0.0/12", null, true));
    HostComputeNetwork net =
        HcnJson.read(HcnJson.golden("network-overlay.json"), HostComputeNetwork.class);
    assertThat(net.policies().get(3).settings())
        .isEqualTo(
            new RemoteSubnetRoutePolicySetting(
                "10.244.2.0/24", 4096, "192.168.1.12", "0e-2a-c0-a8-01-0c"));
    assertThat(net.subnets().get(0).policies().get(0).settings())
        .isEqualTo(new VsidPolicySetting(4096));
  }

  @Test
  void settingsOfAnotherTypeAreRejectedWhenRead() {
    String json = "{\"Type\":\"PortMapping\",\"Settings\":{\"MaximumOutgoingBandwidthInBytes\":5}}";

    assertThatThrownBy(() -> HcnJson.read(json, EndpointPolicy.class))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("MaximumOutgoingBandwidthInBytes")
        .hasMessageContaining("PortMappingPolicySetting");
  }

  @Test
  void unknownTypeIsRejectedWhenRead() {
    String json = "{\"Type\":\"Bogus\",\"Settings\":{}}";

    assertThatThrownBy(() -> HcnJson.read(json, NetworkPolicy.class))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("Bogus");
  }

  @Test
  void settingsOfAnotherTypeAreRejectedWhenBuilt() {
    assertThatThrownBy(
            () -> new EndpointPolicy("QOS", new PortMappingPolicySetting(6, 1, 2, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "endpoint policy Type QOS takes QosPolicySetting settings, not PortMappingPolicySetting");
  }

  @Test
  void typeIsDerivedFromSettings() throws Exception {
    EndpointPolicy p = EndpointPolicy.of(new QosPolicySetting(1000));

    assertThat(p.type()).isEqualTo("QOS");
    assertThat(HcnJson.write(p))
        .isEqualTo("{\"Type\":\"QOS\",\"Settings\":{\"MaximumOutgoingBandwidthInBytes\":1000}}");
    assertThat(NetworkPolicy.of(new HostRoutePolicySetting()).type()).isEqualTo("HostRoute");
  }

  @Test
  void policyWithoutSettingsRoundTrips() throws Exception {
    EndpointPolicy p = HcnJson.read("{\"Type\":\"L2Driver\"}", EndpointPolicy.class);

    assertThat(p.settings()).isNull();
    assertThat(HcnJson.write(p)).isEqualTo("{\"Type\":\"L2Driver\"}");
  }

  @Test
  void networkTypeAcceptsDockerSpelling() throws Exception {
    assertThat(HcnJson.read("\"l2bridge\"", NetworkType.class)).isEqualTo(NetworkType.L2BRIDGE);
    assertThat(HcnJson.write(NetworkType.NAT)).isEqualTo("\"NAT\"");
  }

  @Test
  void collectionsAreImmutable() {
    HostComputeNetwork n =
        HostComputeNetwork.of("n", NetworkType.NAT, Subnet.of("10.0.0.0/24", null));

    assertThatThrownBy(() -> n.ipams().add(new Ipam("Static", List.of())))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
