package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Failure document HCS returns with an error HRESULT (hcsshim {@code schema2.ResultError}).
 *
 * @param error the HRESULT
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ResultError(
    @JsonProperty("Error") int error,
    @JsonProperty("ErrorMessage") @Nullable String errorMessage,
    @JsonProperty("ErrorEvents") List<ErrorEvent> errorEvents,
    @JsonProperty("Attribution") List<AttributionRecord> attribution) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public ResultError {
    errorEvents = Immutable.list(errorEvents);
    attribution = Immutable.list(attribution);
  }
}
