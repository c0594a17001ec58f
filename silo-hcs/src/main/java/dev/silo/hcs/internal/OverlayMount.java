package dev.silo.hcs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts and unmounts the overlay root of a layered container on the host, through mount(8) and
 * umount(8): FFM's first downcall would cost runhcs more than these two short processes, and only
 * layered containers pay for them. Remembers which directories it created so a failed create can
 * remove exactly those.
 */
public final class OverlayMount {
  private static final long TIMEOUT_S = 30;

  private final ContainerDocument.OverlayLayout layout;
  private final List<Path> created = new ArrayList<>();
  private boolean mounted;

  public OverlayMount(ContainerDocument.OverlayLayout layout) {
    this.layout = layout;
  }

  public ContainerDocument.OverlayLayout layout() {
    return layout;
  }

  /**
   * Checks that every layer and the scratch folder exist, creates upper, work and the mount point,
   * and mounts the overlay; a missing folder fails with a {@link java.nio.file.NoSuchFileException}
   * naming it.
   */
  public void mount() throws IOException {
    for (Path p : layout.layers()) {
      requireDirectory(p);
    }
    requireDirectory(layout.scratch());
    createDirectory(layout.upper());
    createDirectory(layout.work());
    createDirectory(layout.target());
    if (layout.layers().isEmpty()) {
      createDirectory(layout.emptyLower());
    }
    run(
        List.of(
            "mount",
            "-t",
            "overlay",
            "overlay",
            "-o",
            layout.mountData(),
            layout.target().toString()),
        "mount overlay on " + layout.target());
    mounted = true;
  }

  /**
   * Undoes {@link #mount}: unmounts, then removes the directories it created (never the layers).
   */
  public void undo() throws IOException {
    if (mounted) {
      unmount(layout.target());
      mounted = false;
    }
    for (Path p : created.reversed()) {
      Files2.removeTree(p);
    }
    created.clear();
  }

  /**
   * Unmounts {@code target} if something is mounted there (a plain unmount, then a lazy one if the
   * mount is still busy), so that removing the state directory never walks into the layers.
   */
  public static void unmountIfMounted(Path target) throws IOException {
    if (Files.isDirectory(target) && isMountPoint(target)) {
      unmount(target);
    }
  }

  /** Whether {@code dir} is the mount point of some mount of this mount namespace. */
  public static boolean isMountPoint(Path dir) throws IOException {
    String wanted = dir.toAbsolutePath().normalize().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && unescape(f[4]).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static void unmount(Path target) throws IOException {
    try {
      run(List.of("umount", target.toString()), "unmount " + target);
    } catch (IOException e) {
      if (!isMountPoint(target)) {
        return;
      }
      run(List.of("umount", "-l", target.toString()), "unmount " + target);
    }
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void requireDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      throw new java.nio.file.NoSuchFileException(p.toString(), null, "not a directory");
    }
  }

  private void createDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      Files.createDirectory(p);
      created.add(p);
    }
  }

  private static void run(List<String> cmd, String what) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(what + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(what + ": interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(what + ": " + (out.isEmpty() ? "exit " + p.exitValue() : out));
    }
  }
}
