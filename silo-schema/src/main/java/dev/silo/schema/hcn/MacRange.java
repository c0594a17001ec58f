package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One range of a network's MAC pool (hcsshim {@code hcn.MacRange}), MACs written {@code
 * 00-15-5D-52-C0-00}.
 *
 * @param startMacAddress first MAC of the range
 * @param endMacAddress last MAC of the range (inclusive)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MacRange(
    @JsonProperty("StartMacAddress") @Nullable String startMacAddress,
    @JsonProperty("EndMacAddress") @Nullable String endMacAddress) {}
