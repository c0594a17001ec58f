package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.QosPolicySetting;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** QOS caps an endpoint's egress: measured on a real TCP transfer between two namespaces. */
class QosPolicyIT extends LabTest {
  static final long LIMIT = 2_000_000; // bytes per second
  static final int CHUNKS = 80; // 80 x 64 KiB = 5 MiB

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

  /** Sends 5 MiB from {@code from} to {@code to}'s address; the receiver's bytes per second. */
  private static double transfer(NetNs from, NetNs to, String toAddress, int port)
      throws Exception {
    try (ServerSocket server =
        NetNs.run(
            to,
            () -> {
              ServerSocket s = new ServerSocket();
              s.bind(new InetSocketAddress(InetAddress.ofLiteral(toAddress), port));
              return s;
            })) {
      CompletableFuture<Double> rate =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket c = server.accept();
                    InputStream in = c.getInputStream()) {
                  byte[] buf = new byte[1 << 16];
                  long first = 0;
                  long total = 0;
                  for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    first = first == 0 ? System.nanoTime() : first;
                    total += n;
                  }
                  return total / ((System.nanoTime() - first) / 1e9);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      NetNs.run(
          from,
          () -> {
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(InetAddress.ofLiteral(toAddress), port), 3000);
              OutputStream out = s.getOutputStream();
              byte[] chunk = new byte[1 << 16];
              for (int i = 0; i < CHUNKS; i++) {
                out.write(chunk);
              }
            }
            return null;
          });
      return rate.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void egressIsShapedToTheLimitWhileAttachedAndFreedWhenRemoved() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint sender = hns.createEndpoint(NatDataplaneIT.endpoint("sender", net));
    HostComputeEndpoint receiver = hns.createEndpoint(NatDataplaneIT.endpoint("receiver", net));
    NetNs sns = attached(sender);
    NetNs rns = attached(receiver);
    String rip = NatDataplaneIT.ip(receiver);

    double free = transfer(sns, rns, rip, 9201);
    assertThat(free).as("unshaped rate").isGreaterThan(LIMIT * 3.0);

    setPolicies(sender, EndpointPolicy.of(new QosPolicySetting(LIMIT)));
    try (Rtnetlink in = Rtnetlink.open(sns)) {
      assertThat(in.qdiscs().rootTbfRate("eth0")).contains(LIMIT);
    }
    double shaped = transfer(sns, rns, rip, 9202);
    assertThat(shaped).as("shaped rate").isBetween(LIMIT * 0.8, LIMIT * 1.2);
    // the cap is the sender's egress only: the receiver sends back at full speed
    assertThat(transfer(rns, sns, NatDataplaneIT.ip(sender), 9203)).isGreaterThan(LIMIT * 3.0);

    setPolicies(sender);
    try (Rtnetlink in = Rtnetlink.open(sns)) {
      assertThat(in.qdiscs().rootKind("eth0")).isEmpty();
    }
    assertThat(transfer(sns, rns, rip, 9204)).isGreaterThan(LIMIT * 3.0);
  }

  @Test
  void aQosGivenAtCreateIsProgrammedAtAttach() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint ep =
        hns.createEndpoint(
            NatDataplaneIT.endpoint("capped", net)
                .withPolicies(List.of(EndpointPolicy.of(new QosPolicySetting(500_000)))));
    NetNs ns = attached(ep);
    try (Rtnetlink in = Rtnetlink.open(ns)) {
      assertThat(in.qdiscs().rootTbfRate("eth0")).contains(500_000L);
    }
  }
}
