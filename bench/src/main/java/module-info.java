/**
 * Benchmarks of runc-compatible OCI runtimes side by side (whole process) and of the in-process HCS
 * API (JMH).
 */
module dev.silo.bench {
  requires static org.jspecify;
  requires dev.silo.hcs;
  requires dev.silo.schema;
  requires jmh.core;

  exports dev.silo.bench.jmh;
}
