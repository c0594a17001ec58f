package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Endpoint firewall rule (hcsshim {@code hcn.AclPolicySetting}); Action and Direction are always
 * written.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AclPolicySetting(
    @JsonProperty("Protocols") @Nullable String protocols,
    @JsonProperty("Action") @JsonInclude(JsonInclude.Include.ALWAYS) String action,
    @JsonProperty("Direction") @JsonInclude(JsonInclude.Include.ALWAYS) String direction,
    @JsonProperty("LocalAddresses") @Nullable String localAddresses,
    @JsonProperty("RemoteAddresses") @Nullable String remoteAddresses,
    @JsonProperty("LocalPorts") @Nullable String localPorts,
    @JsonProperty("RemotePorts") @Nullable String remotePorts,
    @JsonProperty("RuleType") @Nullable String ruleType,
    @JsonProperty("Priority") @Nullable Integer priority)
    implements EndpointPolicySettings {}
