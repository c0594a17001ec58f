package dev.silo.hcs;

import dev.silo.schema.oci.Spec;
import dev.silo.schema.oci.Windows;
import java.util.ArrayList;
import java.util.List;

/**
 * Which HNS endpoints an OCI spec asks its container to join: the {@code dev.silo.endpoint}
 * annotation (id or name, Linux-style bundles) and {@code windows.network.endpointList}.
 *
 * <p>Pure spec reading, with no reference to the network service, so that bundles without either
 * never load it (runhcs start-up budget).
 */
final class NetworkRequest {
  /** Annotation naming the endpoint (id or name) a Linux bundle's container joins. */
  static final String ENDPOINT_ANNOTATION = "dev.silo.endpoint";

  /** Annotation runhcs writes into the container state when it created the namespace itself. */
  static final String OWNED_NAMESPACE_ANNOTATION = "dev.silo.hns.owned-namespace";

  private NetworkRequest() {}

  /** The endpoints asked for, in order, without duplicates; empty when none. */
  static List<String> endpoints(Spec spec) {
    List<String> out = new ArrayList<>();
    String a = spec.annotations().get(ENDPOINT_ANNOTATION);
    if (a != null && !a.isBlank()) {
      out.add(a.strip());
    }
    Windows w = spec.windows();
    Windows.Network n = w == null ? null : w.network();
    if (n != null) {
      for (String e : n.endpointList()) {
        if (!e.isBlank() && !out.contains(e.strip())) {
          out.add(e.strip());
        }
      }
    }
    return out;
  }
}
