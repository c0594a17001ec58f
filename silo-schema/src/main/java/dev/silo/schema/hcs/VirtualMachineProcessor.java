package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Virtual processors of a VM (hcsshim {@code schema2.VirtualMachineProcessor}); modelled minimally.
 *
 * @param count number of virtual processors
 * @param limit cap in hundredths of a percent, 0–100000
 * @param weight relative weight
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VirtualMachineProcessor(
    @JsonProperty("Count") @Nullable Integer count,
    @JsonProperty("Limit") @Nullable Long limit,
    @JsonProperty("Weight") @Nullable Long weight) {}
