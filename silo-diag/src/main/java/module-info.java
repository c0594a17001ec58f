/** hcsdiag and hnsdiag: diagnostics of compute systems and of HNS network objects. */
module dev.silo.diag {
  requires static org.jspecify;
  requires dev.silo.api;
  requires dev.silo.hcs;
  requires dev.silo.hns;
  requires dev.silo.linux;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;

  opens dev.silo.diag to
      info.picocli;
}
