package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Run-time statistics of a container (hcsshim {@code schema2.Statistics}).
 *
 * @param timestamp RFC 3339 time of the sample
 * @param containerStartTime RFC 3339 start time
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Statistics(
    @JsonProperty("Timestamp") @Nullable String timestamp,
    @JsonProperty("ContainerStartTime") @Nullable String containerStartTime,
    @JsonProperty("Uptime100ns") @Nullable Long uptime100ns,
    @JsonProperty("Processor") @Nullable ProcessorStats processor,
    @JsonProperty("Memory") @Nullable MemoryStats memory,
    @JsonProperty("Storage") @Nullable StorageStats storage) {}
