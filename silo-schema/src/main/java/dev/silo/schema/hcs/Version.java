package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Schema version of an HCS document, {@code {"Major":2,"Minor":1}} (hcsshim {@code
 * schema2.Version}).
 *
 * @param major incompatible between majors
 * @param minor a lower minor is a compatible subset of a higher one
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Version(@JsonProperty("Major") int major, @JsonProperty("Minor") int minor) {
  /** Schema 2.1, what hcsshim writes for containers on Windows Server 2019 and later. */
  public static final Version V2_1 = new Version(2, 1);

  /** Schema 2.5 (Windows Server 2022): adds property queries and shutdown options. */
  public static final Version V2_5 = new Version(2, 5);

  /** Whether a document of this version can be read by a service that speaks {@code supported}. */
  public boolean isCompatibleWith(Version supported) {
    return major == supported.major && minor <= supported.minor;
  }
}
