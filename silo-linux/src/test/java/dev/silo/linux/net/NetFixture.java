package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Private test hosts as network namespaces, removed (and checked gone) on close. */
final class NetFixture implements AutoCloseable {
  private static final java.util.regex.Pattern FIELDS =
      java.util.regex.Pattern.compile("^\\d+:\\s+([^:@]+)");
  private final String prefix = "silo-it-" + ProcessHandle.current().pid() + "-";
  private final List<NetNs> created = new ArrayList<>();

  NetNs netns(String suffix) {
    NetNs ns = NetNs.create(prefix + suffix);
    created.add(ns);
    return ns;
  }

  @Override
  public void close() {
    for (NetNs ns : created) {
      NetNs.delete(ns.name());
    }
    List<String> names = created.stream().map(NetNs::name).toList();
    assertThat(NetNs.list()).doesNotContainAnyElementsOf(names);
    String ipList = run("ip", "netns", "list");
    for (String n : names) {
      assertThat(ipList).doesNotContain(n);
    }
    assertThat(run("cat", "/proc/self/mountinfo")).doesNotContain(prefix);
  }

  /** Runs a command (the {@code ip} oracle) and returns stdout; fails on a non-zero exit. */
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

  /** The link names of {@code ns} as {@code ip -o link} shows them. */
  static List<String> ipLinks(NetNs ns) {
    List<String> names = new ArrayList<>();
    for (String line : run("ip", "-n", ns.name(), "-o", "link").lines().toList()) {
      java.util.regex.Matcher m = FIELDS.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Listens on {@code listen}:{@code port} in {@code server}, connects from {@code client} to
   * {@code dst}:{@code dstPort} and returns the token the server sent, with the peer address the
   * server saw.
   */
  static String tcp(
      NetNs server, InetAddress listen, int port, NetNs client, InetAddress dst, int dstPort)
      throws Exception {
    String token = UUID.randomUUID().toString();
    try (ServerSocket ss = NetNs.run(server, () -> new ServerSocket(port, 4, listen))) {
      ss.setSoTimeout(10_000);
      CompletableFuture<String> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = ss.accept();
                    OutputStream out = s.getOutputStream()) {
                  out.write(token.getBytes(StandardCharsets.UTF_8));
                  return ((InetSocketAddress) s.getRemoteSocketAddress())
                      .getAddress()
                      .getHostAddress();
                } catch (IOException e) {
                  throw new AssertionError(e);
                }
              });
      String got = NetNs.run(client, () -> connectAndRead(dst, dstPort));
      assertThat(got).isEqualTo(token);
      return served.get(10, TimeUnit.SECONDS);
    }
  }

  private static String connectAndRead(InetAddress dst, int port) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(dst, port), 3000);
        s.setSoTimeout(5000);
        try (InputStream in = s.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        // the first SYN can be lost while the link or neighbour comes up; retry until deadline
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }
}
