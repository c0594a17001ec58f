package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Process-isolated Windows Server container (hcsshim {@code schema2.Container}).
 *
 * @param isolationType {@code Process} (default) or {@code HostProcess}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Container(
    @JsonProperty("GuestOs") @Nullable GuestOs guestOs,
    @JsonProperty("Storage") @Nullable Storage storage,
    @JsonProperty("MappedDirectories") List<MappedDirectory> mappedDirectories,
    @JsonProperty("MappedPipes") List<MappedPipe> mappedPipes,
    @JsonProperty("Memory") @Nullable ContainerMemory memory,
    @JsonProperty("Processor") @Nullable ContainerProcessor processor,
    @JsonProperty("Networking") @Nullable Networking networking,
    @JsonProperty("HvSocket") @Nullable HvSocket hvSocket,
    @JsonProperty("IsolationType") @Nullable IsolationType isolationType) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public Container {
    mappedDirectories = Immutable.list(mappedDirectories);
    mappedPipes = Immutable.list(mappedPipes);
  }
}
