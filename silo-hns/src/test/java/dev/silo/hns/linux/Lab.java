package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.Link;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Nftables;
import dev.silo.linux.net.Rtnetlink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway HNS host for the real-kernel ITs: netns {@code silotest-XXXXXX} as the host, an
 * "external" netns wired to it by an uplink veth ({@code 10.250.0.1/24} host side, {@code .2}
 * outside), a store in a temp dir and the Linux dataplane; {@link #close} removes all of it.
 */
final class Lab implements AutoCloseable {
  static final String UPLINK_HOST = "10.250.0.1";
  static final String UPLINK_EXT = "10.250.0.2";

  final String hostName;
  final NetNs host;
  final NetNs ext;
  final Path dir;
  final LinuxDataplane dp;
  final HostNetworkService hns;

  Lab(Path dir) throws Exception {
    this.dir = dir;
    this.hostName = "silotest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    this.host = NetNs.create(hostName);
    this.ext = NetNs.create(hostName + "-ext");
    try (Rtnetlink h = Rtnetlink.open(host);
        Rtnetlink e = Rtnetlink.open(ext)) {
      h.links().setUp("lo");
      h.links().addVeth("uplink0", "ext0", ext);
      h.addresses().add("uplink0", IpPrefix.parse(UPLINK_HOST + "/24"));
      h.links().setUp("uplink0");
      e.addresses().add("ext0", IpPrefix.parse(UPLINK_EXT + "/24"));
      e.links().setUp("ext0");
      e.links().setUp("lo");
    }
    Files.writeString(dir.resolve("boot_id"), "11111111-2222-3333-4444-555555555555\n");
    this.dp = LinuxDataplane.open(hostName);
    this.hns = HostNetworkService.open(options());
  }

  HnsOptions options() {
    return HnsOptions.defaults(dp)
        .withHostNetns(hostName)
        .withDatabase(dir.resolve("hns.db"))
        .withBootIdFile(dir.resolve("boot_id"))
        .withReconcile(HnsOptions.Reconcile.NEVER);
  }

  /** Links of the host netns whose names carry Silo's prefixes. */
  List<String> siloLinks() {
    try (Rtnetlink h = Rtnetlink.open(host)) {
      return h.links().list().stream()
          .map(Link::name)
          .filter(n -> n.startsWith("silob") || n.startsWith("silov"))
          .toList();
    }
  }

  /** Named netns of this lab's HNS scope ({@code HOST-<guid>}). */
  List<String> hnsNetns() {
    return NetNs.list().stream()
        .filter(n -> n.startsWith(hostName + "-") && !n.equals(hostName + "-ext"))
        .toList();
  }

  /**
   * The host netns's nft ruleset as {@code nft list ruleset} would show it (JSON of table silo).
   */
  boolean siloTableExists() {
    try (Nftables nft = Nftables.open(host)) {
      nft.listTableJson("ip", "silo");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A one-shot TCP server in {@code ns} that answers each connection with the peer's address. */
  static ServerSocket serve(NetNs ns, String address, int port) throws IOException {
    ServerSocket server =
        NetNs.run(
            ns,
            () -> {
              ServerSocket s = new ServerSocket();
              s.setReuseAddress(true);
              s.bind(new InetSocketAddress(InetAddress.ofLiteral(address), port));
              return s;
            });
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try (Socket c = server.accept();
                    PrintWriter out =
                        new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
                  out.println("peer=" + c.getInetAddress().getHostAddress());
                } catch (IOException e) {
                  // closed by the test
                }
              }
            });
    return server;
  }

  /** Connects from {@code ns} and returns the server's line ({@code peer=ADDRESS}). */
  static String call(NetNs ns, String address, int port) throws IOException {
    return NetNs.run(
        ns,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), 3000);
            s.setSoTimeout(3000);
            BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            return String.valueOf(in.readLine());
          }
        });
  }

  @Override
  public void close() {
    dp.close();
    for (String n : hnsNetns()) {
      NetNs.delete(n);
    }
    NetNs.delete(hostName + "-ext");
    NetNs.delete(hostName);
    assertThat(NetNs.list()).noneMatch(n -> n.startsWith(hostName));
  }
}
