package dev.silo.bench.lb;

import java.util.List;

/**
 * The kube-proxy nftables-mode ruleset shape ("A" in reference/lb.md) for comparison: a verdict map
 * VIP·proto·port to a chain per service, {@code numgen random mod N vmap} to a chain per endpoint,
 * and a dnat rule per endpoint chain; one backend change rewrites one service chain.
 */
final class ShapeA {
  static final String TABLE = "ip kubeproxy";

  private ShapeA() {}

  /** The whole ruleset for {@code services} services over {@code backends}, as one nft script. */
  static String full(int services, List<String> backends) {
    StringBuilder b =
        new StringBuilder()
            .append("add table ip kubeproxy\n")
            .append(
                "add map ip kubeproxy service-ips"
                    + " { type ipv4_addr . inet_proto . inet_service : verdict; }\n")
            .append("add chain ip kubeproxy services\n")
            .append(
                "add chain ip kubeproxy nat-prerouting"
                    + " { type nat hook prerouting priority dstnat; }\n")
            .append("add chain ip kubeproxy nat-output { type nat hook output priority -100; }\n")
            .append(
                "add rule ip kubeproxy services ip daddr . meta l4proto . th dport"
                    + " vmap @service-ips\n")
            .append("add rule ip kubeproxy nat-prerouting jump services\n")
            .append("add rule ip kubeproxy nat-output jump services\n");
    for (int s = 0; s < services; s++) {
      b.append(service(s, backends, 0));
      b.append("add element ip kubeproxy service-ips { ")
          .append(LbBench.vip(s))
          .append(" . tcp . 80 : goto svc-")
          .append(s)
          .append(" }\n");
    }
    return b.toString();
  }

  /**
   * Service {@code s}'s chains: one endpoint chain per backend (named with {@code generation} so a
   * change adds new ones before the old go) and the service chain choosing among them.
   */
  static String service(int s, List<String> backends, int generation) {
    StringBuilder b = new StringBuilder();
    StringBuilder vmap = new StringBuilder();
    for (int i = 0; i < backends.size(); i++) {
      String ep = "ep-" + s + "-" + generation + "-" + i;
      b.append("add chain ip kubeproxy ").append(ep).append('\n');
      b.append("add rule ip kubeproxy ")
          .append(ep)
          .append(" meta l4proto tcp dnat to ")
          .append(backends.get(i))
          .append(":8080\n");
      vmap.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(ep);
    }
    b.append("add chain ip kubeproxy svc-").append(s).append('\n');
    b.append("flush chain ip kubeproxy svc-").append(s).append('\n');
    b.append("add rule ip kubeproxy svc-")
        .append(s)
        .append(" numgen random mod ")
        .append(backends.size())
        .append(" vmap { ")
        .append(vmap)
        .append(" }\n");
    return b.toString();
  }

  /**
   * One backend change of service {@code s}, as kube-proxy writes it: new endpoint chains and the
   * service chain rewritten, then the previous generation's endpoint chains deleted.
   */
  static String change(int s, List<String> backends, int generation) {
    StringBuilder b = new StringBuilder(service(s, backends, generation));
    for (int i = 0; i < backends.size(); i++) {
      b.append("delete chain ip kubeproxy ep-")
          .append(s)
          .append('-')
          .append(generation - 1)
          .append('-')
          .append(i)
          .append('\n');
    }
    return b.toString();
  }
}
