/**
 * Benchmarks of runc-compatible OCI runtimes side by side (whole process) and of the in-process HCS
 * API (JMH), of the in-process HNS API beside the CNI plugins, and of HNS load balancer
 * programming.
 */
module dev.silo.bench {
  requires static org.jspecify;
  requires dev.silo.api;
  requires dev.silo.hcs;
  requires dev.silo.hns;
  requires dev.silo.linux;
  requires dev.silo.schema;
  requires jdk.management;
  requires jmh.core;

  exports dev.silo.bench.jmh;
  exports dev.silo.bench.lb;
}
