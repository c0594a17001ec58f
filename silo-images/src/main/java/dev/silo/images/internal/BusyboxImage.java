package dev.silo.images.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import dev.silo.images.OsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A one-layer base image from Debian's {@code busybox-static} binary: {@code /bin/busybox}, links
 * for its common applets, a minimal {@code /etc}, built offline and reproducibly (every time is the
 * binary's mtime), with {@code os.version} set to the host's version.
 */
public final class BusyboxImage {
  /** Where Debian's busybox-static installs the binary. */
  public static final Path DEBIAN_BUSYBOX = Path.of("/bin/busybox");

  private static final List<String> APPLETS =
      List.of(
          "sh",
          "ash",
          "ls",
          "cat",
          "echo",
          "mkdir",
          "rm",
          "rmdir",
          "cp",
          "mv",
          "ln",
          "ps",
          "sleep",
          "true",
          "false",
          "env",
          "id",
          "hostname",
          "mount",
          "umount",
          "grep",
          "sed",
          "awk",
          "head",
          "tail",
          "touch",
          "chmod",
          "chown",
          "pwd",
          "uname",
          "whoami",
          "kill",
          "date",
          "find",
          "xargs",
          "tee",
          "wc",
          "sort",
          "uniq",
          "cut",
          "tr",
          "du",
          "df",
          "free",
          "top",
          "nc",
          "ping",
          "printf",
          "test",
          "[",
          "readlink",
          "dirname",
          "basename",
          "expr",
          "seq",
          "stat",
          "sync",
          "yes",
          "tar",
          "gzip",
          "gunzip",
          "vi",
          "wget",
          "ip",
          "ifconfig",
          "nslookup",
          "stty",
          "less",
          "more",
          "diff",
          "md5sum",
          "sha256sum",
          "dd",
          "mktemp",
          "realpath");

  private BusyboxImage() {}

  /** Builds the image into {@code stage} (a temp dir) and answers it ready to commit. */
  public static StagedImage build(Path busybox, OsVersion osVersion, ImageReference tag, Path stage)
      throws ImageException, IOException {
    if (!Files.isRegularFile(busybox)) {
      throw new ImageException(
          ImageException.Kind.NOT_FOUND,
          "cannot build "
              + tag.familiar()
              + ": "
              + busybox
              + " is missing (apt-get install busybox-static)");
    }
    Instant time = Files.getLastModifiedTime(busybox).toInstant();
    Path layerFile = stage.resolve("layer.tar.gz");
    try (OutputStream fileOut = Files.newOutputStream(layerFile)) {
      GzipParameters gp = new GzipParameters();
      gp.setModificationTime(0);
      GzipCompressorOutputStream gz = new GzipCompressorOutputStream(fileOut, gp);
      DigestingOutputStream plain = new DigestingOutputStream(gz);
      TarArchiveOutputStream tar = new TarArchiveOutputStream(plain);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String d :
          List.of("bin/", "dev/", "etc/", "proc/", "sys/", "usr/", "usr/bin/", "var/")) {
        dir(tar, d, 0755, time);
      }
      dir(tar, "root/", 0700, time);
      dir(tar, "tmp/", 01777, time);
      TarArchiveEntry bin = new TarArchiveEntry("bin/busybox");
      bin.setSize(Files.size(busybox));
      bin.setMode(0100755);
      bin.setModTime(time.toEpochMilli());
      tar.putArchiveEntry(bin);
      try (InputStream in = Files.newInputStream(busybox)) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
      for (String a : APPLETS) {
        link(tar, "bin/" + a, "busybox", time);
      }
      link(tar, "usr/bin/env", "../../bin/busybox", time);
      file(
          tar,
          "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
          time);
      file(tar, "etc/group", "root:x:0:\nnobody:x:65534:\n", time);
      file(
          tar,
          "etc/hosts",
          "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
          time);
      tar.finish();
      tar.flush();
      gz.finish();
      String diffId = plain.digest();
      long plainSize = plain.count();
      return staged(layerFile, diffId, plainSize, osVersion, tag, time, busybox);
    }
  }

  private static StagedImage staged(
      Path layerFile,
      String diffId,
      long plainSize,
      OsVersion osVersion,
      ImageReference tag,
      Instant time,
      Path busybox)
      throws IOException {
    String blobDigest;
    try (Digests.Counting c = new Digests.Counting(Files.newInputStream(layerFile))) {
      c.drain();
      blobDigest = c.digest();
    }
    ObjectNode config = ImageStore.JSON.createObjectNode();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("os.version", osVersion.toString());
    config.put("created", time.toString());
    ObjectNode c = config.putObject("config");
    c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    c.putArray("Cmd").add("sh");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId);
    config
        .putArray("history")
        .addObject()
        .put("created", time.toString())
        .put(
            "created_by",
            "silo buildBusybox: " + busybox + " (Debian busybox-static) and applet links")
        .put("comment", plainSize + " bytes uncompressed");
    byte[] configBytes = ImageStore.JSON.writeValueAsBytes(config);
    String id = Digests.of(configBytes);
    StagedImage.Layer layer =
        new StagedImage.Layer(
            layerFile, blobDigest, diffId, Manifests.OCI_LAYER_GZIP, Files.size(layerFile));
    byte[] manifest = ArchiveLoader.ociManifest(id, configBytes.length, List.of(layer));
    return new StagedImage(
        id, configBytes, manifest, Manifests.OCI_MANIFEST, List.of(layer), List.of(tag));
  }

  private static void dir(TarArchiveOutputStream tar, String name, int mode, Instant time)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040000 | mode);
    e.setModTime(time.toEpochMilli());
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream tar, String name, String target, Instant time)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0120777);
    e.setModTime(time.toEpochMilli());
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, String text, Instant time)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(b.length);
    e.setMode(0100644);
    e.setModTime(time.toEpochMilli());
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  /** Digests and counts bytes on their way to the gzip stream (the layer's diff id). */
  private static final class DigestingOutputStream extends java.io.FilterOutputStream {
    private final java.security.MessageDigest md = Digests.newSha256();
    private long count;

    DigestingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      md.update((byte) b);
      count++;
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      md.update(b, off, len);
      count += len;
      out.write(b, off, len);
    }

    String digest() {
      return Digests.of(md);
    }

    long count() {
      return count;
    }
  }
}
