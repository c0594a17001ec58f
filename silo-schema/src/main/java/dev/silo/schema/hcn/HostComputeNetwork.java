package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An HCN network (hcsshim {@code hcn.HostComputeNetwork}): a driver type, subnets and policies.
 *
 * @param id GUID, assigned by the service when absent
 * @param name unique name
 * @param type driver
 * @param policies network policies
 * @param macPool MAC ranges for endpoints
 * @param dns DNS settings
 * @param ipams address management
 * @param flags {@link #ENABLE_NON_PERSISTENT} and others
 * @param health service-reported health
 * @param schemaVersion document version
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostComputeNetwork(
    @JsonProperty("ID") @Nullable String id,
    @JsonProperty("Name") @Nullable String name,
    @JsonProperty("Type") @Nullable NetworkType type,
    @JsonProperty("Policies") List<NetworkPolicy> policies,
    @JsonProperty("MacPool") @Nullable MacPool macPool,
    @JsonProperty("Dns") @Nullable Dns dns,
    @JsonProperty("Ipams") List<Ipam> ipams,
    @JsonProperty("Flags") @Nullable Integer flags,
    @JsonProperty("Health") @Nullable Health health,
    @JsonProperty("SchemaVersion") @Nullable SchemaVersion schemaVersion) {

  /** Network flag: DNS proxy (MS schema doc). */
  public static final int ENABLE_DNS_PROXY = 1;

  /** Network flag: the network is not persisted and is gone after a reboot. */
  public static final int ENABLE_NON_PERSISTENT = 8;

  /** Network flag: no host vNIC. */
  public static final int DISABLE_HOST_PORT = 1024;

  /** Network flag: SR-IOV. */
  public static final int ENABLE_IOV = 8192;

  /** Copies the lists so the record stays immutable. */
  public HostComputeNetwork {
    policies = Immutable.list(policies);
    ipams = Immutable.list(ipams);
  }

  /** A static-IPAM network with the given subnets. */
  public static HostComputeNetwork of(String name, NetworkType type, Subnet... subnets) {
    List<Ipam> ipams =
        subnets.length == 0 ? List.of() : List.of(new Ipam("Static", List.of(subnets)));
    return new HostComputeNetwork(
        null, name, type, List.of(), null, null, ipams, null, null, SchemaVersion.V2);
  }

  /** The flags, 0 when absent. */
  public int flagsOrZero() {
    return flags == null ? 0 : flags;
  }

  /** Every subnet of every IPAM block, in order. */
  public List<Subnet> subnets() {
    return ipams.stream().flatMap(i -> i.subnets().stream()).toList();
  }

  /** This network with another id. */
  public HostComputeNetwork withId(String newId) {
    return new HostComputeNetwork(
        newId, name, type, policies, macPool, dns, ipams, flags, health, schemaVersion);
  }

  /** This network with other policies. */
  public HostComputeNetwork withPolicies(List<NetworkPolicy> newPolicies) {
    return new HostComputeNetwork(
        id, name, type, newPolicies, macPool, dns, ipams, flags, health, schemaVersion);
  }

  /** This network with other DNS settings. */
  public HostComputeNetwork withDns(@Nullable Dns newDns) {
    return new HostComputeNetwork(
        id, name, type, policies, macPool, newDns, ipams, flags, health, schemaVersion);
  }
}
