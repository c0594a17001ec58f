package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Network settings of a container (hcsshim {@code schema2.Networking}).
 *
 * @param dnsSearchList comma-separated DNS suffixes
 * @param networkSharedContainerName container whose network namespace is shared
 * @param namespace HNS namespace GUID (Silo: the named netns)
 * @param networkAdapters endpoint GUIDs
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Networking(
    @JsonProperty("AllowUnqualifiedDnsQuery") @Nullable Boolean allowUnqualifiedDnsQuery,
    @JsonProperty("DnsSearchList") @Nullable String dnsSearchList,
    @JsonProperty("NetworkSharedContainerName") @Nullable String networkSharedContainerName,
    @JsonProperty("Namespace") @Nullable String namespace,
    @JsonProperty("NetworkAdapters") List<String> networkAdapters) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public Networking {
    networkAdapters = Immutable.list(networkAdapters);
  }
}
