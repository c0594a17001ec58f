package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.daemon.http.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerFsTest {
  @TempDir Path tmp;

  private Path root() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/marker"), "inside\n");
    Files.createDirectories(root.resolve("tmp"));
    Files.createSymbolicLink(root.resolve("tmp/abs"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("tmp/up"), Path.of("../../../../../etc"));
    Files.createSymbolicLink(root.resolve("tmp/a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("tmp/b"), Path.of("a"));
    return root;
  }

  @Test
  void linksResolveInsideTheRootHoweverTheyClimb() throws IOException {
    Path root = root();
    ContainerFs fs = new ContainerFs(root, List.of());
    assertThat(fs.resolve("/tmp/abs/marker", false).host()).isEqualTo(root.resolve("etc/marker"));
    assertThat(fs.resolve("/tmp/up/marker", false).host()).isEqualTo(root.resolve("etc/marker"));
    assertThat(fs.resolve("/../../tmp/up/marker", false).containerPath()).isEqualTo("/etc/marker");
    // the last part is a link kept as itself unless asked to follow it
    assertThat(fs.resolve("/tmp/abs", false).host()).isEqualTo(root.resolve("tmp/abs"));
    assertThat(fs.resolve("/tmp/abs", true).containerPath()).isEqualTo("/etc");
    assertThatThrownBy(() -> fs.resolve("/tmp/a/x", false))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("too many levels of symbolic links");
  }

  @Test
  void bindsAreLaidOverTheRootAndTheirLinksStayInTheContainer() throws IOException {
    Path root = root();
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.createSymbolicLink(data.resolve("toetc"), Path.of("/etc/marker"));
    ContainerFs fs =
        new ContainerFs(
            root,
            List.of(
                new ContainerFs.Mount(List.of("srv", "data"), data, false),
                new ContainerFs.Mount(List.of("srv"), tmp.resolve("other"), true)));
    assertThat(fs.resolve("/srv/data/x", false).host()).isEqualTo(data.resolve("x"));
    assertThat(fs.resolve("/srv/y", false).host()).isEqualTo(tmp.resolve("other/y"));
    assertThat(fs.resolve("/srv/data/toetc", true).host()).isEqualTo(root.resolve("etc/marker"));
    List<ContainerFs.Mount> declared =
        List.of(new ContainerFs.Mount(List.of("srv"), tmp.resolve("other"), true));
    assertThat(ContainerFs.mountOf(declared, "/srv/a/b").readOnly()).isTrue();
    assertThat(ContainerFs.mountOf(declared, "/srvx").destination()).isEmpty();
  }

  @Test
  void aTreeRoundTripsThroughTheTar() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/sub"));
    Files.writeString(src.resolve("f.txt"), "data\n");
    Files.createSymbolicLink(src.resolve("link"), Path.of("/etc/passwd"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    ContainerTar.write(tmp.resolve("src"), "src", tar);
    List<String> names = names(tar.toByteArray());
    assertThat(names).contains("src/", "src/sub/", "src/sub/f.txt", "src/sub/link");

    Path root = root();
    Files.createDirectories(root.resolve("dst"));
    ContainerFs fs = new ContainerFs(root, List.of());
    ContainerTar.extract(new ByteArrayInputStream(tar.toByteArray()), fs, "/dst", true);
    assertThat(root.resolve("dst/src/sub/f.txt")).hasContent("data");
    assertThat(Files.readSymbolicLink(root.resolve("dst/src/sub/link")))
        .isEqualTo(Path.of("/etc/passwd"));

    // a directory is not replaced by a file when the client says so
    ByteArrayOutputStream clash = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(clash)) {
      TarArchiveEntry e = new TarArchiveEntry("src");
      e.setSize(1);
      t.putArchiveEntry(e);
      t.write('x');
      t.closeArchiveEntry();
    }
    assertThatThrownBy(
            () ->
                ContainerTar.extract(
                    new ByteArrayInputStream(clash.toByteArray()), fs, "/dst", true))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("cannot overwrite directory \"/dst/src\" with non-directory");
  }

  @Test
  void anEntryClimbingOutOfTheDestinationIsRefused() throws Exception {
    ByteArrayOutputStream evil = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(evil)) {
      TarArchiveEntry e = new TarArchiveEntry("../escape.txt");
      byte[] b = "x".getBytes(StandardCharsets.UTF_8);
      e.setSize(b.length);
      t.putArchiveEntry(e);
      t.write(b);
      t.closeArchiveEntry();
    }
    Path root = root();
    Files.createDirectories(root.resolve("dst"));
    ContainerFs fs = new ContainerFs(root, List.of());
    assertThatThrownBy(
            () ->
                ContainerTar.extract(
                    new ByteArrayInputStream(evil.toByteArray()), fs, "/dst", true))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("is outside of");
    assertThat(root.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void statFieldsAreMobys() {
    assertThat(ContainerArchive.goMode(040755)).isEqualTo((1L << 31) | 0755);
    assertThat(ContainerArchive.goMode(0120777)).isEqualTo((1L << 27) | 0777);
    assertThat(ContainerArchive.goMode(0104755)).isEqualTo((1L << 23) | 0755);
    assertThat(ContainerArchive.baseName("/etc/")).isEqualTo("etc");
    assertThat(ContainerArchive.baseName("/etc/.")).isEqualTo(".");
    assertThat(ContainerArchive.baseName("/")).isEqualTo("/");
    assertThat(ContainerArchive.rebaseName("/")).isEqualTo(".");
  }

  @Test
  void untilTakesGoDurations() {
    assertThat(PruneApi.goDuration("1h30m")).isEqualTo(5_400_000_000_000L);
    assertThat(PruneApi.goDuration("1.5s")).isEqualTo(1_500_000_000L);
    assertThat(PruneApi.goDuration("10")).isNull();
    assertThat(PruneApi.goDuration("0")).isNull();
    assertThat(PruneApi.goDuration("abc")).isNull();
  }

  private static List<String> names(byte[] tar) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.add(e.getName());
      }
    }
    return out;
  }
}
