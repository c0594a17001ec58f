package dev.silo.images.internal;

import dev.silo.images.ImageException;
import dev.silo.linux.fs.FileNodes;
import dev.silo.linux.fs.FileTrees;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Unpacks one layer tar into a directory in overlayfs form: AUFS-style whiteouts ({@code .wh.NAME},
 * {@code .wh..wh..opq}) become what overlayfs reads (a 0/0 character device, the {@code
 * trusted.overlay.opaque=y} xattr), owners/modes/times/xattrs are kept, and no entry may leave the
 * directory (by {@code ..} or through a symlink of the layer itself).
 */
public final class LayerUnpacker {
  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";
  private static final String XATTR_PAX = "SCHILY.xattr.";
  private static final boolean ROOT = isRoot();

  /** What a layer entry's name means in the AUFS whiteout convention of image layers. */
  public sealed interface Whiteout {
    /** An ordinary entry. */
    record None() implements Whiteout {}

    /** {@code dir/.wh..wh..opq}: hide everything below {@code dir} in lower layers. */
    record Opaque(String dir) implements Whiteout {}

    /** {@code dir/.wh.name}: hide {@code dir/name} of lower layers. */
    record Remove(String path) implements Whiteout {}
  }

  /** The diff id (sha256 of the uncompressed tar) and its size in bytes. */
  public record Result(String diffId, long size) {}

  private LayerUnpacker() {}

  /** Classifies a normalised entry path ({@code a/b/.wh.c} → remove {@code a/b/c}). */
  public static Whiteout classify(String path) {
    int slash = path.lastIndexOf('/');
    String dir = slash < 0 ? "" : path.substring(0, slash);
    String base = path.substring(slash + 1);
    if (base.equals(OPAQUE)) {
      return new Whiteout.Opaque(dir);
    }
    if (base.startsWith(WHITEOUT_PREFIX) && base.length() > WHITEOUT_PREFIX.length()) {
      String name = base.substring(WHITEOUT_PREFIX.length());
      return new Whiteout.Remove(dir.isEmpty() ? name : dir + "/" + name);
    }
    return new Whiteout.None();
  }

