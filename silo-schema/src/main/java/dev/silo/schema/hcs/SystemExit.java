package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Attribution of an exit to the system (hcsshim {@code schema2.SystemExit}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SystemExit(
    @JsonProperty("Detail") @Nullable SystemExitDetail detail,
    @JsonProperty("Initiator") @Nullable ExitInitiator initiator) {}
