package dev.silo.hcs.internal;

import static dev.silo.hcs.internal.MountOptions.MS_BIND;
import static dev.silo.hcs.internal.MountOptions.MS_NODEV;
import static dev.silo.hcs.internal.MountOptions.MS_NOEXEC;
import static dev.silo.hcs.internal.MountOptions.MS_NOSUID;
import static dev.silo.hcs.internal.MountOptions.MS_RDONLY;
import static dev.silo.hcs.internal.MountOptions.MS_REC;
import static dev.silo.hcs.internal.MountOptions.MS_REMOUNT;
import static dev.silo.hcs.internal.MountOptions.MS_SLAVE;

import dev.silo.init.MountFlags;
import dev.silo.init.Plan;
import dev.silo.schema.oci.Linux;
import dev.silo.schema.oci.Mount;
import dev.silo.schema.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mount namespace part of a container plan, in runc's order ({@code prepareRootfs}): root
 * propagation, rootfs bind, the spec's mounts, /dev nodes and links, pivot_root, masked and
 * read-only paths, read-only root.
 */
final class RootfsSteps {
  private static final int DIR = 0755;
  private static final String[][] DEFAULT_DEVICES = {
    {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
    {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}
  };
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  private RootfsSteps() {}

  /** Steps before pivot_root: everything that still sees the host's paths. */
  static void beforePivot(Plan.Builder plan, PlanInput in, NamespaceSet ns) throws PlanException {
    Spec spec = in.spec();
    Linux linux = spec.linux();
    String root = in.rootfs().toString();
    plan.setPropagation("/", propagationOf(linux));
    plan.mount(root, root, "", MS_BIND | MS_REC, "", 0);
    boolean devSetUp = false;
    for (int i = 0; i < spec.mounts().size(); i++) {
      Mount m = spec.mounts().get(i);
      String field = "mounts[" + i + "]";
      String dest = m.destination();
      if (!dest.startsWith("/")) {
        throw new PlanException(
            field + ".destination: must be an absolute path, got \"" + dest + "\"");
      }
      String type0 = m.type() == null ? "" : m.type();
      if ((type0.equals("proc") || type0.equals("sysfs"))
          && Files.isSymbolicLink(Path.of(join(root, dest)))) {
        throw new PlanException(
            field
                + ".destination: "
                + dest
                + " is a symlink: "
                + type0
                + " must be mounted on ordinary directory");
      }
      String target = SecureJoin.resolve(in.rootfs(), dest);
      String type = m.type() == null ? "" : m.type();
      MountOptions o = MountOptions.parse(m.options());
      if (dest.equals("/dev") && !o.bind()) {
        devSetUp = true;
      }
      switch (type) {
        case "cgroup", "cgroup2" -> cgroupMount(plan, in, target, o);
        case "sysfs" -> {
          if (ns.newNet()) {
            plan.mount("sysfs", target, "sysfs", o.flags(), o.data(), MountFlags.OPT_MKDIR);
          } else {
            // A sysfs mount needs a network namespace of its own; runc binds the host's /sys
            // instead.
            // The spec's flags (ro, nosuid, …) are kept: the bind is remounted with them.
            plan.mount(
                "/sys",
                target,
                "",
                MS_BIND | MS_REC | o.flags(),
                "",
                MountFlags.OPT_MKDIR | MountFlags.OPT_REMOUNT_BIND);
          }
        }
        case "mqueue" -> {
          if (ns.newIpc()) {
            plan.mount("mqueue", target, "mqueue", o.flags(), o.data(), MountFlags.OPT_MKDIR);
          } else {
            plan.mount(
                "/dev/mqueue",
                target,
                "",
                MS_BIND | o.flags(),
                "",
                MountFlags.OPT_MKDIR | MountFlags.OPT_REMOUNT_BIND);
          }
        }
        default -> regularMount(plan, in, m, target, type, o, field);
      }
      if (o.propagation() != 0) {
        plan.setPropagation(target, o.propagation());
      }
    }
    if (devSetUp) {
      devices(plan, in, ns);
    }
  }

  private static void regularMount(
      Plan.Builder plan,
      PlanInput in,
      Mount m,
      String target,
      String type,
      MountOptions o,
      String field)
      throws PlanException {
    String source = m.source() == null ? "" : m.source();
    if (o.bind()) {
      Path src = in.bundle().resolve(source);
      if (!Files.exists(src)) {
        throw new PlanException(field + ".source: " + src + " does not exist");
      }
      int opts = Files.isDirectory(src) ? MountFlags.OPT_MKDIR : MountFlags.OPT_MKFILE;
      boolean needsRemount = (o.flags() & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)) != 0;
      plan.mount(
          src.toString(),
          target,
          "",
          o.flags(),
          "",
          opts | (needsRemount ? MountFlags.OPT_REMOUNT_BIND : 0));
    } else {
      // A read-only tmpfs (e.g. /dev) is mounted writable so that later steps can fill it, and made
      // read-only after pivot_root (see afterPivot), as runc's finalizeRootfs does.
      long flags = isTmpfs(type) ? o.flags() & ~MS_RDONLY : o.flags();
      plan.mount(
          source.isEmpty() ? type : source, target, type, flags, o.data(), MountFlags.OPT_MKDIR);
    }
  }

