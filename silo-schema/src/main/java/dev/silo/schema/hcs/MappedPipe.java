package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Host named pipe mapped into a container (hcsshim {@code schema2.MappedPipe}); Silo bind-mounts a
 * socket or FIFO.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MappedPipe(
    @JsonProperty("ContainerPipeName") @Nullable String containerPipeName,
    @JsonProperty("HostPath") @Nullable String hostPath,
    @JsonProperty("HostPathType") @Nullable MappedPipePathType hostPathType) {}
