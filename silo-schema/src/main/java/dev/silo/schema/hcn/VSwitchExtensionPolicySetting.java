package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Switch extension toggle of a network (hcsshim {@code hcn.VSwitchExtensionNetworkPolicySetting}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VSwitchExtensionPolicySetting(
    @JsonProperty("ExtensionID") @Nullable String extensionId,
    @JsonProperty("Enable") @Nullable Boolean enable)
    implements NetworkPolicySettings {}
