package dev.silo.hns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.ProviderAddressPolicySetting;
import dev.silo.schema.hcn.RemoteSubnetRoutePolicySetting;
import dev.silo.schema.hcn.Subnet;
import dev.silo.schema.hcn.SubnetPolicy;
import dev.silo.schema.hcn.VsidPolicySetting;
import dev.silo.schema.hcn.VxlanPortPolicySetting;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlay documents the service refuses before any row or kernel step, with one clear message. */
class OverlayChecksTest {
  @TempDir Path dir;
  TestHns t;
  HostNetworkService hns;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestHns(dir);
    hns = t.open();
  }

  static Subnet subnet(String prefix, long vsid) {
    return new Subnet(
        prefix, List.of(new SubnetPolicy("VSID", new VsidPolicySetting(vsid))), List.of(), null);
  }

  static HostComputeNetwork overlay(NetworkPolicy... policies) {
    return HostComputeNetwork.of("ov", NetworkType.OVERLAY, subnet("10.96.0.0/24", 4096))
        .withPolicies(List.of(policies));
  }

  static NetworkPolicy route(String prefix, String pa, String mac) {
    return NetworkPolicy.of(new RemoteSubnetRoutePolicySetting(prefix, 4096, pa, mac));
  }

  private void rejected(HostComputeNetwork bad, HResult code, String text) throws Exception {
    int kernel = t.dataplane.kernel.size();
    assertThatThrownBy(() -> hns.createNetwork(bad))
        .isInstanceOfSatisfying(HnsException.class, e -> assertThat(e.hresult()).isEqualTo(code))
        .hasMessageContaining(text);
    assertThat(t.objects()).isZero();
    assertThat(t.dataplane.kernel).hasSize(kernel);
  }

  @Test
  void vsidIsRequiredInRangeAndOnePerNetwork() throws Exception {
    rejected(
        HostComputeNetwork.of("ov", NetworkType.OVERLAY, Subnet.of("10.96.0.0/24", null)),
        HResult.HCN_E_INVALID_POLICY,
        "has no VSID policy");
    rejected(
        HostComputeNetwork.of("ov", NetworkType.OVERLAY, subnet("10.96.0.0/24", 1L << 24)),
        HResult.HCN_E_INVALID_POLICY,
        "VSID IsolationId 16777216");
    rejected(
        HostComputeNetwork.of(
            "ov", NetworkType.OVERLAY, subnet("10.96.0.0/24", 5), subnet("10.96.1.0/24", 6)),
        HResult.HCN_E_INVALID_POLICY,
        "one VXLAN segment");
    rejected(
        HostComputeNetwork.of("ov", NetworkType.OVERLAY),
        HResult.HCN_E_INVALID_SUBNET,
        "needs a subnet");
  }

  @Test
  void encapsulationPoliciesMustParse() throws Exception {
    String mac = "02-AA-00-00-00-02";
    rejected(
        overlay(route("10.97.0.0/33", "10.251.0.2", mac)),
        HResult.HCN_E_INVALID_POLICY,
        "RemoteSubnetRoute DestinationPrefix");
    rejected(
        overlay(route("10.97.0.0/24", "10.251.0", mac)),
        HResult.HCN_E_INVALID_POLICY,
        "RemoteSubnetRoute ProviderAddress");
    rejected(
        overlay(route("10.97.0.0/24", "10.251.0.2", "02-AA")),
        HResult.HCN_E_INVALID_POLICY,
        "DistributedRouterMacAddress");
    rejected(
        overlay(NetworkPolicy.of(new VxlanPortPolicySetting(70000))),
        HResult.HCN_E_INVALID_POLICY,
        "VxlanPort Port 70000");
    assertThat(hns.createNetwork(overlay(route("10.97.0.0/24", "10.251.0.2", mac))).policies())
        .hasSize(1);
  }

  @Test
  void remoteEndpointsNeedMacAddressAndProviderAddressOnAnOverlay() throws Exception {
    HostComputeNetwork ov = hns.createNetwork(overlay());
    HostComputeNetwork nat = hns.createNetwork(TestHns.nat("nat", "172.20.0.0/16"));
    HostComputeEndpoint full =
        new HostComputeEndpoint(
            null,
            "remote",
            TestHns.id(ov),
            null,
            List.of(EndpointPolicy.of(new ProviderAddressPolicySetting("10.251.0.2"))),
            List.of(new IpConfig("10.96.0.20", null)),
            null,
            List.of(),
            "00-15-5D-60-00-14",
            HostComputeEndpoint.REMOTE_ENDPOINT,
            null,
            null);
    int kernel = t.dataplane.kernel.size();
    assertThatThrownBy(() -> hns.createEndpoint(full.withPolicies(List.of())))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_ENDPOINT))
        .hasMessageContaining("without a ProviderAddress policy");
    assertThatThrownBy(
            () ->
                hns.createEndpoint(
                    new HostComputeEndpoint(
                        null,
                        "remote",
                        TestHns.id(nat),
                        null,
                        full.policies(),
                        full.ipConfigurations(),
                        null,
                        List.of(),
                        full.macAddress(),
                        full.flags(),
                        null,
                        null)))
        .isInstanceOfSatisfying(
            HnsException.class,
            e ->
                assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION));
    assertThat(t.dataplane.kernel).hasSize(kernel);
    assertThat(hns.createEndpoint(full).macAddress()).isEqualTo("00-15-5D-60-00-14");
  }
}
