package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The MAC ranges endpoints of a network take their addresses from (hcsshim {@code hcn.MacPool}).
 *
 * @param ranges the ranges, tried in order
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MacPool(@JsonProperty("Ranges") List<MacRange> ranges) {

  /** Copies the ranges so the record stays immutable. */
  public MacPool {
    ranges = Immutable.list(ranges);
  }
}
