package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Switch port name of an endpoint (hcsshim {@code hcn.PortnameEndpointPolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PortNamePolicySetting(@JsonProperty("Name") @Nullable String name)
    implements EndpointPolicySettings {}
