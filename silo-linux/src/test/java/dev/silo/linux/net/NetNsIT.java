package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real-kernel named network namespaces and per-namespace sysctls. */
class NetNsIT {
  private static final Path SELF = Path.of("/proc/thread-self/ns/net");
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  @Test
  void createdNamespaceIsListedRunnableAndSeenByIp() throws Exception {
    Path before = Files.readSymbolicLink(SELF);
    NetNs ns = net.netns("a");
    assertThat(NetNs.list()).contains(ns.name());
    assertThat(NetNs.exists(ns.name())).isTrue();
    assertThat(NetFixture.run("ip", "netns", "list")).contains(ns.name());

    Path inside = NetNs.run(ns, () -> Files.readSymbolicLink(SELF));
    long inode = (long) Files.getAttribute(ns.path(), "unix:ino");
    assertThat(inside.toString()).isEqualTo("net:[" + inode + "]").isNotEqualTo(before.toString());
    assertThat(Files.readSymbolicLink(SELF)).isEqualTo(before);
    assertThat(NetNs.open(ns.name()).path()).isEqualTo(ns.path());
    // a fresh namespace holds only a down loopback
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      assertThat(rt.links().list()).extracting(Link::name).containsExactly("lo");
    }
  }

  @Test
  void duplicateCreateFailsAndKeepsTheExistingNamespace() throws Exception {
    NetNs ns = net.netns("dup");
    Path inside = NetNs.run(ns, () -> Files.readSymbolicLink(SELF));
    assertThatThrownBy(() -> NetNs.create(ns.name()))
        .isInstanceOf(NetException.class)
        .hasMessageStartingWith("netns add " + ns.name() + ": ")
        .extracting(e -> ((NetException) e).errno())
        .isEqualTo(Libc.EEXIST);
    assertThat(NetNs.run(ns, () -> Files.readSymbolicLink(SELF))).isEqualTo(inside);
    assertThatThrownBy(() -> NetNs.open("silo-it-never-made"))
        .hasMessage("netns open silo-it-never-made: No such file or directory");
    assertThatThrownBy(() -> NetNs.create("../etc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runRethrowsTheTasksCheckedException() {
    NetNs ns = net.netns("ex");
    assertThatThrownBy(
            () ->
                NetNs.run(
                    ns,
                    () -> {
                      throw new IOException("from inside");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("from inside");
  }

  @Test
  void sysctlsApplyToTheNamespaceOnly() throws Exception {
    String hostForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip();
    NetNs ns = net.netns("sc");
    NetSysctl.ipForward(ns, true);
    assertThat(NetSysctl.read(ns, "ipv4.ip_forward")).isEqualTo("1");
    NetSysctl.rpFilter(ns, "all", 2);
    assertThat(NetSysctl.read(ns, "ipv4.conf.all.rp_filter")).isEqualTo("2");
    NetSysctl.proxyArp(ns, "lo", true);
    assertThat(NetSysctl.read(ns, "ipv4.conf.lo.proxy_arp")).isEqualTo("1");
    NetSysctl.ipForward(ns, false);
    assertThat(NetSysctl.read(ns, "ipv4.ip_forward")).isEqualTo("0");
    assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip())
        .isEqualTo(hostForward);
  }
}
