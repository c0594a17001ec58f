package dev.silo.hns.linux;

import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The process {@link CrashSafetyIT} kills: one endpoint's whole life (namespace create, endpoint
 * create with a port mapping, attach, detach, delete, namespace delete) against the lab's store and
 * host netns, run with {@code -Dsilo.hns.stopAt=N} so it blocks at the N-th stop point. Prints
 * {@code DONE} when it passed every point.
 *
 * <p>Arguments: HOST_NETNS DATABASE BOOT_ID_FILE NETWORK_ID.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    HnsOptions options =
        HnsOptions.defaults(LinuxDataplane.open(args[0]))
            .withHostNetns(args[0])
            .withDatabase(Path.of(args[1]))
            .withBootIdFile(Path.of(args[2]))
            .withReconcile(HnsOptions.Reconcile.NEVER);
    try (HostNetworkService hns = HostNetworkService.open(options)) {
      String ns = Objects.requireNonNull(hns.createNamespace(HostComputeNamespace.host()).id());
      PortMappingPolicySetting map = new PortMappingPolicySetting(6, 80, 18080, null, null);
      HostComputeEndpoint in =
          HostComputeEndpoint.of("crash", args[3]).withPolicies(List.of(EndpointPolicy.of(map)));
      String ep = Objects.requireNonNull(hns.createEndpoint(in).id());
      hns.addNamespaceEndpoint(ns, ep);
      hns.removeNamespaceEndpoint(ns, ep);
      hns.deleteEndpoint(ep);
      hns.deleteNamespace(ns);
    }
    System.err.println("DONE");
  }
}
