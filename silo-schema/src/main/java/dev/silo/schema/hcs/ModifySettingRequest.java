package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Document given to {@code HcsModifyComputeSystem} (hcsshim {@code schema2.ModifySettingRequest}).
 *
 * @param resourcePath what to change, e.g. {@code Container/MappedDirectories}
 * @param settings the new resource: a schema record or a raw JSON tree (maps, lists, strings,
 *     numbers, booleans)
 * @param guestRequest request forwarded to the guest agent, same shapes as settings
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ModifySettingRequest(
    @JsonProperty("ResourcePath") @Nullable String resourcePath,
    @JsonProperty("RequestType") @Nullable RequestType requestType,
    @JsonProperty("Settings") @Nullable Object settings,
    @JsonProperty("GuestRequest") @Nullable Object guestRequest) {

  /** Copies collections and raw JSON trees so the record stays immutable. */
  public ModifySettingRequest {
    settings = JsonTree.copyOf(settings);
    guestRequest = JsonTree.copyOf(guestRequest);
  }
}
