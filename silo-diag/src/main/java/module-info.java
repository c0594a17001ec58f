/** hcsdiag: diagnostics of running compute systems (list, stat, exec, kill). */
module dev.silo.diag {
  requires static org.jspecify;
  requires dev.silo.api;
  requires dev.silo.hcs;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;

  opens dev.silo.diag to
      info.picocli;
}