  /**
   * /sys/fs/cgroup inside the container: a tmpfs with each hierarchy of the host bound from this
   * container's own cgroup directory, so the container sees its limits where tools look for them.
   */
  private static void cgroupMount(Plan.Builder plan, PlanInput in, String target, MountOptions o) {
    long ro = o.flags() & MS_RDONLY;
    plan.mount(
        "tmpfs",
        target,
        "tmpfs",
        MS_NOSUID | MS_NODEV | MS_NOEXEC,
        "mode=755",
        MountFlags.OPT_MKDIR);
    for (Map.Entry<Path, Path> e : in.cgroupDirs().entrySet()) {
      String sub = join(target, e.getKey().getFileName().toString());
      plan.mount(
          e.getValue().toString(),
          sub,
          "",
          MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC | ro,
          "",
          MountFlags.OPT_MKDIR | MountFlags.OPT_REMOUNT_BIND);
    }
    if (ro != 0) {
      plan.mount("", target, "", MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC | ro, "mode=755", 0);
    }
  }

  private static void devices(Plan.Builder plan, PlanInput in, NamespaceSet ns) {
    String root = in.rootfs().toString();
    Linux linux = in.spec().linux();
    for (String[] d : DEFAULT_DEVICES) {
      String path = root + "/dev/" + d[0];
      if (ns.hasUser()) {
        plan.bindDevice("/dev/" + d[0], path);
      } else {
        plan.mknod(path, S_IFCHR | 0666, Integer.parseInt(d[1]), Integer.parseInt(d[2]), 0, 0);
      }
    }
    if (linux != null) {
      for (Linux.Device d : linux.devices()) {
        String path = join(root, d.path());
        if (ns.hasUser()) {
          plan.bindDevice(d.path(), path);
          continue;
        }
        int type =
            switch (d.type()) {
              case "b" -> S_IFBLK;
              case "p" -> S_IFIFO;
              default -> S_IFCHR;
            };
        int mode = d.fileMode() == null ? 0666 : (int) (long) d.fileMode();
        plan.mknod(
            path,
            type | (mode & 07777),
            (int) d.major(),
            (int) d.minor(),
            d.uid() == null ? 0 : (int) (long) d.uid(),
            d.gid() == null ? 0 : (int) (long) d.gid());
      }
    }
    plan.symlink("/proc/self/fd", root + "/dev/fd");
    plan.symlink("/proc/self/fd/0", root + "/dev/stdin");
    plan.symlink("/proc/self/fd/1", root + "/dev/stdout");
    plan.symlink("/proc/self/fd/2", root + "/dev/stderr");
    if (hasMountAt(in.spec(), "/dev/pts")) {
      plan.symlink("pts/ptmx", root + "/dev/ptmx");
    }
  }

  /** pivot_root (or the no-pivot move). */
  static void pivot(Plan.Builder plan, PlanInput in) {
    String root = in.rootfs().toString();
    if (in.noPivot()) {
      plan.chrootMove(root);
    } else {
      plan.pivotRoot(root);
    }
  }

  /**
   * The steps after pivot_root that use container paths: read-only and masked paths, read-only
   * remounts. They come after the sysctls, as in runc, because /proc/sys is a read-only path.
   */
  static void afterPivot(Plan.Builder plan, PlanInput in) {
    Linux linux = in.spec().linux();
    if (linux != null) {
      for (String p : linux.readonlyPaths()) {
        plan.readonlyPath(p);
      }
      for (String p : linux.maskedPaths()) {
        plan.maskPath(p);
      }
    }
    for (Mount m : in.spec().mounts()) {
      MountOptions o = MountOptions.parse(m.options());
      if (isTmpfs(m.type()) && !o.bind() && (o.flags() & MS_RDONLY) != 0) {
        plan.mount("", m.destination(), "", MS_REMOUNT | o.flags(), o.data(), 0);
      }
    }
    if (in.spec().root() != null && in.spec().root().readonly()) {
      plan.mount("", "/", "", MS_REMOUNT | MS_BIND | MS_RDONLY, "", 0);
    }
  }

  private static long propagationOf(@Nullable Linux linux) {
    String p = linux == null ? null : linux.rootfsPropagation();
    if (p == null || p.isEmpty()) {
      return MS_SLAVE | MS_REC;
    }
    MountOptions o = MountOptions.parse(List.of(p));
    return o.propagation() == 0 ? MS_SLAVE | MS_REC : o.propagation();
  }

  private static boolean isTmpfs(@Nullable String type) {
    return "tmpfs".equals(type);
  }

  static boolean hasMountAt(Spec spec, String dest) {
    for (Mount m : spec.mounts()) {
      if (m.destination().equals(dest)) {
        return true;
      }
    }
    return false;
  }

  /** Joins a container path under the rootfs without letting ".." climb out of it. */
  static String join(String root, String containerPath) {
    Path clean = Path.of("/").resolve(containerPath).normalize();
    return clean.toString().equals("/") ? root : root + clean;
  }
}
