package dev.silo.linux.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cgroup hierarchies mounted on this host (from mountinfo) and where this process sits in each
 * (from /proc/self/cgroup): the facts every driver computes paths from.
 */
final class CgroupLayout {

  /** Mount options of a v1 cgroup mount that are not controllers. */
  private static final Set<String> NOT_CONTROLLERS =
      Set.of(
          "rw",
          "ro",
          "noprefix",
          "clone_children",
          "xattr",
          "cpuset_v2_mode",
          "favordynmods",
          "none",
          "relatime",
          "nosuid",
          "nodev",
          "noexec");

  /**
   * One mounted hierarchy.
   *
   * @param root the mount's root inside the hierarchy (mountinfo field 4; not "/" in containers)
   * @param controllers v1: the mount's controllers (named ones as {@code name=systemd}); v2: the
   *     root's {@code cgroup.controllers}
   */
  record Hierarchy(Path mountPoint, String root, Set<String> controllers, boolean unified) {}

  private final List<Hierarchy> v1;
  private final @Nullable Hierarchy v2;
  private final Map<Set<String>, String> ownV1;
  private final String ownV2;

  private CgroupLayout(
      List<Hierarchy> v1, @Nullable Hierarchy v2, Map<Set<String>, String> ownV1, String ownV2) {
    this.v1 = List.copyOf(v1);
    this.v2 = v2;
    this.ownV1 = Map.copyOf(ownV1);
    this.ownV2 = ownV2;
  }

  static CgroupLayout read(Path mountinfo, Path procSelfCgroup) throws IOException {
    List<Hierarchy> v1 = new ArrayList<>();
    Hierarchy v2 = null;
    Set<Set<String>> seen = new java.util.HashSet<>();
    for (String line : Files.readAllLines(mountinfo)) {
      Hierarchy h = parseMount(line);
      if (h == null) {
        continue;
      }
      if (h.unified()) {
        v2 = v2 == null ? h : v2; // the first mount wins, as runc; later ones are bind mounts
      } else if (seen.add(h.controllers())) {
        v1.add(h);
      }
    }
    Map<Set<String>, String> ownV1 = new HashMap<>();
    String ownV2 = "/";
    for (String line : Files.readAllLines(procSelfCgroup)) {
      String[] parts = line.split(":", 3);
      if (parts.length != 3) {
        continue;
      }
      if (parts[0].equals("0") && parts[1].isEmpty()) {
        ownV2 = parts[2];
      } else {
        ownV1.put(Set.copyOf(Arrays.asList(parts[1].split(",", -1))), parts[2]);
      }
    }
    return new CgroupLayout(v1, v2, ownV1, ownV2);
  }

  private static @Nullable Hierarchy parseMount(String line) throws IOException {
    String[] f = words(line);
    int dash = Arrays.asList(f).indexOf("-");
    if (dash < 6 || f.length < dash + 4) {
      return null;
    }
    String fstype = f[dash + 1];
    Path mountPoint = Path.of(unescape(f[4]));
    String root = unescape(f[3]);
    if (fstype.equals("cgroup2")) {
      return new Hierarchy(mountPoint, root, readControllers(mountPoint), true);
    }
    if (!fstype.equals("cgroup")) {
      return null;
    }
    Set<String> controllers = new LinkedHashSet<>();
    for (String option : f[dash + 3].split(",", -1)) {
      if (!NOT_CONTROLLERS.contains(option) && !option.startsWith("release_agent=")) {
        controllers.add(option);
      }
    }
    return controllers.isEmpty() ? null : new Hierarchy(mountPoint, root, controllers, false);
  }

  private static Set<String> readControllers(Path mountPoint) throws IOException {
    Path file = mountPoint.resolve("cgroup.controllers");
    if (!Files.exists(file)) {
      return Set.of();
    }
    String text = Files.readString(file).trim();
    return text.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(words(text)));
  }

  /**
   * The space-separated words of a line (String.split with one char takes a fast path without
   * java.util.regex, which would cost its classes at every CLI start-up).
   */
  private static String[] words(String line) {
    List<String> out = new ArrayList<>();
    for (String w : line.split(" ", -1)) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out.toArray(new String[0]);
  }

  /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    for (int i = from; i < from + 3; i++) {
      if (i >= s.length() || s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }

  List<Hierarchy> v1() {
    return v1;
  }

  @Nullable Hierarchy v2() {
    return v2;
  }

  /** v2 controllers that no v1 hierarchy has bound (hybrid: the only ones cgroup2 can use). */
  Set<String> v2OnlyControllers() {
    if (v2 == null) {
      return Set.of();
    }
    Set<String> result = new LinkedHashSet<>(v2.controllers());
    for (Hierarchy h : v1) {
      result.removeAll(h.controllers());
    }
    // v1 "blkio" is v2 "io": never both.
    for (Hierarchy h : v1) {
      if (h.controllers().contains("blkio")) {
        result.remove("io");
      }
    }
    return result;
  }

  /** This process's cgroup inside the hierarchy, relative to the mount's root ("/" = the root). */
  String ownPath(Hierarchy h) {
    String own = h.unified() ? ownV2 : ownV1.getOrDefault(h.controllers(), "/");
    if (!h.root().equals("/") && (own.equals(h.root()) || own.startsWith(h.root() + "/"))) {
      own = own.substring(h.root().length());
    }
    return own.isEmpty() ? "/" : own;
  }
}
