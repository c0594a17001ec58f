package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One event-log record attached to an HCS error (hcsshim {@code schema2.ErrorEvent}).
 *
 * @param provider ETW provider GUID
 * @param eventId uint16
 * @param flags uint32
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorEvent(
    @JsonProperty("Message") @Nullable String message,
    @JsonProperty("StackTrace") @Nullable String stackTrace,
    @JsonProperty("Provider") @Nullable String provider,
    @JsonProperty("EventId") @Nullable Integer eventId,
    @JsonProperty("Flags") @Nullable Long flags,
    @JsonProperty("Source") @Nullable String source) {}
