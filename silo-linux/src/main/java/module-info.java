/** The only Silo code that knows Linux: cgroups, seccomp BPF, probes. */
module dev.silo.linux {
  requires static org.jspecify;
  requires transitive dev.silo.api;

  exports dev.silo.linux;
  exports dev.silo.linux.cgroup;
<<<<<<< HEAD
  exports dev.silo.linux.process;
=======
  exports dev.silo.linux.net;
>>>>>>> h/netlink
  exports dev.silo.linux.seccomp;
}
