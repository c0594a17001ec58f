package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Filter given to {@code HcsEnumerateComputeSystems} (hcsshim {@code schema2.SystemQuery}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SystemQuery(
    @JsonProperty("Ids") List<String> ids,
    @JsonProperty("Names") List<String> names,
    @JsonProperty("Types") List<SystemType> types,
    @JsonProperty("Owners") List<String> owners) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public SystemQuery {
    ids = Immutable.list(ids);
    names = Immutable.list(names);
    types = Immutable.list(types);
    owners = Immutable.list(owners);
  }
}
