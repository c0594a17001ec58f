package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Encapsulation overhead of an endpoint in bytes (hcsshim {@code
 * hcn.EncapOverheadEndpointPolicySetting}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EncapOverheadPolicySetting(@JsonProperty("Overhead") @Nullable Integer overhead)
    implements EndpointPolicySettings {}
