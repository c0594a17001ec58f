package dev.silo.hns;

import static dev.silo.hns.TestHns.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.internal.HcnCodec;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.MacPool;
import dev.silo.schema.hcn.MacRange;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.SchemaVersion;
import dev.silo.schema.hcn.Subnet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Endpoint creation: IPAM, MACs, port claims, policy checks and their HCN errors. */
class EndpointServiceTest {
  @TempDir Path dir;
  TestHns t;
  HostNetworkService hns;
  HostComputeNetwork nat;

  @BeforeEach
  void open() throws Exception {
    t = new TestHns(dir);
    hns = t.open();
    nat = hns.createNetwork(TestHns.nat("nat", "172.20.0.0/24"));
  }

  static HostComputeEndpoint withIp(String name, HostComputeNetwork n, String ip) {
    return new HostComputeEndpoint(
        null,
        name,
        n.id(),
        null,
        List.of(),
        List.of(new IpConfig(ip, null)),
        null,
        List.of(),
        null,
        null,
        null,
        SchemaVersion.V2);
  }

  static HostComputeEndpoint withPorts(String name, HostComputeNetwork n, int... externals) {
    List<EndpointPolicy> policies =
        java.util.Arrays.stream(externals)
            .mapToObj(p -> EndpointPolicy.of(new PortMappingPolicySetting(6, 80, p, null, null)))
            .toList();
    return TestHns.endpoint(name, n).withPolicies(policies);
  }

