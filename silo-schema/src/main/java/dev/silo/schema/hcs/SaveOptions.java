package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Options of {@code HcsSaveComputeSystem} (hcsshim {@code schema2.SaveOptions}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SaveOptions(
    @JsonProperty("SaveType") @Nullable SaveType saveType,
    @JsonProperty("SaveStateFilePath") @Nullable String saveStateFilePath) {}
