/**
 * Silo document records: OCI runtime-spec, HCS schema v2, and the small JSON codec of the CLI path.
 */
module dev.silo.schema {
  requires static org.jspecify;
  requires static com.fasterxml.jackson.annotation;

  exports dev.silo.schema.json;
  exports dev.silo.schema.oci;
  exports dev.silo.schema.hcs;
  exports dev.silo.schema.hcn;
}
