package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An HCN endpoint (hcsshim {@code hcn.HostComputeEndpoint}): one interface of a container on a
 * network.
 *
 * @param id GUID, assigned by the service when absent
 * @param name name, unique on the host
 * @param hostComputeNetwork GUID of the network
 * @param hostComputeNamespace GUID of the namespace it is attached to (read-only)
 * @param policies endpoint policies
 * @param ipConfigurations addresses; allocated by the service when absent
 * @param dns DNS settings
 * @param routes routes
 * @param macAddress MAC, {@code 00-15-5D-…}; allocated when absent
 * @param flags {@link #REMOTE_ENDPOINT}
 * @param health service-reported health
 * @param schemaVersion document version
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostComputeEndpoint(
    @JsonProperty("ID") @Nullable String id,
    @JsonProperty("Name") @Nullable String name,
    @JsonProperty("HostComputeNetwork") @Nullable String hostComputeNetwork,
    @JsonProperty("HostComputeNamespace") @Nullable String hostComputeNamespace,
    @JsonProperty("Policies") List<EndpointPolicy> policies,
    @JsonProperty("IpConfigurations") List<IpConfig> ipConfigurations,
    @JsonProperty("Dns") @Nullable Dns dns,
    @JsonProperty("Routes") List<Route> routes,
    @JsonProperty("MacAddress") @Nullable String macAddress,
    @JsonProperty("Flags") @Nullable Integer flags,
    @JsonProperty("Health") @Nullable Health health,
    @JsonProperty("SchemaVersion") @Nullable SchemaVersion schemaVersion) {

  /** Endpoint flag: the endpoint lives on another host (overlay). */
  public static final int REMOTE_ENDPOINT = 1;

  /** Copies the lists so the record stays immutable. */
  public HostComputeEndpoint {
    policies = Immutable.list(policies);
    ipConfigurations = Immutable.list(ipConfigurations);
    routes = Immutable.list(routes);
  }

  /** An endpoint on a network with only a name, the rest left to the service. */
  public static HostComputeEndpoint of(String name, String networkId) {
    return new HostComputeEndpoint(
        null,
        name,
        networkId,
        null,
        List.of(),
        List.of(),
        null,
        List.of(),
        null,
        null,
        null,
        SchemaVersion.V2);
  }

  /** This endpoint with another id. */
  public HostComputeEndpoint withId(String newId) {
    return new HostComputeEndpoint(
        newId,
        name,
        hostComputeNetwork,
        hostComputeNamespace,
        policies,
        ipConfigurations,
        dns,
        routes,
        macAddress,
        flags,
        health,
        schemaVersion);
  }

  /** This endpoint attached to a namespace (or detached, with null). */
  public HostComputeEndpoint withNamespace(@Nullable String namespaceId) {
    return new HostComputeEndpoint(
        id,
        name,
        hostComputeNetwork,
        namespaceId,
        policies,
        ipConfigurations,
        dns,
        routes,
        macAddress,
        flags,
        health,
        schemaVersion);
  }

  /** This endpoint with other policies. */
  public HostComputeEndpoint withPolicies(List<EndpointPolicy> newPolicies) {
    return new HostComputeEndpoint(
        id,
        name,
        hostComputeNetwork,
        hostComputeNamespace,
        newPolicies,
        ipConfigurations,
        dns,
        routes,
        macAddress,
        flags,
        health,
        schemaVersion);
  }

  /** This endpoint with its addresses, MAC and routes decided. */
  public HostComputeEndpoint withAddressing(
      List<IpConfig> ips, @Nullable String mac, List<Route> newRoutes) {
    return new HostComputeEndpoint(
        id,
        name,
        hostComputeNetwork,
        hostComputeNamespace,
        policies,
        ips,
        dns,
        newRoutes,
        mac,
        flags,
        health,
        schemaVersion);
  }

  /** The policies of one Type's settings record, in order. */
  public <T extends EndpointPolicySettings> List<T> policySettings(Class<T> kind) {
    return policies.stream()
        .map(EndpointPolicy::settings)
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }
}
