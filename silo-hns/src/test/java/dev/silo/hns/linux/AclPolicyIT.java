package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.AclPolicySetting;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.SetPolicySetting;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** ACL and SetPolicy policies on real packets between endpoint namespaces of a nat network. */
class AclPolicyIT extends LabTest {

  static EndpointPolicy acl(
      String action, String dir, @Nullable String remote, @Nullable String localPorts, int prio) {
    return EndpointPolicy.of(
        new AclPolicySetting("6", action, dir, null, remote, localPorts, null, null, prio));
  }

  private NetNs attached(HostComputeEndpoint ep) throws Exception {
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns), NatDataplaneIT.id(ep));
    return NetNs.open(lab.dp.netnsName(NatDataplaneIT.id(ns)));
  }

  private void setPolicies(HostComputeEndpoint ep, EndpointPolicy... policies) throws Exception {
    hns.modifyEndpoint(
        NatDataplaneIT.id(ep),
        new ModificationRequest(
            "Policy", ModifyRequestType.UPDATE, Map.of("Policies", List.of(policies))));
  }

  /** Whether a TCP connection from {@code ns} completes (a dropped SYN times out after 3 s). */
  private static boolean connects(NetNs ns, String address, int port) {
    try {
      return Lab.call(ns, address, port).startsWith("peer=");
    } catch (IOException e) {
      return false;
    }
  }

  private String ruleset() throws Exception {
    Process p =
        new ProcessBuilder("ip", "netns", "exec", lab.hostName, "nft", "list", "ruleset")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void priorityOrderedAllowAndBlockOnRealConnectionsAndRemovalRestoresTraffic() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint client = hns.createEndpoint(NatDataplaneIT.endpoint("client", net));
    HostComputeEndpoint server = hns.createEndpoint(NatDataplaneIT.endpoint("server", net));
    NetNs cns = attached(client);
    NetNs sns = attached(server);
    String sip = NatDataplaneIT.ip(server);
    String before = ruleset();
    try (ServerSocket a = Lab.serve(sns, "0.0.0.0", 8081);
        ServerSocket b = Lab.serve(sns, "0.0.0.0", 8082)) {
      assertThat(connects(cns, sip, 8081)).isTrue();
      assertThat(connects(cns, sip, 8082)).isTrue();

      // allow 8081 at 100 beats block-all at 200: lower Priority runs first
      setPolicies(
          server, acl("Block", "In", null, null, 200), acl("Allow", "In", null, "8081", 100));
      assertThat(ruleset()).contains("table bridge siloacl");
      assertThat(connects(cns, sip, 8081)).isTrue();
      assertThat(connects(cns, sip, 8082)).isFalse();

      // the same rules with the priorities swapped: the block now wins for 8081 too
      setPolicies(
          server, acl("Block", "In", null, null, 100), acl("Allow", "In", null, "8081", 200));
      assertThat(connects(cns, sip, 8081)).isFalse();

      // Out of the client: its connections to the server's 8082 are blocked at its own port
      setPolicies(server);
      setPolicies(
          client,
          EndpointPolicy.of(
              new AclPolicySetting("6", "Block", "Out", null, sip, null, "8082", null, 10)));
      assertThat(connects(cns, sip, 8081)).isTrue();
      assertThat(connects(cns, sip, 8082)).isFalse();

      setPolicies(client);
      assertThat(connects(cns, sip, 8081)).isTrue();
      assertThat(connects(cns, sip, 8082)).isTrue();
    }
    assertThat(ruleset()).isEqualTo(before).doesNotContain("siloacl");
  }

  @Test
  void blockInStillLetsRepliesOfTheEndpointsOwnConnectionsIn() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint guarded =
        hns.createEndpoint(
            NatDataplaneIT.endpoint("guarded", net)
                .withPolicies(List.of(acl("Block", "In", null, null, 1))));
    HostComputeEndpoint other = hns.createEndpoint(NatDataplaneIT.endpoint("other", net));
    NetNs gns = attached(guarded);
    NetNs ons = attached(other);
    try (ServerSocket g = Lab.serve(gns, "0.0.0.0", 8090);
        ServerSocket o = Lab.serve(ons, "0.0.0.0", 8090)) {
      assertThat(connects(ons, NatDataplaneIT.ip(guarded), 8090)).isFalse();
      assertThat(connects(gns, NatDataplaneIT.ip(other), 8090)).isTrue();
    }
    hns.deleteEndpoint(NatDataplaneIT.id(guarded));
    assertThat(ruleset()).doesNotContain("siloacl");
  }

  @Test
  void anAclNamingANestedSetBlocksExactlyItsMembers() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint server = hns.createEndpoint(NatDataplaneIT.endpoint("server", net));
    HostComputeEndpoint member = hns.createEndpoint(NatDataplaneIT.endpoint("member", net));
    HostComputeEndpoint outsider = hns.createEndpoint(NatDataplaneIT.endpoint("outsider", net));
    NetNs sns = attached(server);
    NetNs mns = attached(member);
    NetNs ons = attached(outsider);
    String before = ruleset();
    NetworkPolicy pods =
        NetworkPolicy.of(
            new SetPolicySetting("azure-npm-111", "pods", "IPSET", NatDataplaneIT.ip(member)));
    NetworkPolicy nested =
        NetworkPolicy.of(
            new SetPolicySetting("azure-npm-222", "ns", "NESTEDIPSET", "azure-npm-111"));
    ModificationRequest sets =
        new ModificationRequest(
            "Policy", ModifyRequestType.ADD, Map.of("Policies", List.of(pods, nested)));
    hns.modifyNetwork(NatDataplaneIT.id(net), sets);
    setPolicies(server, acl("Block", "In", "azure-npm-222", null, 100));
    try (ServerSocket s = Lab.serve(sns, "0.0.0.0", 8100)) {
      assertThat(connects(mns, NatDataplaneIT.ip(server), 8100)).isFalse();
      assertThat(connects(ons, NatDataplaneIT.ip(server), 8100)).isTrue();
    }
    assertThat(ruleset()).contains(NatDataplaneIT.ip(member)).contains("set:azure-npm-222");
    setPolicies(server);
    hns.modifyNetwork(
        NatDataplaneIT.id(net),
        new ModificationRequest(
            "Policy", ModifyRequestType.REMOVE, Map.of("Policies", List.of(pods, nested))));
    assertThat(ruleset()).isEqualTo(before);
  }

  @Test
  void invalidPoliciesFailWithInvalidPolicyAndLeaveNothing() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    String before = ruleset();
    HostComputeEndpoint bad =
        NatDataplaneIT.endpoint("bad", net)
            .withPolicies(
                List.of(
                    EndpointPolicy.of(
                        new AclPolicySetting(
                            "6", "Allow", "In", null, "10.0.0.0/33", null, null, null, 1))));
    assertThatThrownBy(() -> hns.createEndpoint(bad))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("ACL RemoteAddresses '10.0.0.0/33'");
    assertThat(hns.listEndpoints(null)).isEmpty();
    HostComputeEndpoint ok = hns.createEndpoint(NatDataplaneIT.endpoint("ok", net));
    assertThatThrownBy(() -> setPolicies(ok, acl("Reject", "In", null, null, 1)))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("ACL Action 'Reject'");
    assertThatThrownBy(() -> setPolicies(ok, acl("Allow", "In", null, "0", 1)))
        .hasMessageContaining("ACL LocalPorts '0'");
    ModificationRequest badSet =
        new ModificationRequest(
            "Policy",
            ModifyRequestType.ADD,
            Map.of(
                "Policies",
                List.of(
                    NetworkPolicy.of(new SetPolicySetting("s1", "s1", "HASHSET", "10.0.0.1")))));
    assertThatThrownBy(() -> hns.modifyNetwork(NatDataplaneIT.id(net), badSet))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("PolicyType 'HASHSET'");
    assertThat(hns.getEndpointById(NatDataplaneIT.id(ok)).policies()).isEmpty();
    assertThat(ruleset()).isEqualTo(before);
  }
}
