package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** UDP port of an overlay network (hcsshim {@code hcn.VxlanPortPolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VxlanPortPolicySetting(@JsonProperty("Port") @Nullable Integer port)
    implements NetworkPolicySettings {}
