package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** CPU time of a container in 100 ns units (hcsshim {@code schema2.ProcessorStats}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProcessorStats(
    @JsonProperty("TotalRuntime100ns") @Nullable Long totalRuntime100ns,
    @JsonProperty("RuntimeUser100ns") @Nullable Long runtimeUser100ns,
    @JsonProperty("RuntimeKernel100ns") @Nullable Long runtimeKernel100ns) {}
