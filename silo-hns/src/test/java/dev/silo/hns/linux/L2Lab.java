package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.api.HnsException;
import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.NetAdapterNamePolicySetting;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.Subnet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Helpers of the uplink-driver ITs on a {@link Lab}: the network shares the uplink's subnet {@code
 * 10.250.0.0/24}, its gateway is the external netns ({@code .2}, the "router"), and the endpoints
 * get static addresses {@code .11} and {@code .12}.
 */
final class L2Lab {
  static final String EP1_IP = "10.250.0.11";
  static final String EP2_IP = "10.250.0.12";

  private L2Lab() {}

  /** A network of {@code type} on the lab's uplink {@code uplink0}. */
  static HostComputeNetwork network(NetworkType type, String adapter) {
    return HostComputeNetwork.of(
            "l2-" + type.wireName(), type, Subnet.of("10.250.0.0/24", Lab.UPLINK_EXT))
        .withPolicies(List.of(NetworkPolicy.of(new NetAdapterNamePolicySetting(adapter))));
  }

  static HostComputeEndpoint endpoint(String name, HostComputeNetwork n, String ip) {
    return HostComputeEndpoint.of(name, Objects.requireNonNull(n.id()))
        .withAddressing(List.of(new IpConfig(ip, 24)), null, List.of());
  }

  /** Network + two endpoints in two namespaces. */
  record Setup(
      HostComputeNetwork net,
      HostComputeEndpoint ep1,
      HostComputeEndpoint ep2,
      HostComputeNamespace ns1,
      HostComputeNamespace ns2) {}

  static Setup build(HostNetworkService hns, NetworkType type) throws HnsException {
    HostComputeNetwork net = hns.createNetwork(network(type, "uplink0"));
    HostComputeEndpoint ep1 = hns.createEndpoint(endpoint("ep1", net, EP1_IP));
    HostComputeEndpoint ep2 = hns.createEndpoint(endpoint("ep2", net, EP2_IP));
    HostComputeNamespace ns1 = hns.createNamespace(HostComputeNamespace.host());
    HostComputeNamespace ns2 = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns1), NatDataplaneIT.id(ep1));
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns2), NatDataplaneIT.id(ep2));
    return new Setup(
        net,
        hns.getEndpointById(NatDataplaneIT.id(ep1)),
        hns.getEndpointById(NatDataplaneIT.id(ep2)),
        ns1,
        ns2);
  }

  /** Deletes what {@link #build} made, endpoints first. */
  static void teardown(HostNetworkService hns, Setup s) throws HnsException {
    hns.deleteEndpoint(NatDataplaneIT.id(s.ep1()));
    hns.deleteEndpoint(NatDataplaneIT.id(s.ep2()));
    hns.deleteNamespace(NatDataplaneIT.id(s.ns1()));
    hns.deleteNamespace(NatDataplaneIT.id(s.ns2()));
    hns.deleteNetwork(NatDataplaneIT.id(s.net()));
  }

  static NetNs netns(Lab lab, HostComputeNamespace ns) {
    return NetNs.ofPath(lab.dp.netnsPath(NatDataplaneIT.id(ns)));
  }

  /**
   * The host netns's links (name, kind, master), IPv4 addresses and routes as {@code ip} lists
   * them, minus counters: what must be equal before a network is created and after it is deleted.
   */
  static String kernel(NetNs ns) {
    return run("ip", "-n", ns.name(), "-o", "-d", "link")
            .replaceAll("link/ether \\S+", "")
            .replaceAll("(?m)\\s+(promiscuity|allmulti) \\d+", "")
        // IPv4 only: the uplink's IPv6 link-local address and route come and go with DAD timing,
        // and Silo programs no IPv6
        + run("ip", "-n", ns.name(), "-4", "-o", "addr")
        + run("ip", "-n", ns.name(), "-4", "route", "show", "table", "all");
  }

  /** The host still reaches the external netns from its own uplink address. */
  static void assertHostReachesOutside(Lab lab) throws IOException {
    try (ServerSocket outside = Lab.serve(lab.ext, Lab.UPLINK_EXT, 9300)) {
      assertThat(Lab.call(lab.host, Lab.UPLINK_EXT, 9300)).isEqualTo("peer=" + Lab.UPLINK_HOST);
    }
    assertThat(run("ip", "-n", lab.hostName, "-o", "-4", "addr", "show", "dev", "uplink0"))
        .contains(Lab.UPLINK_HOST + "/24");
    assertThat(run("ip", "-n", lab.hostName, "route"))
        .contains("10.250.0.0/24 dev uplink0 proto kernel scope link src " + Lab.UPLINK_HOST);
  }

  /** Connects until the server answers or {@code seconds} pass (the first ARP may be lost). */
  static String callWithin(NetNs ns, String address, int port, int seconds) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      try {
        return Lab.call(ns, address, port);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  /** Runs a command (the {@code ip} oracle) and returns its output; fails on a non-zero exit. */
  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
