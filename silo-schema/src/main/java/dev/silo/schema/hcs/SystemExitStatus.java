package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Exit status of a compute system, from {@code HcsWaitForComputeSystemExit} or the SystemExited
 * event (hcsshim {@code schema2.SystemExitStatus}).
 *
 * @param status exit HRESULT, 0 for S_OK
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SystemExitStatus(
    @JsonProperty("Status") int status,
    @JsonProperty("ExitType") @Nullable ExitType exitType,
    @JsonProperty("Attribution") List<AttributionRecord> attribution) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public SystemExitStatus {
    attribution = Immutable.list(attribution);
  }
}
