package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An HCN load balancer (hcsshim {@code hcn.HostComputeLoadBalancer}): frontend VIPs and ports
 * spread over backend endpoints.
 *
 * @param id GUID, assigned by the service when absent
 * @param hostComputeEndpoints backend endpoint GUIDs
 * @param sourceVip SNAT source for hairpin / overlay
 * @param frontendVips frontend addresses
 * @param portMappings frontend ports
 * @param schemaVersion document version
 * @param flags DSR 1, IPv6 2
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostComputeLoadBalancer(
    @JsonProperty("ID") @Nullable String id,
    @JsonProperty("HostComputeEndpoints") List<String> hostComputeEndpoints,
    @JsonProperty("SourceVIP") @Nullable String sourceVip,
    @JsonProperty("FrontendVIPs") List<String> frontendVips,
    @JsonProperty("PortMappings") List<LoadBalancerPortMapping> portMappings,
    @JsonProperty("SchemaVersion") @Nullable SchemaVersion schemaVersion,
    @JsonProperty("Flags") @Nullable Integer flags) {

  /** Load balancer flag: direct server return. */
  public static final int ENABLE_DSR = 1;

  /** Copies the lists so the record stays immutable. */
  public HostComputeLoadBalancer {
    hostComputeEndpoints = Immutable.list(hostComputeEndpoints);
    frontendVips = Immutable.list(frontendVips);
    portMappings = Immutable.list(portMappings);
  }

  /** This load balancer with another id. */
  public HostComputeLoadBalancer withId(String newId) {
    return new HostComputeLoadBalancer(
        newId, hostComputeEndpoints, sourceVip, frontendVips, portMappings, schemaVersion, flags);
  }
}
