package dev.silo.hns;

import static dev.silo.hns.TestHns.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.MacPool;
import dev.silo.schema.hcn.MacRange;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.RemoteSubnetRoutePolicySetting;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.Subnet;
import dev.silo.schema.hcn.SubnetPolicy;
import dev.silo.schema.hcn.VsidPolicySetting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network create / get / list / modify / delete and its validation errors against real SQLite. */
class NetworkServiceTest {
  @TempDir Path dir;
  TestHns t;
  HostNetworkService hns;

  @BeforeEach
  void open() throws Exception {
    t = new TestHns(dir);
    hns = t.open();
  }

  @Test
  void createFillsIdGatewayAndProgramsTheDataplane() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("nat", "172.20.0.0/16"));

    assertThat(id(n)).matches("[0-9a-f-]{36}");
    assertThat(n.subnets().get(0).routes())
        .containsExactly(new Route("172.20.0.1", "0.0.0.0/0", null));
    assertThat(t.dataplane.kernel).containsEntry("Network " + id(n), "nat");
    assertThat(hns.getNetworkById(id(n).toUpperCase())).isEqualTo(n);
    assertThat(hns.getNetworkByName("nat")).isEqualTo(n);
  }

  @Test
  void listReturnsFullObjectsFilteredServerSide() throws Exception {
    HostComputeNetwork a = hns.createNetwork(TestHns.nat("a", "10.1.0.0/24"));
    HostComputeNetwork b =
        hns.createNetwork(
            HostComputeNetwork.of("b", NetworkType.L2BRIDGE, Subnet.of("10.1.0.0/24", "10.1.0.2")));

    assertThat(hns.listNetworks(null)).containsExactly(a, b);
    assertThat(hns.listNetworks(HostComputeQuery.of("{\"Name\":\"b\"}"))).containsExactly(b);
    assertThat(hns.listNetworks(HostComputeQuery.of("{\"Type\":\"nat\"}"))).containsExactly(a);
    assertThat(hns.listNetworks(HostComputeQuery.of("{\"Name\":\"zzz\"}"))).isEmpty();
  }

  @Test
  void modifyAddsAndRemovesPolicies() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("ov", "10.244.1.0/24"));
    Map<String, Object> route =
        Map.of(
            "Type",
            "RemoteSubnetRoute",
            "Settings",
            Map.of(
                "DestinationPrefix", "10.244.2.0/24",
                "IsolationId", 4096,
                "ProviderAddress", "192.168.1.12",
                "DistributedRouterMacAddress", "0e-2a-c0-a8-01-0c"));
    ModificationRequest add =
        new ModificationRequest(
            "Policy", ModifyRequestType.ADD, Map.of("Policies", List.of(route)));

    HostComputeNetwork after = hns.modifyNetwork(id(n), add);

    assertThat(after.policies())
        .containsExactly(
            NetworkPolicy.of(
                new RemoteSubnetRoutePolicySetting(
                    "10.244.2.0/24", 4096, "192.168.1.12", "0e-2a-c0-a8-01-0c")));
    assertThat(hns.getNetworkById(id(n))).isEqualTo(after);
    ModificationRequest remove =
        new ModificationRequest(
            "Policy", ModifyRequestType.REMOVE, Map.of("Policies", List.of(route)));
    assertThat(hns.modifyNetwork(id(n), remove).policies()).isEmpty();
  }

  @Test
  void modifyWithSettingsOfAnotherPolicyTypeIsRejected() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("ov", "10.244.1.0/24"));
    Map<String, Object> bad = Map.of("Type", "VxlanPort", "Settings", Map.of("Address", "x"));

    assertThatThrownBy(
            () ->
                hns.modifyNetwork(
                    id(n),
                    new ModificationRequest(
                        "Policy", ModifyRequestType.ADD, Map.of("Policies", List.of(bad)))))
        .isInstanceOfSatisfying(
            HnsException.InvalidInput.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("Address")
        .hasMessageContaining("VxlanPortPolicySetting");
    assertThat(hns.getNetworkById(id(n)).policies()).isEmpty();
  }

  @Test
  void deleteRemovesRowAndKernelStateAndMissingIsNotFound() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("nat", "172.20.0.0/16"));

    hns.deleteNetwork(id(n));

    assertThat(t.dataplane.kernel).isEmpty();
    t.assertRows(0, 0, 0, 0);
    assertThatThrownBy(() -> hns.deleteNetwork(id(n)))
        .isInstanceOf(HnsException.NotFound.class)
        .hasMessageContaining("Network ID " + id(n) + " not found");
    assertThatThrownBy(() -> hns.getNetworkByName("nat"))
        .isInstanceOfSatisfying(
            HnsException.NotFound.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_NETWORK_NOT_FOUND))
        .hasMessageContaining("Network name \"nat\" not found");
  }

  @Test
  void deleteWithEndpointsIsRefused() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("nat", "172.20.0.0/16"));
    hns.createEndpoint(TestHns.endpoint("e", n));

    assertThatThrownBy(() -> hns.deleteNetwork(id(n)))
        .isInstanceOfSatisfying(
            HnsException.Conflict.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENTITY_HAS_REFERENCES));
    assertThat(hns.getNetworkById(id(n))).isEqualTo(n);
  }

  private void assertRejected(HostComputeNetwork bad, HResult code, String text) throws Exception {
    int before = t.objects();
    int kernel = t.dataplane.kernel.size();
    assertThatThrownBy(() -> hns.createNetwork(bad))
        .isInstanceOfSatisfying(HnsException.class, e -> assertThat(e.hresult()).isEqualTo(code))
        .hasMessageContaining(text);
    assertThat(t.objects()).isEqualTo(before);
    assertThat(t.dataplane.kernel).hasSize(kernel);
  }

  @Test
  void invalidCidrsAreRejectedNamingTheField() throws Exception {
    assertRejected(TestHns.nat("n", "10.0.0.0"), HResult.HCN_E_INVALID_PREFIX, "no /length");
    assertRejected(TestHns.nat("n", "10.0.0.300/24"), HResult.HCN_E_INVALID_PREFIX, "10.0.0.300");
    assertRejected(TestHns.nat("n", "10.0.0.0/33"), HResult.HCN_E_INVALID_PREFIX, "above 32");
    assertRejected(TestHns.nat("n", "10.0.0.5/24"), HResult.HCN_E_INVALID_PREFIX, "host bits set");
    assertRejected(TestHns.nat("n", "10.0.0.0/31"), HResult.HCN_E_INVALID_PREFIX, "no room");
  }

  @Test
  void gatewayOutsideTheSubnetIsRejected() throws Exception {
    HostComputeNetwork bad =
        HostComputeNetwork.of("n", NetworkType.NAT, Subnet.of("10.0.0.0/24", "10.0.1.1"));

    assertRejected(
        bad, HResult.HCN_E_INVALID_SUBNET, "gateway 10.0.1.1 is outside subnet 10.0.0.0/24");
  }

  @Test
  void overlappingSubnetsAreRejectedInsideANetworkAndAcrossNatNetworks() throws Exception {
    HostComputeNetwork twice =
        HostComputeNetwork.of(
            "n", NetworkType.NAT, Subnet.of("10.0.0.0/16", null), Subnet.of("10.0.5.0/24", null));
    assertRejected(
        twice, HResult.HCN_E_INVALID_SUBNET, "overlaps subnet 10.0.0.0/16 of the same network");

    hns.createNetwork(TestHns.nat("first", "172.20.0.0/16"));
    assertRejected(
        TestHns.nat("second", "172.20.128.0/17"),
        HResult.HCN_E_INVALID_SUBNET,
        "overlaps subnet 172.20.0.0/16 of NAT network first");
    // Non-NAT networks may reuse a prefix (e.g. overlay VNIs).
    hns.createNetwork(
        HostComputeNetwork.of(
            "ov",
            NetworkType.OVERLAY,
            new Subnet(
                "172.20.0.0/16",
                List.of(new SubnetPolicy("VSID", new VsidPolicySetting(4096))),
                List.of(),
                null)));
  }

  @Test
  void duplicateNameMissingNameAndUnsupportedTypeAreRejected() throws Exception {
    hns.createNetwork(TestHns.nat("nat", "172.20.0.0/16"));

    assertRejected(
        TestHns.nat("nat", "172.21.0.0/16"),
        HResult.HCN_E_NETWORK_ALREADY_EXISTS,
        "named nat already exists");
    assertRejected(
        HostComputeNetwork.of(" ", NetworkType.NAT),
        HResult.HCN_E_INVALID_NETWORK,
        "Name is empty");
    assertRejected(
        HostComputeNetwork.of("ics", NetworkType.ICS),
        HResult.HCN_E_INVALID_NETWORK_TYPE,
        "ICS is not supported");
  }

  @Test
  void badMacPoolIsRejected() throws Exception {
    HostComputeNetwork reversed =
        new HostComputeNetwork(
            null,
            "m",
            NetworkType.NAT,
            List.of(),
            new MacPool(List.of(new MacRange("00-15-5D-00-00-10", "00-15-5D-00-00-01"))),
            null,
            List.of(),
            null,
            null,
            null);
    HostComputeNetwork garbage =
        new HostComputeNetwork(
            null,
            "m",
            NetworkType.NAT,
            List.of(),
            new MacPool(List.of(new MacRange("xx", null))),
            null,
            List.of(),
            null,
            null,
            null);

    assertRejected(reversed, HResult.HCN_E_INVALID_NETWORK, "is after EndMacAddress");
    assertRejected(garbage, HResult.HCN_E_INVALID_NETWORK, "MacPool: not a MAC address: xx");
  }

  @Test
  void generationChangesWithEveryCommittedChangeOnly() throws Exception {
    long g0 = hns.generation();
    hns.createNetwork(TestHns.nat("nat", "172.20.0.0/16"));
    long g1 = hns.generation();
    assertThatThrownBy(() -> hns.createNetwork(TestHns.nat("nat", "172.21.0.0/16")))
        .isInstanceOf(HnsException.class);

    assertThat(g1).isGreaterThan(g0);
    assertThat(hns.generation()).isEqualTo(g1);
    assertThat(hns.bootId()).isEqualTo("11111111-2222-3333-4444-555555555555");
  }
}
