package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Document given to {@code HcsGetComputeSystemProperties} (hcsshim {@code schema2.PropertyQuery}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PropertyQuery(@JsonProperty("PropertyTypes") List<PropertyType> propertyTypes) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public PropertyQuery {
    propertyTypes = Immutable.list(propertyTypes);
  }
}
