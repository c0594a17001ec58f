package dev.silo.hns.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.PolicySyntax;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The driver-independent endpoint and network policies of the Linux dataplane: ACLs and SetPolicy
 * sets in {@link AclTable} on the host, SDNRoute and QOS in the container's namespace ({@link
 * NetnsPolicies}). {@link LinuxDataplane} calls it next to the driver for every network type.
 */
final class EndpointPolicies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BASE_CHAINS = Set.of("forward", "input", "output");

  private final Host host;
  private final Function<String, String> netnsName;

  EndpointPolicies(Host host, Function<String, String> netnsName) {
    this.host = host;
    this.netnsName = netnsName;
  }

  /** Programs ACLs, and routes and shaping when the endpoint is attached, from before to after. */
  Undo apply(HostComputeNetwork net, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    return Steps.run(
        "policies of endpoint " + after.id(),
        s -> {
          s.add(acls(net, before, after));
          NetNs ns = attachedNetns(after);
          if (ns != null) {
            s.add(NetnsPolicies.apply(ns, before, after));
          }
        });
  }

  /** Programs the routes and shaping of a freshly attached endpoint. */
  Undo attach(NetNs ns, HostComputeEndpoint ep) throws DataplaneException {
    return NetnsPolicies.apply(ns, ep.withPolicies(List.of()), ep);
  }

  /** Removes the endpoint's ACL chains (its namespace side went with its interface). */
  Undo delete(HostComputeNetwork net, HostComputeEndpoint ep) throws DataplaneException {
    return acls(net, ep, ep.withPolicies(List.of()));
  }

  /** Programs the network's SetPolicy sets from before to after. */
  Undo applyNetwork(HostComputeNetwork before, HostComputeNetwork after) throws DataplaneException {
    String id = String.valueOf(after.id());
    Map<String, Set<String>> old = flatten(before);
    Map<String, Set<String>> now = flatten(after);
    return batch(
        "sets of network " + id, AclTable.setBatch(id, old, now), AclTable.setBatch(id, now, old));
  }

  private Undo acls(HostComputeNetwork net, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    String id = String.valueOf(after.id());
    Map<String, List<String>> old;
    Map<String, List<String>> now;
    try {
      old = AclTable.rules(net, before);
      now = AclTable.rules(net, after);
    } catch (IllegalArgumentException e) {
      throw new DataplaneException("ACL of endpoint " + id + ": " + e.getMessage(), e);
    }
    return batch(
        "ACLs of endpoint " + id,
        AclTable.endpointBatch(id, old, now),
        AclTable.endpointBatch(id, now, old));
  }

  private static Map<String, Set<String>> flatten(HostComputeNetwork n) throws DataplaneException {
    try {
      return PolicySyntax.flatten(n);
    } catch (IllegalArgumentException e) {
      throw new DataplaneException("SetPolicy of network " + n.id() + ": " + e.getMessage(), e);
    }
  }

  /** Applies {@code forward} in one transaction; the undo applies {@code back}. */
  private Undo batch(String what, String forward, String back) throws DataplaneException {
    if (forward.isEmpty()) {
      return Undo.NONE;
    }
    return Steps.run(
        what,
        s -> {
          run(forward);
          s.add(() -> Steps.check("undo " + what, x -> run(back)));
        });
  }

  private void run(String batch) {
    host.nft().apply(AclTable.ensure() + batch);
    dropTableIfUnused();
  }

  /** Deletes the table once no endpoint chain and no set is left, so nothing stays behind. */
  void dropTableIfUnused() {
    String json = tableJson();
    if (json == null) {
      return;
    }
    try {
      for (JsonNode item : JSON.readTree(json).path("nftables")) {
        if (item.has("set")
            || (item.has("chain")
                && !BASE_CHAINS.contains(item.get("chain").path("name").asText()))) {
          return;
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("nft JSON: " + e.getOriginalMessage(), e);
    }
    host.nft().apply("delete table " + AclTable.TABLE + "\n");
  }

  /** Deletes the chains of endpoint {@code id} (an orphan after a crash), if any. */
  void deleteOwned(String id) {
    String json = tableJson();
    if (json == null) {
      return;
    }
    StringBuilder b = new StringBuilder();
    String veth = Names.hostVeth(id);
    for (String dir : List.of("In", "Out")) {
      String chain = AclTable.chain(dir, id);
      if (json.contains("\"" + chain + "\"")) {
        String map = dir.equals("In") ? "toep" : "fromep";
        b.append("delete element bridge siloacl ")
            .append(map)
            .append(" { \"")
            .append(veth)
            .append("\" }\ndelete chain bridge siloacl ")
            .append(chain)
            .append('\n');
      }
    }
    if (!b.isEmpty()) {
      host.nft().apply(b.toString());
      dropTableIfUnused();
    }
  }

  /** {@code nft -j list table bridge siloacl}, or null when there is no such table. */
  @Nullable String tableJson() {
    try {
      return host.nft().listTableJson(AclTable.FAMILY, AclTable.NAME);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private @Nullable NetNs attachedNetns(HostComputeEndpoint ep) {
    String ns = ep.hostComputeNamespace();
    if (ns == null) {
      return null;
    }
    String name = netnsName.apply(ns);
    return NetNs.exists(name) ? NetNs.open(name) : null;
  }
}
