package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Host directory mapped into a compute system (hcsshim {@code schema2.MappedDirectory}); Silo
 * bind-mounts it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MappedDirectory(
    @JsonProperty("HostPath") @Nullable String hostPath,
    @JsonProperty("HostPathType") @Nullable PathType hostPathType,
    @JsonProperty("ContainerPath") @Nullable String containerPath,
    @JsonProperty("ReadOnly") @Nullable Boolean readOnly) {}
