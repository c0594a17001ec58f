package dev.silo.hns.linux;

import dev.silo.linux.net.Link;
import dev.silo.linux.net.NetException;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.NftSetElements;
import dev.silo.linux.net.Nftables;
import dev.silo.linux.net.Rtnetlink;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The HNS host: one network namespace with a long-lived rtnetlink socket, nftables session and
 * nf_tables element socket in it, where bridges, host veth ends and the {@code ip silo} and {@code
 * ip silolb} tables live.
 */
final class Host implements AutoCloseable {
  private final @Nullable String netnsName;
  private final NetNs ns;
  private final Rtnetlink rt;
  private final Nftables nft;
  private final NftSetElements elements;

  private Host(
      @Nullable String netnsName, NetNs ns, Rtnetlink rt, Nftables nft, NftSetElements elements) {
    this.netnsName = netnsName;
    this.ns = ns;
    this.rt = rt;
    this.nft = nft;
    this.elements = elements;
  }

  /** The named netns {@code /run/netns/NAME}, or the process's own namespace for null. */
  static Host open(@Nullable String netnsName) {
    NetNs ns =
        netnsName == null ? NetNs.ofPath(Path.of("/proc/self/ns/net")) : NetNs.open(netnsName);
    Rtnetlink rt = netnsName == null ? Rtnetlink.open() : Rtnetlink.open(ns);
    NftSetElements elements = null;
    try {
      elements = NftSetElements.open(netnsName == null ? null : ns);
      return new Host(netnsName, ns, rt, Nftables.open(netnsName == null ? null : ns), elements);
    } catch (RuntimeException e) {
      if (elements != null) {
        elements.close();
      }
      rt.close();
      throw e;
    }
  }

  /** The host netns name, null for the process's own. */
  @Nullable String netnsName() {
    return netnsName;
  }

  NetNs ns() {
    return ns;
  }

  Rtnetlink rt() {
    return rt;
  }

  Nftables nft() {
    return nft;
  }

  /** Set and map elements straight over nfnetlink (load balancers). */
  NftSetElements elements() {
    return elements;
  }

  Optional<Link> link(String name) {
    return rt.links().find(name);
  }

  /** Deletes the link if it is there (a veth takes its peer along). */
  void deleteLinkIfPresent(String name) {
    if (link(name).isPresent()) {
      try {
        rt.links().delete(name);
      } catch (NetException e) {
        if (link(name).isPresent()) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      nft.close();
    } finally {
      try {
        elements.close();
      } finally {
        rt.close();
      }
    }
  }
}
