package dev.silo.schema.oci;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The semantic rules of runtime-spec that need no host access (a runtime checks them before it
 * touches the kernel, as runc's validator does); each problem names the field by its path.
 */
public final class SpecChecks {
  private static final Set<String> NAMESPACES =
      Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");

  private SpecChecks() {}

  /** All problems of the spec, in document order; empty when it is valid. */
  public static List<String> check(Spec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.ociVersion().isEmpty()) {
      problems.add("ociVersion: must be present");
    }
    checkRoot(spec, problems);
    Process process = spec.process();
    if (process != null) {
      checkProcess(process, "process", problems);
    }
    for (int i = 0; i < spec.mounts().size(); i++) {
      checkMount(spec.mounts().get(i), "mounts[" + i + "]", problems);
    }
    Hooks hooks = spec.hooks();
    if (hooks != null) {
      checkHooks(hooks, problems);
    }
    Linux linux = spec.linux();
    if (linux != null) {
      checkLinux(linux, problems);
    }
    Windows windows = spec.windows();
    if (windows != null) {
      checkWindows(windows, spec.root(), problems);
    }
    return problems;
  }

  /** The problems of a process document on its own ({@code runc exec --process}). */
  public static List<String> checkProcess(Process process) {
    List<String> problems = new ArrayList<>();
    checkProcess(process, "", problems);
    return problems;
  }

  private static void checkRoot(Spec spec, List<String> problems) {
    // Hyper-V containers boot from layers and a utility VM, so only the others need root.path.
    if (spec.windows() == null) {
      Root root = spec.root();
      if (root == null || root.path().isEmpty()) {
        problems.add("root.path: must be present");
      }
    }
  }

  private static void checkProcess(Process process, String path, List<String> problems) {
    String prefix = path.isEmpty() ? "" : path + ".";
    if (process.args().isEmpty() && process.commandLine() == null) {
      problems.add(prefix + "args: must not be empty");
    }
    for (int i = 0; i < process.rlimits().size(); i++) {
      String type = process.rlimits().get(i).type();
      if (!type.startsWith("RLIMIT_") || type.length() == "RLIMIT_".length()) {
        problems.add(
            prefix + "rlimits[" + i + "].type: must be an RLIMIT_* name, got " + quote(type));
      }
    }
    Process.Capabilities caps = process.capabilities();
    if (caps != null) {
      for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
        List<String> names = caps.byName().get(set);
        for (int i = 0; names != null && i < names.size(); i++) {
          String name = names.get(i);
          if (!name.startsWith("CAP_") || name.length() == "CAP_".length()) {
            problems.add(
                prefix
                    + "capabilities."
                    + set
                    + "["
                    + i
                    + "]: must be a CAP_* name, got "
                    + quote(name));
          }
        }
      }
    }
  }

  private static void checkMount(Mount mount, String path, List<String> problems) {
    if (!isAbsolute(mount.destination())) {
      problems.add(
          path + ".destination: must be an absolute path, got " + quote(mount.destination()));
    }
    checkMappings(mount.uidMappings(), path + ".uidMappings", problems);
    checkMappings(mount.gidMappings(), path + ".gidMappings", problems);
  }

  private static void checkMappings(List<IdMapping> mappings, String path, List<String> problems) {
    for (int i = 0; i < mappings.size(); i++) {
      if (mappings.get(i).size() <= 0) {
        problems.add(path + "[" + i + "].size: must be greater than 0");
      }
    }
  }

  private static void checkHooks(Hooks hooks, List<String> problems) {
    for (Map.Entry<String, List<Hooks.Hook>> e : hooks.byName().entrySet()) {
      List<Hooks.Hook> list = e.getValue();
      for (int i = 0; i < list.size(); i++) {
        String p = list.get(i).path();
        if (!isAbsolute(p)) {
          problems.add(
              "hooks."
                  + e.getKey()
                  + "["
                  + i
                  + "].path: must be an absolute path, got "
                  + quote(p));
        }
      }
    }
  }

  private static void checkLinux(Linux linux, List<String> problems) {
    checkMappings(linux.uidMappings(), "linux.uidMappings", problems);
    checkMappings(linux.gidMappings(), "linux.gidMappings", problems);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < linux.namespaces().size(); i++) {
      String type = linux.namespaces().get(i).type();
      String p = "linux.namespaces[" + i + "].type: ";
      if (!NAMESPACES.contains(type)) {
        problems.add(p + "unknown namespace type " + quote(type));
      } else if (!seen.add(type)) {
        problems.add(p + "duplicate namespace " + quote(type));
      }
    }
    LinuxSeccomp seccomp = linux.seccomp();
    if (seccomp != null) {
      checkSeccomp(seccomp, problems);
    }
  }

  private static void checkSeccomp(LinuxSeccomp seccomp, List<String> problems) {
    String p = "linux.seccomp.";
    if (!LinuxSeccomp.ACTIONS.contains(seccomp.defaultAction())) {
      problems.add(p + "defaultAction: unknown action " + quote(seccomp.defaultAction()));
    }
    for (int i = 0; i < seccomp.syscalls().size(); i++) {
      LinuxSeccomp.Syscall call = seccomp.syscalls().get(i);
      String cp = p + "syscalls[" + i + "]";
      if (!LinuxSeccomp.ACTIONS.contains(call.action())) {
        problems.add(cp + ".action: unknown action " + quote(call.action()));
      }
      for (int j = 0; j < call.args().size(); j++) {
        String op = call.args().get(j).op();
        if (!LinuxSeccomp.OPERATORS.contains(op)) {
          problems.add(cp + ".args[" + j + "].op: unknown operator " + quote(op));
        }
      }
    }
  }

  private static void checkWindows(Windows windows, @Nullable Root root, List<String> problems) {
    if (windows.layerFolders().isEmpty()) {
      problems.add("windows.layerFolders: must list at least one folder");
    }
    if (windows.hyperv() != null && root != null && !root.path().isEmpty()) {
      problems.add("windows.hyperv: must not be set together with root.path");
    }
  }

  private static boolean isAbsolute(String path) {
    // "/x", "C:\x", "C:/x" or "\\server\share", by hand: a regex here put java.util.regex
    // into every runhcs start-up through the AOT cache.
    if (path.startsWith("/") || path.startsWith("\\\\")) {
      return true;
    }
    if (path.length() < 3 || path.charAt(1) != ':') {
      return false;
    }
    char d = path.charAt(0);
    char sep = path.charAt(2);
    return ((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z')) && (sep == '\\' || sep == '/');
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }
}
