package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Host-to-local-pods route on an overlay network (hcsshim {@code hcn.HostRoutePolicySetting}); it
 * has no fields and is written {@code {}}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostRoutePolicySetting() implements NetworkPolicySettings {}
