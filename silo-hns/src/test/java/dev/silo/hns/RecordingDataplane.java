package dev.silo.hns;

import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.hns.spi.Undo;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A fake kernel: a map of "Kind id" keys to what is programmed, every call recorded, and an
 * injectable failure at a named step (e.g. {@code attachEndpoint}) to prove rollbacks.
 */
final class RecordingDataplane implements Dataplane {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<String, String> kernel = Collections.synchronizedMap(new TreeMap<>());
  volatile @Nullable String failAt;

  /** Step at which the whole JVM halts, as a crash would (crash-safety test, child JVM only). */
  volatile @Nullable String haltAt;

  private void enter(String step, @Nullable String id) throws DataplaneException {
    calls.add(step + " " + id);
    if (step.equals(haltAt)) {
      Runtime.getRuntime().halt(42);
    }
    if (step.equals(failAt)) {
      throw new DataplaneException("injected failure at " + step);
    }
  }

  private Undo put(String key, String value) {
    String before = kernel.put(key, value);
    return () -> restore(key, before);
  }

  private Undo remove(String key) {
    String before = kernel.remove(key);
    return () -> restore(key, before);
  }

  private void restore(String key, @Nullable String before) {
    if (before == null) {
      kernel.remove(key);
    } else {
      kernel.put(key, before);
    }
  }

  /** What {@link #invalidNetwork} answers (a missing uplink adapter, say); null: valid. */
  volatile @Nullable String invalid;

  @Override
  public @Nullable String invalidNetwork(HostComputeNetwork network) {
    return invalid;
  }

  @Override
  public boolean supports(NetworkType type) {
    return type != NetworkType.ICS;
  }

  @Override
  public Undo createNetwork(HostComputeNetwork n) throws DataplaneException {
    enter("createNetwork", n.id());
    return put("Network " + n.id(), String.valueOf(n.name()));
  }

  @Override
  public Undo deleteNetwork(HostComputeNetwork n) throws DataplaneException {
    enter("deleteNetwork", n.id());
    return remove("Network " + n.id());
  }

  @Override
  public Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after)
      throws DataplaneException {
    enter("applyNetworkPolicies", after.id());
    return put("NetworkPolicies " + after.id(), after.policies().toString());
  }

  @Override
  public Undo createNamespace(HostComputeNamespace ns) throws DataplaneException {
    enter("createNamespace", ns.id());
    return put("Namespace " + ns.id(), "netns");
  }

  @Override
  public Undo deleteNamespace(HostComputeNamespace ns) throws DataplaneException {
    enter("deleteNamespace", ns.id());
    return remove("Namespace " + ns.id());
  }

  @Override
  public Undo createEndpoint(HostComputeNetwork n, HostComputeEndpoint e)
      throws DataplaneException {
    enter("createEndpoint", e.id());
    return put("Endpoint " + e.id(), e.ipConfigurations() + " " + e.macAddress());
  }

  @Override
  public Undo deleteEndpoint(HostComputeNetwork n, HostComputeEndpoint e)
      throws DataplaneException {
    enter("deleteEndpoint", e.id());
    Undo policies = remove("EndpointPolicies " + e.id());
    Undo ep = remove("Endpoint " + e.id());
    return () -> {
      ep.run();
      policies.run();
    };
  }

  @Override
  public Undo applyEndpointPolicies(
      HostComputeNetwork n, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    enter("applyEndpointPolicies", after.id());
    return after.policies().isEmpty()
        ? remove("EndpointPolicies " + after.id())
        : put("EndpointPolicies " + after.id(), after.policies().toString());
  }

  @Override
  public Undo attachEndpoint(HostComputeNamespace ns, HostComputeNetwork n, HostComputeEndpoint e)
      throws DataplaneException {
    enter("attachEndpoint", e.id());
    return put("Attached " + e.id(), String.valueOf(ns.id()));
  }

  @Override
  public Undo detachEndpoint(HostComputeNamespace ns, HostComputeNetwork n, HostComputeEndpoint e)
      throws DataplaneException {
    enter("detachEndpoint", e.id());
    return remove("Attached " + e.id());
  }

  @Override
  public Undo programLoadBalancer(HostComputeLoadBalancer lb, List<HostComputeEndpoint> backends)
      throws DataplaneException {
    enter("programLoadBalancer", lb.id());
    return put(
        "LoadBalancer " + lb.id(),
        backends.stream().map(b -> String.valueOf(b.id())).collect(Collectors.joining(",")));
  }

  @Override
  public Undo removeLoadBalancer(HostComputeLoadBalancer lb) throws DataplaneException {
    enter("removeLoadBalancer", lb.id());
    return remove("LoadBalancer " + lb.id());
  }

  @Override
  public KernelInventory inventory() throws DataplaneException {
    enter("inventory", null);
    return new KernelInventory(
        ids("Network "),
        ids("Endpoint "),
        ids("Namespace "),
        ids("LoadBalancer "),
        ids("Attached "));
  }

  private Set<String> ids(String prefix) {
    synchronized (kernel) {
      return kernel.keySet().stream()
          .filter(k -> k.startsWith(prefix))
          .map(k -> k.substring(prefix.length()))
          .collect(Collectors.toSet());
    }
  }

  @Override
  public void removeOrphan(ObjectKind kind, String id) throws DataplaneException {
    enter("removeOrphan", id);
    String label =
        switch (kind) {
          case NETWORK -> "Network ";
          case ENDPOINT -> "Endpoint ";
          case NAMESPACE -> "Namespace ";
          case LOAD_BALANCER -> "LoadBalancer ";
        };
    kernel.remove(label + id);
    kernel.remove("EndpointPolicies " + id);
    kernel.remove("Attached " + id);
  }

  /** Kernel keys of one kind, e.g. {@code keys("Endpoint ")}. */
  Set<String> keys(String prefix) {
    return ids(prefix);
  }
}