  @Test
  void firstEndpointGetsTheFirstAddressAfterTheGatewayAndADerivedMac() throws Exception {
    HostComputeEndpoint a = hns.createEndpoint(TestHns.endpoint("a", nat));
    HostComputeEndpoint b = hns.createEndpoint(TestHns.endpoint("b", nat));

    assertThat(a.ipConfigurations()).containsExactly(new IpConfig("172.20.0.2", 24));
    assertThat(a.macAddress()).isEqualTo("00-15-5D-14-00-02");
    assertThat(a.routes()).containsExactly(new Route("172.20.0.1", "0.0.0.0/0", null));
    assertThat(b.ipConfigurations()).containsExactly(new IpConfig("172.20.0.3", 24));
    assertThat(t.dataplane.kernel).containsKeys("Endpoint " + id(a), "Endpoint " + id(b));
    assertThat(hns.getEndpointById(id(a))).isEqualTo(a);
    assertThat(hns.getEndpointByName("b")).isEqualTo(b);
    assertThatThrownBy(() -> hns.getEndpointByName("zz"))
        .isInstanceOfSatisfying(
            HnsException.NotFound.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENDPOINT_NOT_FOUND))
        .hasMessageContaining("Endpoint name \"zz\" not found");
  }

  @Test
  void deletedAddressesAreReused() throws Exception {
    HostComputeEndpoint a = hns.createEndpoint(TestHns.endpoint("a", nat));
    hns.createEndpoint(TestHns.endpoint("b", nat));

    hns.deleteEndpoint(id(a));

    assertThat(hns.createEndpoint(TestHns.endpoint("c", nat)).ipConfigurations())
        .containsExactly(new IpConfig("172.20.0.2", 24));
  }

  @Test
  void staticAddressMustBeInASubnetFreeAndNotTheGateway() throws Exception {
    HostComputeEndpoint s = hns.createEndpoint(withIp("s", nat, "172.20.0.50"));
    assertThat(s.ipConfigurations()).containsExactly(new IpConfig("172.20.0.50", 24));

    assertRejected(withIp("x", nat, "10.9.9.9"), HResult.HCN_E_INVALID_IP, "not in any subnet");
    assertRejected(withIp("x", nat, "172.20.0.1"), HResult.HCN_E_INVALID_IP, "gateway");
    assertRejected(withIp("x", nat, "172.20.0.255"), HResult.HCN_E_INVALID_IP, "broadcast");
    assertRejected(
        withIp("x", nat, "172.20.0.999"), HResult.HCN_E_INVALID_IP, "not an IPv4 address");
    assertRejected(
        withIp("x", nat, "172.20.0.50"),
        HResult.ERROR_OBJECT_ALREADY_EXISTS,
        "already used by endpoint " + id(s));
    // The allocator skips the static address.
    hns.createEndpoint(withIp("t", nat, "172.20.0.2"));
    assertThat(hns.createEndpoint(TestHns.endpoint("u", nat)).ipConfigurations().get(0).ipAddress())
        .isEqualTo("172.20.0.3");
  }

  @Test
  void gatewayIsAssignableWhenTheSubnetDoesNotReserveIt() throws Exception {
    Subnet s =
        new Subnet("10.5.0.0/24", List.of(), List.of(new Route("10.5.0.1", "0.0.0.0/0", null)), 1);
    HostComputeNetwork l2 = hns.createNetwork(HostComputeNetwork.of("l2", NetworkType.L2BRIDGE, s));

    assertThat(hns.createEndpoint(TestHns.endpoint("e", l2)).ipConfigurations().get(0).ipAddress())
        .isEqualTo("10.5.0.1");
  }

  @Test
  void macsComeFromTheNetworkPoolAndAreUniqueOnTheHost() throws Exception {
    HostComputeNetwork pooled =
        hns.createNetwork(
            new HostComputeNetwork(
                null,
                "pooled",
                NetworkType.NAT,
                List.of(),
                new MacPool(List.of(new MacRange("0E-2A-00-00-00-10", "0E-2A-00-00-00-11"))),
                null,
                List.of(
                    new dev.silo.schema.hcn.Ipam(
                        "Static", List.of(Subnet.of("10.7.0.0/24", null)))),
                null,
                null,
                null));

    HostComputeEndpoint a = hns.createEndpoint(TestHns.endpoint("a", pooled));
    HostComputeEndpoint b = hns.createEndpoint(TestHns.endpoint("b", pooled));

    assertThat(List.of(a.macAddress(), b.macAddress()))
        .containsExactly("0E-2A-00-00-00-10", "0E-2A-00-00-00-11");
    assertRejected(TestHns.endpoint("c", pooled), HResult.HCN_E_INVALID_ENDPOINT, "MAC pool");
    HostComputeEndpoint given =
        TestHns.endpoint("d", nat).withAddressing(List.of(), "0e:2a:00:00:00:10", List.of());
    assertRejected(
        given, HResult.ERROR_OBJECT_ALREADY_EXISTS, "MacAddress 0E-2A-00-00-00-10 is already used");
  }

  @Test
  void duplicateNameIsObjectAlreadyExists() throws Exception {
    hns.createEndpoint(TestHns.endpoint("web", nat));

    assertRejected(
        TestHns.endpoint("web", nat),
        HResult.ERROR_OBJECT_ALREADY_EXISTS,
        "named web already exists");
    assertThat(HResult.ERROR_OBJECT_ALREADY_EXISTS.code()).isEqualTo(0x80071392);
  }

  @Test
  void unknownOrMissingNetworkIsRejected() throws Exception {
    assertRejected(
        HostComputeEndpoint.of("e", "0bad0000-0000-0000-0000-000000000000"),
        HResult.HCN_E_NETWORK_NOT_FOUND,
        "Network ID 0bad0000-0000-0000-0000-000000000000 not found");
    assertRejected(
        TestHns.endpoint("e", nat.withId("")).withAddressing(List.of(), null, List.of()),
        HResult.HCN_E_INVALID_ENDPOINT,
        "HostComputeNetwork is missing");
  }

  @Test
  void hostPortIsClaimedOncePerProtocolAcrossEndpoints() throws Exception {
    HostComputeEndpoint web = hns.createEndpoint(withPorts("web", nat, 8080));
    // Same port, other protocol: allowed.
    hns.createEndpoint(
        TestHns.endpoint("dns", nat)
            .withPolicies(
                List.of(
                    EndpointPolicy.of(new PortMappingPolicySetting(17, 53, 8080, null, null)))));

    assertRejected(
        withPorts("db", nat, 8080),
        HResult.HCN_E_PORT_ALREADY_EXISTS,
        "host port 8080/tcp is already mapped by endpoint " + id(web));
    assertRejected(
        withPorts("twice", nat, 9000, 9000), HResult.HCN_E_PORT_ALREADY_EXISTS, "9000/tcp");
    hns.deleteEndpoint(id(web));
    assertThat(hns.createEndpoint(withPorts("db", nat, 8080)).policies()).hasSize(1);
  }

  @Test
  void portMappingChecksProtocolAndInternalPort() throws Exception {
    HostComputeEndpoint icmp =
        TestHns.endpoint("x", nat)
            .withPolicies(
                List.of(EndpointPolicy.of(new PortMappingPolicySetting(1, 80, 80, null, null))));
    HostComputeEndpoint noInternal =
        TestHns.endpoint("x", nat)
            .withPolicies(
                List.of(EndpointPolicy.of(new PortMappingPolicySetting(6, null, 80, null, null))));

    assertRejected(icmp, HResult.HCN_E_INVALID_POLICY, "Protocol 1 is not 6 (TCP) or 17 (UDP)");
    assertRejected(noInternal, HResult.HCN_E_INVALID_INTERNAL_PORT, "InternalPort 0");
  }

  @Test
  void policyWithSettingsOfAnotherTypeFailsToParseWithAClearError() {
    String json =
        "{\"Name\":\"x\",\"HostComputeNetwork\":\"n\",\"Policies\":[{\"Type\":\"PortMapping\","
            + "\"Settings\":{\"MaximumOutgoingBandwidthInBytes\":10}}]}";

    assertThatThrownBy(
            () -> HcnCodec.read("hcnCreateEndpoint", "x", json, HostComputeEndpoint.class))
        .isInstanceOfSatisfying(
            HnsException.InvalidInput.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("MaximumOutgoingBandwidthInBytes")
        .hasMessageContaining("PortMappingPolicySetting");
    assertThatThrownBy(
            () ->
                HcnCodec.read(
                    "hcnCreateEndpoint",
                    "x",
                    "{\"Policies\":[{\"Type\":\"Nope\",\"Settings\":{}}]}",
                    HostComputeEndpoint.class))
        .isInstanceOfSatisfying(
            HnsException.InvalidInput.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY_TYPE));
  }

  @Test
  void modifyPoliciesReclaimsPortsAndReprogramsTheDataplane() throws Exception {
    HostComputeEndpoint web = hns.createEndpoint(withPorts("web", nat, 8080));
    Map<String, Object> pm =
        Map.of(
            "Type",
            "PortMapping",
            "Settings",
            Map.of("Protocol", 6, "InternalPort", 80, "ExternalPort", 9090));

    HostComputeEndpoint after =
        hns.modifyEndpoint(
            id(web),
            new ModificationRequest(
                "Policy", ModifyRequestType.UPDATE, Map.of("Policies", List.of(pm))));

    assertThat(after.policySettings(PortMappingPolicySetting.class))
        .containsExactly(new PortMappingPolicySetting(6, 80, 9090, null, null));
    assertThat(t.dataplane.kernel.get("EndpointPolicies " + id(web))).contains("9090");
    hns.createEndpoint(withPorts("other", nat, 8080)); // 8080 was released
    assertRejected(withPorts("third", nat, 9090), HResult.HCN_E_PORT_ALREADY_EXISTS, "9090/tcp");
  }

  @Test
  void listFiltersByNetwork() throws Exception {
    HostComputeNetwork other = hns.createNetwork(TestHns.nat("other", "10.8.0.0/24"));
    HostComputeEndpoint a = hns.createEndpoint(TestHns.endpoint("a", nat));
    HostComputeEndpoint b = hns.createEndpoint(TestHns.endpoint("b", other));

    assertThat(hns.listEndpoints(null)).containsExactly(a, b);
    assertThat(
            hns.listEndpoints(
                HostComputeQuery.of("{\"HostComputeNetwork\":\"" + id(other) + "\"}")))
        .containsExactly(b);
  }

  private void assertRejected(HostComputeEndpoint bad, HResult code, @Nullable String text)
      throws Exception {
    Map<String, Integer> before = t.rows();
    int kernel = t.dataplane.kernel.size();
    assertThatThrownBy(() -> hns.createEndpoint(bad))
        .isInstanceOfSatisfying(HnsException.class, e -> assertThat(e.hresult()).isEqualTo(code))
        .hasMessageContaining(text == null ? "" : text);
    assertThat(t.rows()).isEqualTo(before);
    assertThat(t.dataplane.kernel).hasSize(kernel);
  }
}
