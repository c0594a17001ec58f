package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.hns.spi.PolicySyntax;
import dev.silo.schema.hcn.AclPolicySetting;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.SetPolicySetting;
import dev.silo.schema.hcn.Subnet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The ACL and SetPolicy nft batches, without a kernel. */
class AclTableTest {
  static final String NET = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
  static final HostComputeNetwork NETWORK =
      HostComputeNetwork.of("n", NetworkType.NAT, Subnet.of("172.31.77.0/24", "172.31.77.1"))
          .withId(NET);

  static EndpointPolicy acl(
      String action,
      String dir,
      @Nullable String proto,
      @Nullable String remote,
      @Nullable String localPorts,
      int priority) {
    return EndpointPolicy.of(
        new AclPolicySetting(proto, action, dir, null, remote, localPorts, null, null, priority));
  }

  static HostComputeEndpoint ep(EndpointPolicy... p) {
    return NatTableTest.endpoint().withPolicies(List.of(p));
  }

  @Test
  void rulesRunInPriorityOrderPerDirection() {
    Map<String, List<String>> rules =
        AclTable.rules(
            NETWORK,
            ep(
                acl("Block", "In", "6", null, null, 200),
                acl("Allow", "In", "6", "10.0.0.0/8, 10.1.2.3", "80,1000-2000", 100),
                acl("Allow", "Out", "17", null, "53", 5)));
    assertThat(rules.get("In"))
        .containsExactly(
            "meta l4proto 6 ip saddr { 10.0.0.0/8, 10.1.2.3 } th dport { 80, 1000-2000 } accept",
            "meta l4proto tcp tcp flags & (syn | ack) == syn drop");
    // Out: the endpoint is the source, so its local port is the source port
    assertThat(rules.get("Out")).containsExactly("meta l4proto 17 th sport 53 accept");
  }

  @Test
  void aBlockOfEveryProtocolSplitsIntoTcpOpeningsAndTheRest() {
    assertThat(
            AclTable.rules(NETWORK, ep(acl("Block", "Out", null, "192.0.2.0/24", null, 1)))
                .get("Out"))
        .containsExactly(
            "meta l4proto tcp ip daddr 192.0.2.0/24 tcp flags & (syn | ack) == syn drop",
            "ether type ip meta l4proto != tcp ip daddr 192.0.2.0/24 drop");
  }

  @Test
  void endpointBatchAddsChainAndMapElementThenOnlyRewritesTheChange() {
    String id = NatTableTest.EP;
    Map<String, List<String>> one = Map.of("In", List.of("meta l4proto 6 accept"));
    String add = AclTable.endpointBatch(id, Map.of(), one);
    String head =
        """
        add chain bridge siloacl in3f2504e04f
        add element bridge siloacl toep { "silov3f2504e04f" : jump in3f2504e04f }
        flush chain bridge siloacl in3f2504e04f
        """;
    assertThat(add)
        .isEqualTo(head + "add rule bridge siloacl in3f2504e04f meta l4proto 6 accept\n");
    Map<String, List<String>> two =
        Map.of("In", List.of("meta l4proto 6 accept"), "Out", List.of("meta l4proto 17 drop"));
    // only the Out chain appears: the unchanged In chain is not touched
    assertThat(AclTable.endpointBatch(id, one, two))
        .isEqualTo(
            """
            add chain bridge siloacl out3f2504e04f
            add element bridge siloacl fromep { "silov3f2504e04f" : jump out3f2504e04f }
            flush chain bridge siloacl out3f2504e04f
            add rule bridge siloacl out3f2504e04f meta l4proto 17 drop
            """);
    assertThat(AclTable.endpointBatch(id, one, Map.of()))
        .isEqualTo(
            head
                + "delete element bridge siloacl toep { \"silov3f2504e04f\" }\n"
                + "delete chain bridge siloacl in3f2504e04f\n");
    assertThat(AclTable.endpointBatch(id, one, Map.of("In", List.of("drop"))))
        .isEqualTo(head + "add rule bridge siloacl in3f2504e04f drop\n");
    assertThat(AclTable.endpointBatch(id, one, one)).isEmpty();
  }

  @Test
  void setsAreFlattenedAndRulesReferToThemByNetworkScopedName() {
    HostComputeNetwork n =
        NETWORK.withPolicies(
            List.of(
                NetworkPolicy.of(
                    new SetPolicySetting("azure-npm-1", "a", "IPSET", "10.0.0.5,10.0.1.0/24")),
                NetworkPolicy.of(new SetPolicySetting("azure-npm-2", "b", "IPSET", "10.0.2.7")),
                NetworkPolicy.of(
                    new SetPolicySetting(
                        "azure-npm-3", "ab", "NESTEDIPSET", "azure-npm-1,azure-npm-2"))));
    Map<String, Set<String>> sets = PolicySyntax.flatten(n);
    assertThat(sets.get("azure-npm-3")).containsExactly("10.0.0.5", "10.0.1.0/24", "10.0.2.7");
    String nested = AclTable.setName(NET, "azure-npm-3");
    assertThat(nested).matches("s[0-9a-f]{10}");
    String batch = AclTable.setBatch(NET, Map.of(), sets);
    assertThat(batch)
        .contains("add set bridge siloacl " + nested + " { type ipv4_addr; flags interval;")
        .contains("add element bridge siloacl " + nested + " { 10.0.0.5, 10.0.1.0/24, 10.0.2.7 }");
    assertThat(AclTable.setBatch(NET, sets, Map.of()))
        .contains("delete set bridge siloacl " + nested + "\n");
    assertThat(AclTable.rules(n, ep(acl("Block", "In", "6", "azure-npm-3", null, 1))).get("In"))
        .containsExactly(
            "meta l4proto tcp ip saddr @" + nested + " tcp flags & (syn | ack) == syn drop");
  }

  @Test
  void badValuesFailWithOneLineNamingTheField() {
    assertThatThrownBy(() -> AclTable.rules(NETWORK, ep(acl("Deny", "In", "6", null, null, 1))))
        .hasMessage("ACL Action 'Deny': not Allow, Block or Pass");
    assertThatThrownBy(
            () -> AclTable.rules(NETWORK, ep(acl("Allow", "In", "6", "10.0.0.300", null, 1))))
        .hasMessageContaining("ACL RemoteAddresses '10.0.0.300'");
    assertThatThrownBy(() -> AclTable.rules(NETWORK, ep(acl("Allow", "In", "6", null, "70000", 1))))
        .hasMessageContaining("ACL LocalPorts '70000'");
    assertThatThrownBy(() -> AclTable.rules(NETWORK, ep(acl("Allow", "In", "1", null, "80", 1))))
        .hasMessageContaining("ACL ports need Protocols TCP (6) or UDP (17)");
    HostComputeNetwork cyclic =
        NETWORK.withPolicies(
            List.of(NetworkPolicy.of(new SetPolicySetting("x", "x", "NESTEDIPSET", "x"))));
    assertThatThrownBy(() -> PolicySyntax.flatten(cyclic)).hasMessageContaining("cycle");
  }
}
