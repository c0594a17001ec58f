/** Whole-process benchmark of runc-compatible OCI runtimes (runc, crun, runhcs) measured side by side. */
module dev.silo.bench {
  requires static org.jspecify;
}
