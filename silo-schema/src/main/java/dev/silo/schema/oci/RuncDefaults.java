package dev.silo.schema.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** runc 1.1's {@code specconv.Example()} and {@code specconv.ToRootless()}, value for value. */
final class RuncDefaults {
  /** The runtime-spec version vendored by runc 1.1.x, which {@code runc spec} writes. */
  static final String RUNC_SPEC_VERSION = "1.0.2-dev";

  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final List<String> CAPS =
      List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

  private RuncDefaults() {}

  static Spec spec() {
    // runc 1.1 lists its three capabilities in every set but inheritable.
    Process.Capabilities caps = new Process.Capabilities(CAPS, CAPS, List.of(), CAPS, CAPS);
    Process process =
        new Process(
            true,
            null,
            new Process.User(0, 0, null, List.of(), null),
            List.of("sh"),
            null,
            List.of(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
            "/",
            caps,
            List.of(new Process.Rlimit("RLIMIT_NOFILE", 1024, 1024)),
            true,
            null,
            null,
            null,
            null,
            null);
    return new Spec(
        RUNC_SPEC_VERSION,
        process,
        new Root("rootfs", true),
        "runc",
        null,
        mounts(),
        null,
        Map.of(),
        linux(),
        null);
  }

  private static List<Mount> mounts() {
    return List.of(
        new Mount("/proc", "proc", "proc", List.of()),
        new Mount(
            "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
        new Mount(
            "/dev/pts",
            "devpts",
            "devpts",
            List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
        new Mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
        new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
        new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
        new Mount(
            "/sys/fs/cgroup",
            "cgroup",
            "cgroup",
            List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
  }

  private static Linux linux() {
    LinuxResources resources =
        new LinuxResources(
            List.of(new LinuxResources.DeviceRule(false, null, null, null, "rwm")),
            null,
            null,
            null,
            null,
            List.of(),
            null,
            Map.of(),
            Map.of());
    List<Linux.Namespace> namespaces = new ArrayList<>();
    for (String type : List.of("pid", "network", "ipc", "uts", "mount")) {
      namespaces.add(new Linux.Namespace(type, null));
    }
    List<String> masked =
        List.of(
            "/proc/acpi",
            "/proc/asound",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/sys/firmware",
            "/proc/scsi");
    List<String> readonly =
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    return new Linux(
        List.of(),
        List.of(),
        Map.of(),
        resources,
        null,
        namespaces,
        List.of(),
        null,
        null,
        masked,
        readonly,
        null,
        null,
        null,
        Map.of());
  }

  static Spec rootless(Spec spec, long uid, long gid) {
    Linux linux = spec.linux();
    if (linux == null) {
      throw new IllegalArgumentException("rootless needs a spec with a linux section");
    }
    List<Linux.Namespace> namespaces = new ArrayList<>();
    for (Linux.Namespace ns : linux.namespaces()) {
      if (!ns.type().equals("network") && !ns.type().equals("user")) {
        namespaces.add(ns);
      }
    }
    namespaces.add(new Linux.Namespace("user", null));
    // Cgroup limits are dropped: an unprivileged user usually cannot write them.
    Linux rootlessLinux =
        linux.withUserNamespace(
            List.of(new IdMapping(0, uid, 1)), List.of(new IdMapping(0, gid, 1)), namespaces, null);
    return spec.withMounts(rootlessMounts(spec.mounts())).withLinux(rootlessLinux);
  }

  private static List<Mount> rootlessMounts(List<Mount> mounts) {
    List<Mount> out = new ArrayList<>(mounts.size());
    for (Mount m : mounts) {
      if (isSys(m.destination())) {
        // A new sysfs needs a network namespace the user owns; bind the host's instead.
        out.add(
            new Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
        continue;
      }
      // uid=/gid= options name ids that are not mapped in the new user namespace.
      List<String> options = new ArrayList<>();
      for (String option : m.options()) {
        if (!option.startsWith("gid=") && !option.startsWith("uid=")) {
          options.add(option);
        }
      }
      out.add(
          new Mount(
              m.destination(), m.type(), m.source(), options, m.uidMappings(), m.gidMappings()));
    }
    return out;
  }

  /** Whether a destination is {@code /sys} after Go's {@code filepath.Clean}. */
  private static boolean isSys(String destination) {
    try {
      return Path.of(destination).normalize().toString().equals("/sys");
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * The effective uid and gid from a {@code /proc/<pid>/status} file (second field of Uid:/Gid:).
   */
  static long[] effectiveIds(Path status) throws IOException {
    long[] ids = {-1, -1};
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("Uid:")) {
        ids[0] = secondField(line);
      } else if (line.startsWith("Gid:")) {
        ids[1] = secondField(line);
      }
    }
    if (ids[0] < 0 || ids[1] < 0) {
      throw new IOException(status + ": no Uid:/Gid: lines");
    }
    return ids;
  }

  /** The effective id: fields after the label are real, effective, saved and filesystem ids. */
  private static long secondField(String line) throws IOException {
    String[] fields = BLANKS.split(line.substring(4).trim(), -1);
    try {
      return Long.parseLong(fields[1]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IOException("unexpected status line: " + line, e);
    }
  }
}
