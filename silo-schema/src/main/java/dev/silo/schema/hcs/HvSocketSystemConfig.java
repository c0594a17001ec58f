package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Default Hyper-V socket security descriptors of a system (hcsshim {@code
 * schema2.HvSocketSystemConfig}).
 *
 * @param defaultBindSecurityDescriptor SDDL checked when a host process binds
 * @param defaultConnectSecurityDescriptor SDDL checked when a host process connects
 * @param serviceTable per-service configuration, kept as its raw JSON tree
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HvSocketSystemConfig(
    @JsonProperty("DefaultBindSecurityDescriptor") @Nullable String defaultBindSecurityDescriptor,
    @JsonProperty("DefaultConnectSecurityDescriptor")
        @Nullable String defaultConnectSecurityDescriptor,
    @JsonProperty("ServiceTable") @Nullable Object serviceTable) {

  /** Copies collections and raw JSON trees so the record stays immutable. */
  public HvSocketSystemConfig {
    serviceTable = JsonTree.copyOf(serviceTable);
  }
}
