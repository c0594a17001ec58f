package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * An address of an endpoint (hcsshim {@code hcn.IpConfig}).
 *
 * @param ipAddress the address
 * @param prefixLength prefix length (u8)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IpConfig(
    @JsonProperty("IpAddress") @Nullable String ipAddress,
    @JsonProperty("PrefixLength") @Nullable Integer prefixLength) {}
