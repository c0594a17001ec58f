/** runhcs: the runc-compatible OCI runtime CLI. */
module dev.silo.runhcs {
  requires static org.jspecify;
  requires dev.silo.hcs;
}
