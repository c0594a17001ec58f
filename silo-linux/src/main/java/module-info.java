/** The only Silo code that knows Linux: cgroups, seccomp BPF, processes, network, probes. */
module dev.silo.linux {
  requires static org.jspecify;
  requires transitive dev.silo.api;

  exports dev.silo.linux;
  exports dev.silo.linux.cgroup;
  exports dev.silo.linux.fs;
  exports dev.silo.linux.net;
  exports dev.silo.linux.process;
  exports dev.silo.linux.seccomp;
}