  /**
   * Normalises a tar entry name to a relative path ({@code ./a/b/} → {@code a/b}); empty for the
   * root itself.
   *
   * @throws ImageException BAD_ARCHIVE when the name climbs out with {@code ..}
   */
  public static String normalise(String name, String what) throws ImageException {
    List<String> parts = new ArrayList<>();
    for (String p : name.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new ImageException(
            ImageException.Kind.BAD_ARCHIVE,
            what + ": entry \"" + name + "\" leaves the layer (\"..\")");
      }
      parts.add(p);
    }
    return String.join("/", parts);
  }

  /**
   * Unpacks a layer blob (plain or gzip tar) into {@code target}, which must exist and be empty.
   */
  public static Result unpack(InputStream blob, Path target, String what)
      throws IOException, ImageException {
    InputStream raw = new BufferedInputStream(blob, 65536);
    InputStream plain = decompress(raw, what);
    Digests.Counting counting = new Digests.Counting(plain);
    TarArchiveInputStream tar = new TarArchiveInputStream(counting);
    new Unpack(target, what).run(tar);
    counting.drain();
    return new Result(counting.digest(), counting.count());
  }

  /**
   * A regular file entry by its type flag ({@code TarArchiveEntry.isFile()} also says yes for
   * symlinks and other types whose names do not end in a slash).
   */
  static boolean isRegular(TarArchiveEntry e) {
    byte flag = e.getLinkFlag();
    return flag == TarArchiveEntry.LF_NORMAL
        || flag == TarArchiveEntry.LF_OLDNORM
        || flag == LF_CONTIG;
  }

  /** {@code '7'}: a contiguous file, a regular file to every reader but old Masscomp systems. */
  private static final byte LF_CONTIG = (byte) '7';

  /** Gzip is recognised by its magic; anything else must be a plain tar. */
  public static InputStream decompress(InputStream raw, String what)
      throws IOException, ImageException {
    InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GzipCompressorInputStream(in, true);
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      throw new ImageException(
          ImageException.Kind.BAD_ARCHIVE, what + ": zstd-compressed layers are not supported");
    }
    return in;
  }

  private static final class Unpack {
    private final Path root;
    private final String what;
    private final Set<Path> realDirs = new HashSet<>();
    private final List<TarArchiveEntry> dirEntries = new ArrayList<>();
    private final List<Path> dirPaths = new ArrayList<>();

    Unpack(Path root, String what) {
      this.root = root;
      this.what = what;
      realDirs.add(root);
    }

    void run(TarArchiveInputStream tar) throws IOException, ImageException {
      TarArchiveEntry e;
      while ((e = next(tar)) != null) {
        entry(tar, e);
      }
      // directories last: a read-only mode or an mtime must not be spoilt by their contents
      for (int i = dirEntries.size() - 1; i >= 0; i--) {
        attributes(dirPaths.get(i), dirEntries.get(i));
      }
    }

    private void entry(TarArchiveInputStream tar, TarArchiveEntry e)
        throws IOException, ImageException {
      String rel = normalise(e.getName(), what);
      if (rel.isEmpty()) {
        if (e.isDirectory()) {
          dirEntries.add(e);
          dirPaths.add(root);
        }
        return;
      }
      Path path = root.resolve(rel);
      Path parent = Objects.requireNonNull(path.getParent());
      ensureParent(parent, rel);
      switch (classify(rel)) {
        case Whiteout.Opaque o -> {
          FileNodes.lsetxattr(parent, "trusted.overlay.opaque", new byte[] {'y'});
          return;
        }
        case Whiteout.Remove r -> {
          Path hidden = root.resolve(r.path());
          replaceable(hidden);
          FileNodes.mknod(hidden, FileNodes.S_IFCHR, 0, 0);
          return;
        }
        case Whiteout.None n -> {}
      }
      if (e.isDirectory()) {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          realDirs.add(path);
        } else {
          replaceable(path);
          Files.createDirectory(path);
          realDirs.add(path);
        }
        dirEntries.add(e);
        dirPaths.add(path);
        return;
      }
      replaceable(path);
      if (e.isSymbolicLink()) {
        Files.createSymbolicLink(path, Path.of(e.getLinkName()));
      } else if (e.isLink()) {
        String target = normalise(e.getLinkName(), what);
        Path t = root.resolve(target);
        if (target.isEmpty() || !Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
          throw bad("hard link \"" + rel + "\" points to \"" + e.getLinkName() + "\", not here");
        }
        ensureParent(Objects.requireNonNull(t.getParent()), target);
        Files.createLink(path, t);
        return;
      } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        int type =
            e.isCharacterDevice()
                ? FileNodes.S_IFCHR
                : e.isBlockDevice() ? FileNodes.S_IFBLK : FileNodes.S_IFIFO;
        FileNodes.mknod(path, type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
      } else if (isRegular(e)) {
        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
      } else {
        throw bad("entry \"" + rel + "\" has unsupported type '" + (char) typeFlag(e) + "'");
      }
      attributes(path, e);
    }

    private @Nullable TarArchiveEntry next(TarArchiveInputStream tar) throws ImageException {
      try {
        return tar.getNextEntry();
      } catch (IOException | IllegalArgumentException ex) {
        throw bad("not a valid tar: " + ex.getMessage());
      }
    }

    private static byte typeFlag(TarArchiveEntry e) {
      return e.isGlobalPaxHeader() ? (byte) 'g' : e.isPaxHeader() ? (byte) 'x' : (byte) '?';
    }

    /** Creates missing parents as plain dirs and refuses a parent that is a symlink. */
    private void ensureParent(Path parent, String rel) throws IOException, ImageException {
      if (realDirs.contains(parent)) {
        return;
      }
      Path walk = root;
      for (Path part : root.relativize(parent)) {
        walk = walk.resolve(part);
        if (realDirs.contains(walk)) {
          continue;
        }
        if (Files.isSymbolicLink(walk)) {
          throw bad(
              "entry \"" + rel + "\" goes through the symlink \"" + root.relativize(walk) + "\"");
        }
        if (!Files.isDirectory(walk, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(walk);
          Files.createDirectory(walk);
        }
        realDirs.add(walk);
      }
    }

    /** A later entry replaces an earlier one of the same name (a dir only by a dir). */
    private void replaceable(Path path) throws IOException {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        FileTrees.deleteTree(path);
        realDirs.removeIf(p -> p.startsWith(path));
      } else {
        Files.deleteIfExists(path);
      }
    }

    private void attributes(Path path, TarArchiveEntry e) throws IOException {
      boolean link = e.isSymbolicLink();
      if (ROOT) {
        Files.setAttribute(path, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
      }
      for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
        if (x.getKey().startsWith(XATTR_PAX) && ROOT) {
          FileNodes.lsetxattr(
              path,
              x.getKey().substring(XATTR_PAX.length()),
              x.getValue().getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!link) {
        // after chown: chown clears set-uid/set-gid bits
        Files.setAttribute(path, "unix:mode", e.getMode() & 07777);
      }
      if (!link && !e.isCharacterDevice() && !e.isBlockDevice() && !e.isFIFO()) {
        // the JDK sets times through open(2): a fifo would block, a device could act on the open
        Files.setLastModifiedTime(path, FileTime.from(e.getModTime().toInstant()));
      }
    }

    private ImageException bad(String why) {
      return new ImageException(ImageException.Kind.BAD_ARCHIVE, what + ": " + why);
    }
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
