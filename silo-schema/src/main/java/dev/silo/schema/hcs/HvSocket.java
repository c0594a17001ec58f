package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Hyper-V socket settings of a container (hcsshim {@code schema2.HvSocket}); modelled minimally.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HvSocket(
    @JsonProperty("Config") @Nullable HvSocketSystemConfig config,
    @JsonProperty("EnablePowerShellDirect") @Nullable Boolean enablePowerShellDirect) {}
