package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Linux container document carried as {@code HostedSystem} (hcsshim {@code linuxHostedSystem} of
 * {@code internal/hcsoci/hcsdoc_lcow.go}): the OCI spec itself, as the Linux guest agent runs it.
 *
 * @param ociBundlePath bundle directory the container is created from
 * @param ociSpecification the OCI runtime spec ({@code config.json}) as its raw JSON tree
 * @param scratchDirPath scratch directory holding the container's writable layer
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LinuxContainer(
    @JsonProperty("SchemaVersion") @Nullable Version schemaVersion,
    @JsonProperty("OciBundlePath") @Nullable String ociBundlePath,
    @JsonProperty("OciSpecification") @Nullable Object ociSpecification,
    @JsonProperty("ScratchDirPath") @Nullable String scratchDirPath) {

  /** Copies collections and raw JSON trees so the record stays immutable. */
  public LinuxContainer {
    ociSpecification = JsonTree.copyOf(ociSpecification);
  }
}
