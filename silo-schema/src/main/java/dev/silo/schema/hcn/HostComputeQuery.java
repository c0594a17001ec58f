package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A list/query request (hcsshim {@code hcn.HostComputeQuery}); {@code Filter} is itself a JSON
 * document in a string, e.g. {@code {"Name":"nat"}}.
 *
 * @param schemaVersion document version
 * @param flags 0 none, 1 detailed
 * @param filter JSON object as a string, field name to wanted value
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostComputeQuery(
    @JsonProperty("SchemaVersion") @Nullable SchemaVersion schemaVersion,
    @JsonProperty("Flags") @Nullable Integer flags,
    @JsonProperty("Filter") @Nullable String filter) {

  /** Query flag: detailed output. */
  public static final int DETAILED = 1;

  /** A query with a filter document (or none). */
  public static HostComputeQuery of(@Nullable String filter) {
    return new HostComputeQuery(SchemaVersion.V2, 0, filter);
  }
}
