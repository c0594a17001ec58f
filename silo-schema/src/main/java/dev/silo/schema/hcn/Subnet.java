package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An IP subnet of a network (hcsshim {@code hcn.Subnet}).
 *
 * @param ipAddressPrefix the CIDR, e.g. {@code 172.20.0.0/16}
 * @param policies VLAN / VSID isolation
 * @param routes routes; the {@code 0.0.0.0/0} next hop is the gateway
 * @param flags {@link #DO_NOT_RESERVE_GATEWAY_ADDRESS}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Subnet(
    @JsonProperty("IpAddressPrefix") @Nullable String ipAddressPrefix,
    @JsonProperty("Policies") List<SubnetPolicy> policies,
    @JsonProperty("Routes") List<Route> routes,
    @JsonProperty("Flags") @Nullable Integer flags) {

  /** Subnet flag: the gateway address may be given to an endpoint. */
  public static final int DO_NOT_RESERVE_GATEWAY_ADDRESS = 1;

  /** Copies the lists so the record stays immutable. */
  public Subnet {
    policies = Immutable.list(policies);
    routes = Immutable.list(routes);
  }

  /** A subnet with only a prefix and, when not null, a default route through the gateway. */
  public static Subnet of(String prefix, @Nullable String gateway) {
    List<Route> routes =
        gateway == null ? List.of() : List.of(new Route(gateway, "0.0.0.0/0", null));
    return new Subnet(prefix, List.of(), routes, null);
  }
}
