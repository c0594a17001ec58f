package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Storage quality-of-service limits on the scratch volume (hcsshim {@code schema2.StorageQoS}).
 *
 * @param iopsMaximum operations per second
 * @param bandwidthMaximum bytes per second
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StorageQoS(
    @JsonProperty("IopsMaximum") @Nullable Long iopsMaximum,
    @JsonProperty("BandwidthMaximum") @Nullable Long bandwidthMaximum) {}
