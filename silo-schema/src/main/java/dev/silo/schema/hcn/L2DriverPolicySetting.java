package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Marker settings of the L2Driver endpoint policy (hcsshim {@code hcn.L2Driver}); HNS sends the
 * policy without Settings, so mappers must not fail on a missing external type property.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record L2DriverPolicySetting() implements EndpointPolicySettings {}
