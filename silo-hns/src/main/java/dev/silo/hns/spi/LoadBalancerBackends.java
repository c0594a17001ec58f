package dev.silo.hns.spi;

import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import java.util.List;

/**
 * A load balancer with its resolved backend endpoints, one entry of a bulk {@link
 * Dataplane#programLoadBalancers} call.
 *
 * @param loadBalancer the load balancer, id set
 * @param backends its backends, in the load balancer's order
 */
public record LoadBalancerBackends(
    HostComputeLoadBalancer loadBalancer, List<HostComputeEndpoint> backends) {

  /** Copies the list so the record stays immutable. */
  public LoadBalancerBackends {
    backends = List.copyOf(backends);
  }
}
