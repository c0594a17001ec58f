package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.api.HResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local side end to end: build, inspect, tag, remove, save/load, compatibility, bad input. */
class LocalImagesIT {
  private static final String BUSYBOX = "silo/busybox:test";

  @TempDir Path dir;
  private Path root;
  private ImageService images;

  @BeforeEach
  void open() throws ImageException {
    root = dir.resolve("data");
    images = ImageService.open(root, OsVersion.WS2022);
  }

  @Test
  void buildsARunnableBusyboxImage() throws Exception {
    ImageDetails d = images.buildBusybox(BUSYBOX);
    assertThat(d.id()).startsWith("sha256:");
    assertThat(d.repoTags()).containsExactly(BUSYBOX);
    assertThat(d.os()).isEqualTo("linux");
    assertThat(d.architecture()).isEqualTo("amd64");
    assertThat(d.osVersion()).isEqualTo("10.0.20348.1");
    assertThat(d.rootFs().layers()).hasSize(1);
    assertThat(d.size()).isGreaterThan(Files.size(Path.of("/bin/busybox")));
    assertThat(java.util.Objects.requireNonNull(d.config()).path("Cmd").get(0).asText())
        .isEqualTo("sh");

    List<Path> layers = images.layerFolders(BUSYBOX);
    assertThat(layers).hasSize(1);
    Path bin = layers.getFirst().resolve("bin/busybox");
    assertThat(Files.isExecutable(bin)).isTrue();
    assertThat(Files.readSymbolicLink(layers.getFirst().resolve("bin/sh"))).hasToString("busybox");
    assertThat(Files.getAttribute(layers.getFirst().resolve("tmp"), "unix:mode")).isEqualTo(041777);
    Process p = new ProcessBuilder(bin.toString(), "echo", "hello from the layer").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("hello from the layer\n");

    // the same binary builds the same image
    assertThat(images.buildBusybox("silo/busybox:again").id()).isEqualTo(d.id());
    assertThat(images.list())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(d.id());
              assertThat(s.repoTags()).containsExactlyInAnyOrder(BUSYBOX, "silo/busybox:again");
            });
    assertThat(images.history(BUSYBOX))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.id()).isEqualTo(d.id());
              assertThat(h.createdBy()).contains("busybox-static");
              assertThat(h.size()).isEqualTo(d.size());
            });
  }

  @Test
  void tagsAndRemovesAndCollectsLayers() throws Exception {
    String id = images.buildBusybox(BUSYBOX).id();
    images.tag(BUSYBOX, "other/name:v2");
    assertThat(images.inspect("other/name:v2").id()).isEqualTo(id);
    assertThat(images.inspect(id.substring(7, 19)).id()).isEqualTo(id);
    assertThat(images.inspect(id).repoTags()).containsExactlyInAnyOrder(BUSYBOX, "other/name:v2");

    assertThatThrownBy(() -> images.remove(id, false))
        .isInstanceOfSatisfying(
            ImageException.class, e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.CONFLICT))
        .hasMessageContaining("must be forced")
        .hasMessageContaining(id.substring(7, 19));

    assertThat(images.remove("other/name:v2", false)).containsExactly("Untagged: other/name:v2");
    assertThat(images.layerFolders(BUSYBOX)).allSatisfy(l -> assertThat(l).isDirectory());
    Path layer = images.layerFolders(BUSYBOX).getFirst();

    assertThat(images.remove(BUSYBOX, false))
        .containsExactly("Untagged: " + BUSYBOX, "Deleted: " + id);
    assertThat(layer).doesNotExist();
    assertThat(images.list()).isEmpty();
    assertThat(Trees.children(root.resolve("images/blobs/sha256"))).isEmpty();
    assertThat(Trees.children(root.resolve("images/layers"))).isEmpty();
    assertThat(Trees.children(root.resolve("images/tmp"))).isEmpty();
  }

  @Test
  void saveThenLoadAsDockerArchiveAndAsOciLayout() throws Exception {
    ImageDetails built = images.buildBusybox(BUSYBOX);
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    images.save(List.of(BUSYBOX), saved);
    List<String> names = entryNames(saved.toByteArray());
    assertThat(names)
        .contains("manifest.json", "index.json", "oci-layout", "repositories")
        .contains("blobs/sha256/" + built.id().substring(7))
        .contains("blobs/sha256/" + built.rootFs().layers().getFirst().substring(7));
    JsonNode manifest = new ObjectMapper().readTree(entry(saved.toByteArray(), "manifest.json"));
    assertThat(manifest.get(0).path("RepoTags").get(0).asText()).isEqualTo(BUSYBOX);

    // docker-archive path (manifest.json)
    ImageService other = ImageService.open(dir.resolve("data2"), OsVersion.WS2022);
    List<ImageDetails> loaded = other.load(new ByteArrayInputStream(saved.toByteArray()));
    assertThat(loaded)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.id()).isEqualTo(built.id());
              assertThat(l.repoTags()).containsExactly(BUSYBOX);
              assertThat(l.size()).isEqualTo(built.size());
            });
    assertThat(other.layerFolders(BUSYBOX).getFirst().resolve("etc/passwd"))
        .content()
        .startsWith("root:x:0:0:");

    // OCI layout path: the same archive without manifest.json
    byte[] oci =
        rewrite(saved.toByteArray(), (name, data) -> name.equals("manifest.json") ? null : data);
    assertThat(entryNames(oci)).doesNotContain("manifest.json");
    ImageService third = ImageService.open(dir.resolve("data3"), OsVersion.WS2022);
    assertThat(third.load(new ByteArrayInputStream(oci)))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.id()).isEqualTo(built.id());
              assertThat(l.repoTags()).containsExactly(BUSYBOX);
            });
    assertThat(Files.isExecutable(third.layerFolders(BUSYBOX).getFirst().resolve("bin/busybox")))
        .isTrue();

    // a round trip through the loaded copy saves the same bytes
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    other.save(List.of(BUSYBOX), again);
    assertThat(again.toByteArray()).isEqualTo(saved.toByteArray());
  }

  @Test
  void corruptArchiveIsRejectedAndLeavesNothing() throws Exception {
    ImageDetails built = images.buildBusybox(BUSYBOX);
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    images.save(List.of(BUSYBOX), saved);
    String layerName = "blobs/sha256/" + built.rootFs().layers().getFirst().substring(7);

    ImageService other = ImageService.open(dir.resolve("data2"), OsVersion.WS2022);
    List<String> before = Trees.list(dir.resolve("data2"));

    byte[] flipped =
        rewrite(
            saved.toByteArray(),
            (name, data) -> {
              if (name.equals(layerName)) {
                data[data.length / 2] ^= 0x5a;
              }
              return data;
            });
    assertThatThrownBy(() -> other.load(new ByteArrayInputStream(flipped)))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ImageException.Kind.BAD_ARCHIVE);
              assertThat(e.hresult()).isEqualTo(HResult.HCS_E_INVALID_LAYER);
            })
        .hasMessageContaining(layerName)
        .hasMessageContaining("digest mismatch");
    assertThat(Trees.list(dir.resolve("data2"))).isEqualTo(before);

    byte[] noLayer = rewrite(saved.toByteArray(), (n, d) -> n.equals(layerName) ? null : d);
    assertThatThrownBy(() -> other.load(new ByteArrayInputStream(noLayer)))
        .hasMessageContaining("layer \"" + layerName + "\" is missing from the archive");
    assertThat(Trees.list(dir.resolve("data2"))).isEqualTo(before);

    assertThatThrownBy(
            () ->
                other.load(
                    new ByteArrayInputStream("not a tar at all".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.BAD_ARCHIVE));
    assertThat(Trees.list(dir.resolve("data2"))).isEqualTo(before);
    assertThat(other.list()).isEmpty();
  }

  @Test
  void unknownAndMalformedReferencesFailCleanly() throws Exception {
    images.buildBusybox(BUSYBOX);
    List<String> before = Trees.list(root);
    assertThatThrownBy(() -> images.inspect("nosuch:latest"))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.NOT_FOUND))
        .hasMessage("No such image: nosuch:latest");
    assertThatThrownBy(() -> images.remove("nosuch", true))
        .hasMessage("No such image: nosuch:latest");
    assertThatThrownBy(() -> images.tag("nosuch", "x:y"))
        .hasMessage("No such image: nosuch:latest");
    assertThatThrownBy(() -> images.save(List.of(BUSYBOX, "nosuch"), new ByteArrayOutputStream()))
        .hasMessage("No such image: nosuch:latest");
    assertThatThrownBy(() -> images.tag(BUSYBOX, "Bad:Tag:x"))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.INVALID_REFERENCE))
        .hasMessageStartingWith("invalid reference format");
    assertThatThrownBy(() -> images.buildBusybox("silo/UPPER"))
        .hasMessageContaining("must be lowercase");
    assertThatThrownBy(() -> images.buildBusybox("x:y", dir.resolve("no-busybox")))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.NOT_FOUND))
        .hasMessageContaining("no-busybox");
    assertThat(Trees.list(root)).isEqualTo(before);
  }

  @Test
  void osVersionRuleGuardsCompatibility() throws Exception {
    images.buildBusybox(BUSYBOX);
    images.checkCompatible(BUSYBOX, Isolation.PROCESS);
    images.checkCompatible(BUSYBOX, Isolation.HYPERV);

    ImageService ws2019 = ImageService.open(root, OsVersion.parse("10.0.17763.1"));
    assertThat(ws2019.hostVersion()).isEqualTo(OsVersion.parse("10.0.17763.1"));
    assertThatThrownBy(() -> ws2019.checkCompatible(BUSYBOX, Isolation.PROCESS))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ImageException.Kind.IMAGE_MISMATCH);
              assertThat(e.hresult()).isEqualTo(HResult.HCS_E_IMAGE_MISMATCH);
            })
        .hasMessageContaining(BUSYBOX)
        .hasMessageContaining("10.0.20348.1")
        .hasMessageContaining("10.0.17763.1")
        .hasMessageEndingWith(
            "The container operating system does not match the host operating system.");
    assertThatThrownBy(() -> ws2019.checkCompatible(BUSYBOX, Isolation.HYPERV))
        .hasMessageContaining("hyperv isolation");
    ImageService ws2025 = ImageService.open(root, OsVersion.parse("10.0.26100.1"));
    ws2025.checkCompatible(BUSYBOX, Isolation.PROCESS);
  }

  static List<String> entryNames(byte[] tar) throws IOException {
    List<String> out = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.add(e.getName());
      }
    }
    return out;
  }

  static byte[] entry(byte[] tar, String name) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (e.getName().equals(name)) {
          return in.readAllBytes();
        }
      }
    }
    throw new IOException(name + " not in the archive");
  }

  /** Copies a tar, letting {@code edit} change an entry's bytes or drop it (null). */
  static byte[] rewrite(byte[] tar, BiFunction<String, byte[], byte[]> edit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar));
        TarArchiveOutputStream to = new TarArchiveOutputStream(out)) {
      to.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        byte[] data = in.readAllBytes();
        byte[] edited = e.isDirectory() ? data : edit.apply(e.getName(), data);
        if (edited == null) {
          continue;
        }
        TarArchiveEntry copy = new TarArchiveEntry(e.getName());
        copy.setMode(e.getMode());
        copy.setModTime(e.getModTime());
        copy.setSize(e.isDirectory() ? 0 : edited.length);
        to.putArchiveEntry(copy);
        to.write(edited);
        to.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}
