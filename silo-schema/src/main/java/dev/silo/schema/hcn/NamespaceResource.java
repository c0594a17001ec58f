package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A member of a namespace, {@code {"Type": "Endpoint"|"Container", "Data": {"ID": …}}} (hcsshim
 * {@code hcn.NamespaceResource}).
 *
 * @param type Endpoint or Container
 * @param data the member's id
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NamespaceResource(
    @JsonProperty("Type") @Nullable String type, @JsonProperty("Data") @Nullable ResourceId data) {

  /** The resource naming an endpoint. */
  public static NamespaceResource endpoint(String endpointId) {
    return new NamespaceResource("Endpoint", new ResourceId(endpointId));
  }
}
