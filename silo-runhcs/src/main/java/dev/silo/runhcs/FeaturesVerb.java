package dev.silo.runhcs;

import dev.silo.hcs.ComputeService;
import dev.silo.schema.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runhcs features}: what this runtime supports, in the runtime-spec features document shape.
 */
final class FeaturesVerb implements Verb {
  @Override
  public String name() {
    return "features";
  }

  @Override
  public String summary() {
    return "show the enabled features";
  }

  @Override
  public String argsUsage() {
    return "";
  }

  @Override
  public String description() {
    return "Prints the features document (OCI versions, hooks, mount options, namespaces, capabilities).\n\n"
        + "EXAMPLE:\n   runhcs features | jq .linux.namespaces";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(Runhcs ctx, Arguments args) {
    Map<String, Object> linux = new LinkedHashMap<>();
    linux.put(
        "namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"));
    linux.put("capabilities", ComputeService.knownCapabilities());
    linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false));
    linux.put(
        "seccomp",
        Map.of(
            "enabled", true,
            "actions",
                List.of(
                    "SCMP_ACT_ALLOW",
                    "SCMP_ACT_ERRNO",
                    "SCMP_ACT_KILL",
                    "SCMP_ACT_KILL_PROCESS",
                    "SCMP_ACT_KILL_THREAD",
                    "SCMP_ACT_LOG",
                    "SCMP_ACT_TRACE",
                    "SCMP_ACT_TRAP"),
            "operators",
                List.of(
                    "SCMP_CMP_EQ",
                    "SCMP_CMP_GE",
                    "SCMP_CMP_GT",
                    "SCMP_CMP_LE",
                    "SCMP_CMP_LT",
                    "SCMP_CMP_MASKED_EQ",
                    "SCMP_CMP_NE"),
            "archs",
                List.of(
                    "SCMP_ARCH_AARCH64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64")));
    linux.put("apparmor", Map.of("enabled", false));
    linux.put("selinux", Map.of("enabled", false));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("ociVersionMin", "1.0.0");
    f.put("ociVersionMax", Main.SPEC_VERSION);
    f.put("hooks", List.of());
    f.put(
        "mountOptions",
        List.of(
            "async",
            "atime",
            "bind",
            "defaults",
            "dev",
            "diratime",
            "dirsync",
            "exec",
            "mand",
            "noatime",
            "nodev",
            "nodiratime",
            "noexec",
            "nomand",
            "norelatime",
            "nostrictatime",
            "nosuid",
            "private",
            "rbind",
            "relatime",
            "remount",
            "ro",
            "rprivate",
            "rshared",
            "rslave",
            "runbindable",
            "rw",
            "shared",
            "slave",
            "strictatime",
            "suid",
            "sync",
            "unbindable"));
    f.put("linux", linux);
    f.put("annotations", Map.of("org.opencontainers.runc.version", "silo-" + Main.VERSION));
    ctx.out.println(Json.writePretty(f, 4));
    return 0;
  }
}
