package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answer of {@code HcsGetComputeSystemProperties} and one entry of {@code
 * HcsEnumerateComputeSystems} (hcsshim {@code schema2.Properties}); modelled for containers.
 *
 * @param runtimeId GUID of the running instance
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Properties(
    @JsonProperty("Id") @Nullable String id,
    @JsonProperty("SystemType") @Nullable SystemType systemType,
    @JsonProperty("RuntimeOsType") @Nullable OsType runtimeOsType,
    @JsonProperty("Name") @Nullable String name,
    @JsonProperty("Owner") @Nullable String owner,
    @JsonProperty("RuntimeId") @Nullable String runtimeId,
    @JsonProperty("State") @Nullable State state,
    @JsonProperty("Stopped") @Nullable Boolean stopped,
    @JsonProperty("ExitType") @Nullable ExitType exitType,
    @JsonProperty("Statistics") @Nullable Statistics statistics,
    @JsonProperty("ProcessList") List<ProcessDetails> processList,
    @JsonProperty("TerminateOnLastHandleClosed") @Nullable Boolean terminateOnLastHandleClosed,
    @JsonProperty("SystemGUID") @Nullable String systemGuid,
    @JsonProperty("HostingSystemId") @Nullable String hostingSystemId) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public Properties {
    processList = Immutable.list(processList);
  }
}
