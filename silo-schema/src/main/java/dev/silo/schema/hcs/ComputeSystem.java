package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Document given to {@code HcsCreateComputeSystem} (hcsshim {@code schema2.ComputeSystem}); exactly
 * one of {@code Container}, {@code VirtualMachine} or {@code HostedSystem} is set.
 *
 * @param owner client that owns the system ({@code runhcs --owner})
 * @param hostingSystemId id of the utility VM that hosts this container (Hyper-V isolation)
 * @param hostedSystem the container document for the hosting VM: a {@link HostedSystem} or {@link
 *     LinuxContainer}, or its raw JSON tree
 * @param shouldTerminateOnLastHandleClosed kill the system when its last handle closes
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComputeSystem(
    @JsonProperty("Owner") @Nullable String owner,
    @JsonProperty("SchemaVersion") @Nullable Version schemaVersion,
    @JsonProperty("HostingSystemId") @Nullable String hostingSystemId,
    @JsonProperty("HostedSystem") @Nullable Object hostedSystem,
    @JsonProperty("Container") @Nullable Container container,
    @JsonProperty("VirtualMachine") @Nullable VirtualMachine virtualMachine,
    @JsonProperty("ShouldTerminateOnLastHandleClosed")
        @Nullable Boolean shouldTerminateOnLastHandleClosed) {

  /** Copies collections and raw JSON trees so the record stays immutable. */
  public ComputeSystem {
    hostedSystem = JsonTree.copyOf(hostedSystem);
  }
}
