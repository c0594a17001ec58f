package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers unpack into what overlayfs reads: whiteouts and opaque dirs hide lower content in a real
 * overlay mount; devices, fifos, hard links, owners and set-uid bits survive; entries cannot escape
 * the layer.
 */
class LayerUnpackIT {
  @TempDir Path dir;

  @Test
  void whiteoutsHideLowerLayersInARealOverlay() throws Exception {
    byte[] lower =
        new TestArchives.Layer()
            .dir("etc")
            .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
            .file("etc/keep", "kept\n")
            .hardlink("etc/passwd-link", "etc/passwd")
            .dir("var/cache")
            .file("var/cache/a", "a")
            .file("var/cache/b", "b")
            .file("bin/su", "#!/bin/sh\n", 0104755, 1000)
            .device("dev/null", TarArchiveEntry.LF_CHR, 1, 3)
            .device("run/fifo", TarArchiveEntry.LF_FIFO, 0, 0)
            .bytes();
    byte[] upper =
        new TestArchives.Layer()
            .file("etc/.wh.passwd", "")
            .file("var/cache/.wh..wh..opq", "")
            .file("var/cache/c", "c")
            .bytes();
    ImageService images = ImageService.open(dir.resolve("data"), OsVersion.WS2022);
    images.load(
        new ByteArrayInputStream(
            TestArchives.dockerArchive("t/whiteouts:1", List.of(lower, upper))));
    List<Path> layers = images.layerFolders("t/whiteouts:1");
    assertThat(layers).hasSize(2);
    Path l0 = layers.get(0);
    Path l1 = layers.get(1);

    // the lower layer as tar said
    assertThat(Files.isSameFile(l0.resolve("etc/passwd"), l0.resolve("etc/passwd-link"))).isTrue();
    assertThat(Files.getAttribute(l0.resolve("bin/su"), "unix:mode")).isEqualTo(0104755);
    assertThat(Files.getAttribute(l0.resolve("bin/su"), "unix:uid")).isEqualTo(1000);
    assertThat(Files.getAttribute(l0.resolve("dev/null"), "unix:rdev")).isEqualTo(0x103L);
    assertThat(Files.getAttribute(l0.resolve("run/fifo"), "unix:mode")).isEqualTo(010666);

    // the whiteout is a 0/0 character device; no .wh. names remain
    Path whiteout = l1.resolve("etc/passwd");
    assertThat((int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
        .isEqualTo(0020000);
    assertThat(Files.getAttribute(whiteout, "unix:rdev")).isEqualTo(0L);
    assertThat(Trees.list(l1)).noneMatch(p -> p.contains(".wh."));

    Path merged = Files.createDirectory(dir.resolve("merged"));
    run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + l1 + ":" + l0, merged.toString());
    try {
      assertThat(merged.resolve("etc/passwd")).doesNotExist();
      assertThat(merged.resolve("etc/keep")).hasContent("kept");
      assertThat(Trees.children(merged.resolve("var/cache"))).containsExactly("c");
    } finally {
      run("umount", merged.toString());
    }
  }

  @Test
  void entriesCannotLeaveTheLayer() throws Exception {
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Path data = dir.resolve("data");
    ImageService images = ImageService.open(data, OsVersion.WS2022);
    List<String> before = Trees.list(data);

    byte[] throughSymlink =
        new TestArchives.Layer()
            .symlink("evil", outside.toString())
            .file("evil/pwned", "x")
            .bytes();
    assertThatThrownBy(
            () ->
                images.load(
                    new ByteArrayInputStream(
                        TestArchives.dockerArchive("t/evil:1", List.of(throughSymlink)))))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.BAD_ARCHIVE))
        .hasMessageContaining("\"evil/pwned\" goes through the symlink \"evil\"");
    assertThat(Trees.children(outside)).isEmpty();
    assertThat(Trees.list(data)).isEqualTo(before);

    byte[] climbing = new TestArchives.Layer().file("../../escaped", "x").bytes();
    assertThatThrownBy(
            () ->
                images.load(
                    new ByteArrayInputStream(
                        TestArchives.dockerArchive("t/evil:2", List.of(climbing)))))
        .hasMessageContaining("leaves the layer");
    assertThat(Files.exists(dir.resolve("escaped"))).isFalse();
    assertThat(Trees.list(data)).isEqualTo(before);
    assertThat(images.list()).isEmpty();
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
