package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Memory and processors of a VM (hcsshim {@code schema2.Topology}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Topology(
    @JsonProperty("Memory") @Nullable VirtualMachineMemory memory,
    @JsonProperty("Processor") @Nullable VirtualMachineProcessor processor) {}
