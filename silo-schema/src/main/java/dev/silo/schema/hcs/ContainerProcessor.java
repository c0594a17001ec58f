package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * CPU limits of a container (hcsshim {@code schema2.ContainerProcessor}); Count, Maximum and Weight
 * are mutually exclusive.
 *
 * @param count number of processors
 * @param maximum share of the whole host's CPU time in hundredths of a percent, 0–10000
 * @param weight relative weight, 0–10000
 * @param affinity processor mask (group 0)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ContainerProcessor(
    @JsonProperty("Count") @Nullable Integer count,
    @JsonProperty("Maximum") @Nullable Integer maximum,
    @JsonProperty("Weight") @Nullable Integer weight,
    @JsonProperty("Affinity") @Nullable Long affinity) {}
