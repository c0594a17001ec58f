/** The Host Compute Service on Linux: compute systems, processes, OCI translation. */
module dev.silo.hcs {
  requires static org.jspecify;
  requires transitive dev.silo.api;
  requires transitive dev.silo.linux;
  requires dev.silo.init;
  requires transitive dev.silo.hns;

  exports dev.silo.hcs;
  exports dev.silo.hcs.net;
}
