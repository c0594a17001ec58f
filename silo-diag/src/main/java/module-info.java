/** hcsdiag and hnsdiag: diagnostics of running compute systems and networks. */
module dev.silo.diag {
  requires static org.jspecify;
  requires dev.silo.api;
  requires dev.silo.hcs;
}
