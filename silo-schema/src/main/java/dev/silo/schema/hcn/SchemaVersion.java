package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Version of an HCN document (hcsshim {@code hcn.SchemaVersion}); Silo speaks 2.0.
 *
 * @param major major version
 * @param minor minor version
 */
public record SchemaVersion(@JsonProperty("Major") int major, @JsonProperty("Minor") int minor) {

  /** The version every object Silo writes carries. */
  public static final SchemaVersion V2 = new SchemaVersion(2, 0);
}
