package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Endpoint outbound NAT with exceptions (hcsshim {@code hcn.OutboundNatPolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OutboundNatPolicySetting(
    @JsonProperty("VirtualIP") @Nullable String virtualIp,
    @JsonProperty("Exceptions") List<String> exceptions,
    @JsonProperty("Destinations") List<String> destinations,
    @JsonProperty("Flags") @Nullable Integer flags,
    @JsonProperty("MaxPortPoolUsage") @Nullable Integer maxPortPoolUsage)
    implements EndpointPolicySettings {

  /** Copies the lists so the record stays immutable. */
  public OutboundNatPolicySetting {
    exceptions = Immutable.list(exceptions);
    destinations = Immutable.list(destinations);
  }
}
