package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.linux.cgroup.Cgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * runc exec's {@code --cgroup [ctrl[,ctrl]:]path}: the new process joins a sub-cgroup of the
 * container's own cgroup, in every hierarchy or only in the named controllers' ones.
 */
final class SubCgroups {
  private SubCgroups() {}

  static List<Path> procsFiles(String id, Cgroup cg, List<String> specs) throws HcsException {
    if (specs.isEmpty()) {
      return cg.procsFiles();
    }
    Map<String, Path> byController = cg.paths();
    Map<Path, Path> chosen = new java.util.LinkedHashMap<>();
    for (Path dir : new LinkedHashSet<>(byController.values())) {
      chosen.put(dir, dir);
    }
    for (String spec : specs) {
      int colon = spec.indexOf(':');
      String sub = colon < 0 ? spec : spec.substring(colon + 1);
      Set<Path> dirs = new LinkedHashSet<>();
      if (colon < 0) {
        dirs.addAll(byController.values());
      } else {
        for (String ctrl : spec.substring(0, colon).split(",")) {
          Path d = byController.get(ctrl);
          if (d == null) {
            throw new HcsException(
                "exec",
                id,
                HResult.E_INVALIDARG,
                "invalid --cgroup " + spec + ": unknown controller " + ctrl);
          }
          dirs.add(d);
        }
      }
      for (Path d : dirs) {
        // "/" is the container's own cgroup; anything must stay below it.
        Path target = d.resolve(sub.replaceFirst("^/+", "")).normalize();
        if (!target.startsWith(d)) {
          throw new HcsException(
              "exec", id, HResult.E_INVALIDARG, sub + " is not a sub cgroup path");
        }
        if (!Files.isDirectory(target)) {
          throw new HcsException(
              "exec",
              id,
              HResult.ERROR_FILE_NOT_FOUND,
              "cannot join cgroup: adding pid to "
                  + target.resolve("cgroup.procs")
                  + ": no such file or directory");
        }
        chosen.put(d, target);
      }
    }
    List<Path> out = new ArrayList<>();
    for (Path p : chosen.values()) {
      out.add(p.resolve("cgroup.procs"));
    }
    return out;
  }
}
