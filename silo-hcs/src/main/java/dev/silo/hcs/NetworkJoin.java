package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.api.HnsException;
import dev.silo.hcs.net.Hns;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.oci.Linux;
import dev.silo.schema.oci.Spec;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A container joining HNS endpoints: resolves each endpoint to its HostComputeNamespace (creating
 * one and attaching the endpoints when they are in none) and points the spec's network namespace at
 * {@code /run/netns/<namespace id>}. Only loaded when a spec or document asks for it.
 */
final class NetworkJoin {
  private final HostNetworkService hns;
  private final String id;
  private @Nullable String createdNamespace;
  private final List<String[]> attached = new ArrayList<>(); // {namespace, endpoint}

  private NetworkJoin(HostNetworkService hns, String id) {
    this.hns = hns;
    this.id = id;
  }

  /** The joined spec, and how to undo the join if the container is not created after all. */
  record Joined(Spec spec, NetworkJoin undo) {}

  /**
   * Joins {@code endpoints} (ids or names) or, with no endpoints, the existing namespace {@code
   * namespaceId} (HCS {@code Container.Networking.Namespace}). On failure nothing is left.
   */
  static Joined join(String id, Spec spec, List<String> endpoints, @Nullable String namespaceId)
      throws HcsException {
    NetworkJoin j;
    try {
      j = new NetworkJoin(Hns.open(Hns.defaultStore(), HnsOptions.Reconcile.WHEN_BOOT_CHANGED), id);
    } catch (HnsException e) {
      throw wrap(id, e);
    }
    try {
      String ns = namespaceId != null ? j.hns.getNamespaceById(namespaceId).id() : null;
      ns = j.attachAll(endpoints, ns);
      if (ns == null) {
        throw new HcsException("create", id, HResult.E_INVALIDARG, "no endpoint to join");
      }
      if (!Files.exists(Hns.netnsPath(ns))) {
        throw new HcsException(
            "create",
            id,
            HResult.HCN_E_NAMESPACE_ATTACH_FAILED,
            "namespace " + ns + " has no network namespace " + Hns.netnsPath(ns));
      }
      return new Joined(j.rewrite(spec, ns), j);
    } catch (HnsException e) {
      j.undo();
      throw wrap(id, e);
    } catch (HcsException | RuntimeException e) {
      j.undo();
      throw e;
    }
  }

  private @Nullable String attachAll(List<String> endpoints, @Nullable String namespace)
      throws HnsException {
    List<HostComputeEndpoint> eps = new ArrayList<>();
    for (String e : endpoints) {
      eps.add(resolve(e));
    }
    String ns = namespace;
    for (HostComputeEndpoint ep : eps) {
      if (ns == null && ep.hostComputeNamespace() != null) {
        ns = ep.hostComputeNamespace();
      }
    }
    if (ns == null && !eps.isEmpty()) {
      HostComputeNamespace created =
          hns.createNamespace(new HostComputeNamespace(null, null, "Host", List.of(), null, null));
      ns = created.id();
      createdNamespace = ns;
    }
    for (HostComputeEndpoint ep : eps) {
      String epId = java.util.Objects.requireNonNull(ep.id());
      if (ns != null && ep.hostComputeNamespace() == null) {
        hns.addNamespaceEndpoint(ns, epId);
        attached.add(new String[] {ns, epId});
      } else if (ns != null && !ns.equalsIgnoreCase(ep.hostComputeNamespace())) {
        throw HnsException.of(
            "hcnModifyNamespace",
            epId,
            HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS,
            "endpoint "
                + epId
                + " is in namespace "
                + ep.hostComputeNamespace()
                + ", not in "
                + ns
                + " with the container's other endpoints");
      }
    }
    return ns;
  }

  private HostComputeEndpoint resolve(String idOrName) throws HnsException {
    try {
      return hns.getEndpointById(idOrName);
    } catch (HnsException.NotFound | HnsException.InvalidInput e) {
      try {
        return hns.getEndpointByName(idOrName);
      } catch (HnsException.NotFound n) {
        throw HnsException.of(
            "hcnOpenEndpoint",
            idOrName,
            HResult.HCN_E_ENDPOINT_NOT_FOUND,
            "Endpoint " + idOrName + " not found (neither an ID nor a name)");
      }
    }
  }

  /** The spec joining {@code /run/netns/<ns>}, recording a namespace made for this container. */
  private Spec rewrite(Spec spec, String ns) throws HcsException {
    Linux linux = spec.linux();
    if (linux == null) {
      throw new HcsException(
          "create",
          id,
          HResult.E_INVALIDARG,
          "config.json: joining an endpoint needs a linux section");
    }
    List<Linux.Namespace> nss = new ArrayList<>();
    for (Linux.Namespace n : linux.namespaces()) {
      if (!n.type().equals("network")) {
        nss.add(n);
      }
    }
    nss.add(new Linux.Namespace("network", Hns.netnsPath(ns).toString()));
    Linux joined =
        linux.withUserNamespace(linux.uidMappings(), linux.gidMappings(), nss, linux.resources());
    Map<String, String> annotations = new HashMap<>(spec.annotations());
    if (createdNamespace != null) {
      annotations.put(NetworkRequest.OWNED_NAMESPACE_ANNOTATION, createdNamespace);
    }
    return new Spec(
        spec.ociVersion(),
        spec.process(),
        spec.root(),
        spec.hostname(),
        spec.domainname(),
        spec.mounts(),
        spec.hooks(),
        annotations,
        joined,
        spec.windows());
  }

  /** Undoes the join: detaches what it attached and deletes a namespace it created. */
  void undo() {
    try {
      if (createdNamespace != null) {
        hns.deleteNamespace(createdNamespace); // detaches its endpoints in the same transaction
        return;
      }
      for (String[] a : attached.reversed()) {
        hns.removeNamespaceEndpoint(a[0], a[1]);
      }
    } catch (HnsException e) {
      // best effort: the create already fails with its own error, which matters more
    }
  }

  /** Container delete: detaches and deletes the namespace runhcs created for it. */
  static void release(String id, String namespaceId) throws HcsException {
    try {
      Hns.open(Hns.defaultStore(), HnsOptions.Reconcile.WHEN_BOOT_CHANGED)
          .deleteNamespace(namespaceId);
    } catch (HnsException.NotFound e) {
      // already gone (deleted by hand with hnsdiag): the goal is reached
    } catch (HnsException e) {
      throw wrap("delete", id, e);
    }
  }

  private static HcsException wrap(String id, HnsException e) {
    return wrap("create", id, e);
  }

  private static HcsException wrap(String op, String id, HnsException e) {
    String where = e.operation() + (e.id().isEmpty() ? "" : " " + e.id());
    return new HcsException(op, id, e.hresult(), where + ": " + e.detail(), e);
  }
}
