package dev.silo.daemon.docker;

import dev.silo.daemon.http.ApiException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The tar side of {@code docker cp}, as moby's pkg/archive does it: a file or a tree archived under
 * the name the client asked for (symlinks stored as links, never followed), and an archive
 * extracted into a directory of a container, every entry's parent resolved inside the container.
 */
final class ContainerTar {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  private ContainerTar() {}

  /**
   * Archives {@code host} (not following it if it is a symlink) as {@code top}; the entries below a
   * directory are named {@code top/…} ({@code …} alone when {@code top} is ".").
   */
  static void write(Path host, String top, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      add(tar, host, top);
    } else {
      Files.walkFileTree(
          host,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              add(tar, dir, name(host, dir, top));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              add(tar, file, name(host, file, top));
              return FileVisitResult.CONTINUE;
            }
          });
    }
    tar.finish();
    tar.flush();
  }

  private static String name(Path base, Path p, String top) {
    String rel = base.relativize(p).toString();
    if (rel.isEmpty()) {
      return top;
    }
    return top.equals(".") ? rel : top + "/" + rel;
  }

  /** What lstat(2) says of a path, through the JDK's "unix" attribute view. */
  record Stat(int mode, long size, int uid, int gid, long rdev, FileTime mtime) {
    static Stat of(Path p) throws IOException {
      Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
      return new Stat(
          (Integer) Objects.requireNonNull(a.get("mode")),
          (Long) Objects.requireNonNull(a.get("size")),
          (Integer) Objects.requireNonNull(a.get("uid")),
          (Integer) Objects.requireNonNull(a.get("gid")),
          (Long) Objects.requireNonNull(a.get("rdev")),
          (FileTime) Objects.requireNonNull(a.get("lastModifiedTime")));
    }
  }

  private static void add(TarArchiveOutputStream tar, Path p, String name) throws IOException {
    Stat a = Stat.of(p);
    int mode = a.mode();
    TarArchiveEntry e;
    switch (mode & S_IFMT) {
      case S_IFDIR -> e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
      case S_IFREG -> {
        e = new TarArchiveEntry(name);
        e.setSize(a.size());
      }
      case S_IFLNK -> {
        e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(Files.readSymbolicLink(p).toString());
      }
      case S_IFIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
      case S_IFCHR, S_IFBLK -> {
        e =
            new TarArchiveEntry(
                name, (mode & S_IFMT) == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
        long rdev = a.rdev();
        e.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
        e.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
      }
      default -> {
        return; // sockets are not archived (moby skips them too)
      }
    }
    e.setMode(mode & 07777);
    e.setUserId(a.uid());
    e.setGroupId(a.gid());
    e.setModTime(a.mtime());
    tar.putArchiveEntry(e);
    if ((mode & S_IFMT) == S_IFREG) {
      try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
  }

  /**
   * Extracts a tar (or gzipped tar) into the container directory {@code dest} (resolved, existing):
   * missing parents are made 0755, an existing entry is replaced unless both are directories,
   * ownership, permissions and times come from the archive. {@code noOverwriteDirNonDir} refuses to
   * replace a directory by a non-directory and the reverse (what the docker CLI asks for).
   */
  static void extract(InputStream body, ContainerFs fs, String dest, boolean noOverwriteDirNonDir)
      throws IOException, ApiException {
    extract(body, fs, dest, noOverwriteDirNonDir, null);
  }

  /**
   * As {@link #extract(InputStream, ContainerFs, String, boolean)}; a non-null {@code owner} (uid,
   * gid) owns every entry instead of the archive's owners ({@code docker cp -a}).
   */
  static void extract(
      InputStream body,
      ContainerFs fs,
      String dest,
      boolean noOverwriteDirNonDir,
      long @Nullable [] owner)
      throws IOException, ApiException {
    InputStream in = new BufferedInputStream(body);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new GzipCompressorInputStream(in);
    }
    List<Runnable> dirTimes = new ArrayList<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      List<String> raw = List.of(e.getName().split("/"));
      if (raw.contains("..")) {
        throw ApiException.badParameter(
            "invalid tar entry: \"" + e.getName() + "\" is outside of \"" + dest + "\"");
      }
      List<String> parts = ContainerFs.parts(e.getName());
      if (parts.isEmpty()) {
        continue; // the destination itself ("." or "/")
      }
      String parentPath = dest + "/" + String.join("/", parts.subList(0, parts.size() - 1));
      Path parent = fs.resolve(parentPath, true).host();
      if (!ContainerFs.exists(parent)) {
        Files.createDirectories(parent);
      }
      Path target = parent.resolve(parts.getLast());
      String containerPath = dest + "/" + String.join("/", parts);
      if (ContainerFs.exists(target)) {
        boolean isDir = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
        if (noOverwriteDirNonDir && isDir && !e.isDirectory()) {
          throw ApiException.badParameter(
              "cannot overwrite directory \""
                  + containerPath
                  + "\" with non-directory \""
                  + dest
                  + "\"");
        }
        if (noOverwriteDirNonDir && !isDir && e.isDirectory()) {
          throw ApiException.badParameter(
              "cannot overwrite non-directory \""
                  + containerPath
                  + "\" with directory \""
                  + dest
                  + "\"");
        }
        if (!(isDir && e.isDirectory())) {
          dev.silo.linux.fs.FileTrees.deleteTree(target);
        }
      }
      if (!create(tar, e, fs, dest, target)) {
        continue;
      }
      int uid = (int) (owner == null ? e.getLongUserId() : owner[0]);
      int gid = (int) (owner == null ? e.getLongGroupId() : owner[1]);
      Files.setAttribute(target, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(target, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      FileTime mtime = FileTime.from(e.getModTime().toInstant());
      BasicFileAttributeView times =
          Files.getFileAttributeView(
              target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (!e.isSymbolicLink()) {
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
      }
      if (e.isDirectory()) {
        dirTimes.add(() -> setTimes(times, mtime));
      } else if (!e.isSymbolicLink()) {
        times.setTimes(mtime, null, null);
      }
    }
    // a directory's time is set last: every entry written into it changed it
    for (Runnable r : dirTimes.reversed()) {
      r.run();
    }
  }

  /** Makes the entry at {@code target}; false when the type is not extracted. */
  private static boolean create(
      TarArchiveInputStream tar, TarArchiveEntry e, ContainerFs fs, String dest, Path target)
      throws IOException, ApiException {
    if (e.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(target);
      }
    } else if (e.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(e.getLinkName()));
    } else if (e.isLink()) {
      if (List.of(e.getLinkName().split("/")).contains("..")) {
        throw ApiException.badParameter(
            "invalid hardlink \"" + e.getLinkName() + "\" -> \"" + e.getName() + "\"");
      }
      Path existing = fs.resolve(dest + "/" + e.getLinkName(), false).host();
      Files.createLink(target, existing);
      return false;
    } else if (e.isFile()) {
      try (OutputStream out =
          Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        tar.transferTo(out);
      }
    } else {
      return false; // devices and fifos need mknod, which the JDK cannot do
    }
    return true;
  }

  private static void setTimes(BasicFileAttributeView v, FileTime t) {
    try {
      v.setTimes(t, null, null);
    } catch (IOException e) {
      // the time of a directory is cosmetic; its entries are in place
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        s.add(all[i]);
      }
    }
    return s;
  }
}
