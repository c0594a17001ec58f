/** Silo's portable API: compute systems, processes, HRESULTs and the exceptions that carry them. */
module dev.silo.api {
  requires static org.jspecify;
  requires transitive dev.silo.schema;

  exports dev.silo.api;
}
