package dev.silo.hcs.internal;

import dev.silo.linux.fs.MountPoints;
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
    return MountPoints.isMountPoint(dir);
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
