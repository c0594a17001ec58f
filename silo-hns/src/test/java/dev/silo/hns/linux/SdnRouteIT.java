package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.SdnRoutePolicySetting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SDNRoute policies: a route in the endpoint's namespace, programmed at attach and on policy
 * change, that real traffic follows (to a prefix only a peer endpoint serves).
 */
class SdnRouteIT extends LabTest {
  static final String VIP = "10.99.0.5";
  static final IpPrefix PREFIX = IpPrefix.parse("10.99.0.0/24");

  private NetNs attached(HostComputeEndpoint ep) throws Exception {
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns), NatDataplaneIT.id(ep));
    return NetNs.open(lab.dp.netnsName(NatDataplaneIT.id(ns)));
  }

  private static List<Route> routesTo(NetNs ns) {
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      return rt.routes().list(Route.MAIN).stream().filter(r -> r.dst().equals(PREFIX)).toList();
    }
  }

  private static boolean reaches(NetNs ns) {
    try {
      return Lab.call(ns, VIP, 8300).startsWith("peer=");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theRouteIsProgrammedAtAttachFollowedByTrafficAndChangedWhileAttached() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint peer = hns.createEndpoint(NatDataplaneIT.endpoint("peer", net));
    NetNs pns = attached(peer);
    try (Rtnetlink rt = Rtnetlink.open(pns)) {
      rt.addresses().add("lo", IpPrefix.parse(VIP + "/32")); // only the peer serves 10.99.0.5
    }
    String hop = NatDataplaneIT.ip(peer);
    EndpointPolicy route = EndpointPolicy.of(new SdnRoutePolicySetting("10.99.0.0/24", hop, true));
    HostComputeEndpoint client =
        hns.createEndpoint(NatDataplaneIT.endpoint("client", net).withPolicies(List.of(route)));
    NetNs cns = attached(client);

    assertThat(routesTo(cns))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.gateway()).isEqualTo(InetAddress.ofLiteral(hop));
              assertThat(r.device()).isEqualTo("eth0");
            });
    try (ServerSocket s = Lab.serve(pns, "0.0.0.0", 8300)) {
      // only the peer has 10.99.0.5, so an answer proves the packet took the route; the nat
      // network masquerades the bridged packet (destination outside its subnet) to the gateway
      assertThat(Lab.call(cns, VIP, 8300))
          .isIn("peer=" + NatDataplaneIT.ip(client), "peer=" + NatDataplaneIT.GATEWAY);

      hns.modifyEndpoint(
          NatDataplaneIT.id(client),
          new ModificationRequest(
              "Policy", ModifyRequestType.REMOVE, Map.of("Policies", List.of(route))));
      assertThat(routesTo(cns)).isEmpty();
      // without the route the packet goes to the gateway, which knows no 10.99.0.0/24
      assertThat(reaches(cns)).isFalse();

      hns.modifyEndpoint(
          NatDataplaneIT.id(client),
          new ModificationRequest(
              "Policy", ModifyRequestType.ADD, Map.of("Policies", List.of(route))));
      assertThat(routesTo(cns)).hasSize(1);
      assertThat(reaches(cns)).isTrue();
    }
  }
}
