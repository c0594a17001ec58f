package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Attribution of a failure to an operation (hcsshim {@code schema2.OperationFailure}).
 *
 * @param detail which step failed, e.g. {@code CreateInternalError}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OperationFailure(@JsonProperty("Detail") @Nullable String detail) {}
