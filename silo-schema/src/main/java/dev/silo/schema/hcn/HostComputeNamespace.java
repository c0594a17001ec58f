package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An HCN namespace (hcsshim {@code hcn.HostComputeNamespace}) = a network compartment; on Silo a
 * network namespace.
 *
 * @param id GUID, assigned by the service when absent
 * @param namespaceId compartment number (u32)
 * @param type Host, HostDefault, Guest or GuestDefault
 * @param resources attached endpoints and containers
 * @param schemaVersion document version
 * @param readyOnCreate created ready for use (HNS 15.2)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostComputeNamespace(
    @JsonProperty("ID") @Nullable String id,
    @JsonProperty("NamespaceId") @Nullable Long namespaceId,
    @JsonProperty("Type") @Nullable String type,
    @JsonProperty("Resources") List<NamespaceResource> resources,
    @JsonProperty("SchemaVersion") @Nullable SchemaVersion schemaVersion,
    @JsonProperty("ReadyOnCreate") @Nullable Boolean readyOnCreate) {

  /** Copies the resources so the record stays immutable. */
  public HostComputeNamespace {
    resources = Immutable.list(resources);
  }

  /** A new host-type namespace without members. */
  public static HostComputeNamespace host() {
    return new HostComputeNamespace(null, null, "Host", List.of(), SchemaVersion.V2, null);
  }

  /** This namespace with another id and compartment number. */
  public HostComputeNamespace withId(String newId, long newNamespaceId) {
    return new HostComputeNamespace(
        newId, newNamespaceId, type, resources, schemaVersion, readyOnCreate);
  }

  /** This namespace with other members. */
  public HostComputeNamespace withResources(List<NamespaceResource> newResources) {
    return new HostComputeNamespace(
        id, namespaceId, type, newResources, schemaVersion, readyOnCreate);
  }

  /** Ids of the endpoints attached, in order. */
  public List<String> endpointIds() {
    return resources.stream()
        .filter(r -> "Endpoint".equals(r.type()) && r.data() != null && r.data().id() != null)
        .map(r -> r.data().id())
        .toList();
  }
}
