package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DNS settings of a network or endpoint (hcsshim {@code hcn.Dns}).
 *
 * @param domain DNS domain ({@code Suffix} in older hcsshim)
 * @param search search list
 * @param serverList DNS servers
 * @param options resolver options
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Dns(
    @JsonProperty("Domain") @Nullable String domain,
    @JsonProperty("Search") List<String> search,
    @JsonProperty("ServerList") List<String> serverList,
    @JsonProperty("Options") List<String> options) {

  /** Copies the lists so the record stays immutable. */
  public Dns {
    search = Immutable.list(search);
    serverList = Immutable.list(serverList);
    options = Immutable.list(options);
  }
}
