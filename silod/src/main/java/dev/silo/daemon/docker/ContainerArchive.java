package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HcsException;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.hcs.ComputeService;
import dev.silo.hcs.ContainerState;
import dev.silo.linux.fs.MountPoints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /containers/{id}/archive} ({@code docker cp}): HEAD stats a path ({@code
 * X-Docker-Container-Path-Stat}), GET archives it, PUT extracts a tar into a directory. A running,
 * paused or created container is reached through its init's {@code /proc/<pid>/root}, so its
 * volumes and bind mounts are where the container sees them; an exited one through the overlay its
 * stopped compute system keeps mounted, with its binds and volumes laid over it. Without a compute
 * system (the state directory was lost) the next run's one is made first, as start would. A running
 * container is frozen while its filesystem is used (see {@link #freeze}).
 */
public final class ContainerArchive {
  /** Makes the next run's compute system (Created). */
  @FunctionalInterface
  public interface Preparer {
    void prepare(ContainerRecord c) throws ApiException;
  }

  private static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final ComputeService compute;
  private final ContainerMounts mounts;
  private final Preparer preparer;
  private final EventLog events;

  public ContainerArchive(
      ContainerStore store,
      ContainerRuntime runtime,
      ComputeService compute,
      VolumeStore volumes,
      Preparer preparer,
      EventLog events) {
    this.store = store;
    this.runtime = runtime;
    this.compute = compute;
    this.mounts = new ContainerMounts(volumes, events);
    this.preparer = preparer;
    this.events = events;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("HEAD", "/containers/{id}/archive", this::head);
    r.add("GET", "/containers/{id}/archive", this::get);
    r.add("PUT", "/containers/{id}/archive", this::put);
  }

  /** A container's filesystem and the mounts its create body declared. */
  private record View(ContainerFs fs, List<ContainerFs.Mount> declared) {}

  private static String path(ApiRequest req) throws ApiException {
    String p = req.param("path");
    if (p == null || p.isEmpty()) {
      throw ApiException.badParameter("bad parameter: path cannot be empty");
    }
    return p;
  }

  private ApiResponse head(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    String path = path(req);
    synchronized (runtime.live(c.id()).lock) {
      try (Frozen f = freeze(c)) {
        View v = view(c);
        ObjectNode stat = stat(v, c, req.var("id"), path);
        return ApiResponse.empty(200).withHeaders(Map.of(STAT_HEADER, encode(stat)));
      }
    }
  }

  private ApiResponse get(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    String path = path(req);
    String name = req.var("id");
    Object lock = runtime.live(c.id()).lock;
    ObjectNode stat;
    synchronized (lock) {
      try (Frozen f = freeze(c)) {
        stat = stat(view(c), c, name, path);
      }
    }
    return new ApiResponse.Stream(
        200,
        Map.of(STAT_HEADER, encode(stat)),
        "application/x-tar",
        sink -> {
          // the stopped system's overlay stays mounted while the archive is read: start waits
          synchronized (lock) {
            try (Frozen f = freeze(c)) {
              View v = view(c);
              ContainerFs.Resolved r = v.fs().resolve(path, followsLast(path));
              try (OutputStream out = new SinkStream(sink)) {
                ContainerTar.write(r.host(), rebaseName(path), out);
              }
            } catch (IOException | ApiException e) {
              // the head is sent: a broken archive is all the client can be told
            }
          }
          events.publish("container", "archive-path", c.id(), ContainerRuntime.attrs(c));
        });
  }

  private ApiResponse put(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    String path = path(req);
    synchronized (runtime.live(c.id()).lock) {
      try (Frozen f = freeze(c)) {
        extract(req, c, path);
      }
    }
    events.publish("container", "extract-to-dir", c.id(), ContainerRuntime.attrs(c));
    return ApiResponse.empty(200);
  }

  private void extract(ApiRequest req, ContainerRecord c, String path) throws ApiException {
    boolean noOverwrite = req.flag("noOverwriteDirNonDir");
    View v = view(c);
    ContainerFs.Resolved dest;
    try {
      dest = v.fs().resolve(path, true);
    } catch (IOException e) {
      throw notFound(path, req.var("id"));
    }
    if (!ContainerFs.exists(dest.host())) {
      throw notFound(path, req.var("id"));
    }
    if (!Files.isDirectory(dest.host(), LinkOption.NOFOLLOW_LINKS)) {
      throw ApiException.badParameter("extraction point is not a directory");
    }
    ContainerFs.Mount m = ContainerFs.mountOf(v.declared(), dest.containerPath());
    if (!m.destination().isEmpty() && m.readOnly()) {
      throw ApiException.badParameter("mounted volume is marked read-only");
    }
    if (m.destination().isEmpty() && c.hostConfig().path("ReadonlyRootfs").asBoolean(false)) {
      throw ApiException.badParameter("container rootfs is marked read-only");
    }
    long[] owner = null;
    String user = Json.text(c.config(), "User");
    if (req.flag("copyUIDGID") && !user.isEmpty()) {
      owner = ContainerSpec.user(user, passwd(v.fs()));
    }
    try {
      ContainerTar.extract(
          new ByteArrayInputStream(req.body()), v.fs(), dest.containerPath(), noOverwrite, owner);
    } catch (IOException e) {
      throw ApiException.internal("extracting into " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Freezes a running container while its filesystem is resolved and used, so that none of its
   * processes can swap a checked directory for a symlink in between (moby's CVE-2018-15664; podman
   * pauses by default too). A paused, created or exited container is left as it is. A volume shared
   * with another running container is not covered.
   */
  private Frozen freeze(ContainerRecord c) {
    if (!runtime.state(c).status().equals("running")) {
      return new Frozen(c, false);
    }
    try {
      runtime.freeze(c, true);
      return new Frozen(c, true);
    } catch (ApiException e) {
      return new Frozen(c, false); // exited meanwhile: nothing runs to race with
    }
  }

  /** Thaws what {@link #freeze} froze. */
  private final class Frozen implements AutoCloseable {
    private final ContainerRecord c;
    private final boolean frozen;

    Frozen(ContainerRecord c, boolean frozen) {
      this.c = c;
      this.frozen = frozen;
    }

    @Override
    public void close() {
      if (frozen) {
        try {
          runtime.freeze(c, false);
        } catch (ApiException e) {
          // it exited or was removed while frozen: nothing left to thaw
        }
      }
    }
  }

  /** The container's own {@code /etc/passwd}, or null. */
  private static @Nullable String passwd(ContainerFs fs) {
    try {
      Path p = fs.resolve("/etc/passwd", true).host();
      return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The stat of a path, as moby's {@code ContainerPathStat}. */
  private static ObjectNode stat(View v, ContainerRecord c, String name, String path)
      throws ApiException {
    try {
      ContainerFs.Resolved r = v.fs().resolve(path, followsLast(path));
      if (!ContainerFs.exists(r.host())) {
        throw notFound(path, name);
      }
      ContainerTar.Stat a = ContainerTar.Stat.of(r.host());
      int mode = a.mode();
      String linkTarget = "";
      if ((mode & 0170000) == 0120000) {
        linkTarget = v.fs().resolve(path, true).containerPath();
      }
      ObjectNode o = Json.object();
      o.put("name", baseName(path))
          .put("size", a.size())
          .put("mode", goMode(mode))
          .put("mtime", a.mtime().toInstant().toString())
          .put("linkTarget", linkTarget);
      return o;
    } catch (FileSystemException e) {
      if (e.getReason() != null && e.getReason().contains("symbolic links")) {
        throw ApiException.badParameter(
            "resolving " + path + " in container " + name + ": " + e.getReason());
      }
      throw notFound(path, name);
    } catch (IOException e) {
      throw notFound(path, name);
    }
  }

  private static ApiException notFound(String path, String name) {
    return ApiException.notFound("Could not find the file " + path + " in container " + name);
  }

  /** A trailing "/" or "/." asks for the directory a symlink points to, as moby reads it. */
  private static boolean followsLast(String path) {
    return path.endsWith("/") || path.endsWith("/.");
  }

  /** Go's {@code filepath.Base} of the clean absolute path, keeping a trailing ".". */
  static String baseName(String path) {
    if (path.endsWith("/.")) {
      return ".";
    }
    List<String> parts = ContainerFs.parts(path);
    return parts.isEmpty() ? "/" : parts.getLast();
  }

  /** The name of the archive's top entry: the base name, "." for the root. */
  static String rebaseName(String path) {
    String b = baseName(path);
    return b.equals("/") ? "." : b;
  }

  /** A Linux st_mode as Go's {@code os.FileMode} (type bits high, permission bits low). */
  static long goMode(int mode) {
    long m = mode & 0777;
    switch (mode & 0170000) {
      case 0040000 -> m |= 1L << 31;
      case 0120000 -> m |= 1L << 27;
      case 0010000 -> m |= 1L << 25;
      case 0140000 -> m |= 1L << 24;
      case 0020000 -> m |= (1L << 26) | (1L << 21);
      case 0060000 -> m |= 1L << 26;
      default -> {}
    }
    if ((mode & 04000) != 0) {
      m |= 1L << 23;
    }
    if ((mode & 02000) != 0) {
      m |= 1L << 22;
    }
    if ((mode & 01000) != 0) {
      m |= 1L << 20;
    }
    return m;
  }

  private static String encode(ObjectNode stat) {
    return Base64.getEncoder().encodeToString(stat.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The container's filesystem: through its init's root while it has one, else through the overlay
   * its stopped system keeps mounted, with the binds laid over it.
   */
  private View view(ContainerRecord c) throws ApiException {
    List<ContainerFs.Mount> declared = new ArrayList<>();
    for (ContainerSpec.Bind b : mounts.binds(c.hostConfig())) {
      declared.add(
          new ContainerFs.Mount(
              ContainerFs.parts(b.destination()), Path.of(b.source()), b.readOnly()));
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      ContainerState st;
      try {
        st = compute.state(c.id());
      } catch (HcsException e) {
        preparer.prepare(c);
        continue;
      }
      switch (st.status()) {
        case CREATED, RUNNING, PAUSED -> {
          Path root = Path.of("/proc/" + st.pid() + "/root/.");
          if (Files.isDirectory(root)) {
            return new View(new ContainerFs(root, List.of()), declared);
          }
        }
        case STOPPED -> {
          Path rootfs = Path.of(st.rootfs());
          if (isMountPoint(rootfs)) {
            return new View(new ContainerFs(rootfs, declared), declared);
          }
          preparer.prepare(c);
        }
      }
    }
    throw ApiException.internal(
        "the filesystem of container " + c.id() + " is not reachable", new IOException());
  }

  private static boolean isMountPoint(Path dir) {
    try {
      return MountPoints.isMountPoint(dir);
    } catch (IOException e) {
      return false;
    }
  }
}
