package dev.silo.hns.linux;

import dev.silo.linux.net.FdbEntry;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.Link;
import dev.silo.linux.net.Neighbour;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two throwaway HNS hosts ({@link Lab}s, each with its own store and dataplane) whose host netns
 * are wired by a veth underlay, {@code 10.251.0.1/24} on A and {@code .2} on B: the provider
 * addresses of an overlay network's VTEPs.
 */
final class TwoHosts implements AutoCloseable {
  static final String PA_A = "10.251.0.1";
  static final String PA_B = "10.251.0.2";

  final Lab a;
  final Lab b;

  TwoHosts(Path dir) throws Exception {
    a = new Lab(Files.createDirectories(dir.resolve("a")));
    Lab second;
    try {
      second = new Lab(Files.createDirectories(dir.resolve("b")));
    } catch (Exception e) {
      a.close();
      throw e;
    }
    b = second;
    try (Rtnetlink ra = Rtnetlink.open(a.host);
        Rtnetlink rb = Rtnetlink.open(b.host)) {
      ra.links().addVeth("under0", "under0", b.host);
      ra.addresses().add("under0", IpPrefix.parse(PA_A + "/24"));
      rb.addresses().add("under0", IpPrefix.parse(PA_B + "/24"));
      ra.links().setUp("under0");
      rb.links().setUp("under0");
    }
  }

  /**
   * What {@code ip link}, {@code ip route}, {@code ip neigh} and {@code bridge fdb} show in a host
   * netns, one line per object, for before/after comparisons.
   */
  static List<String> listing(NetNs ns) {
    List<String> out = new ArrayList<>();
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      for (Link l : rt.links().list()) {
        out.add("link " + l.name() + " " + l.kind() + " mtu " + l.mtu());
        for (FdbEntry f : rt.neighbours().fdbList(l.name())) {
          if (f.dst() != null) {
            out.add("fdb " + f.device() + " " + f.mac() + " dst " + f.dst().getHostAddress());
          }
        }
      }
      // IPv6 link-local addresses and routes appear on their own after DAD: IPv4 only
      for (Route r : rt.routes().list(Route.MAIN)) {
        if (!r.dst().isIpv4()) {
          continue;
        }
        out.add("route " + r.dst() + " via " + r.gateway() + " dev " + r.device());
      }
      for (Neighbour n : rt.neighbours().list(null)) {
        if (n.permanent()) {
          out.add("neigh " + n.device() + " " + n.ip().getHostAddress() + " " + n.mac());
        }
      }
      rt.addresses().list(null).stream()
          .filter(x -> x.prefix().isIpv4())
          .forEach(x -> out.add("addr " + x.device() + " " + x.prefix()));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      b.close();
    } finally {
      a.close();
    }
  }
}
