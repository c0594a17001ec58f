package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent reader and writer of the same formats (Debian's skopeo, containers/image) agrees
 * with Silo: it reads what {@code save} writes as a docker-archive and as an OCI archive, Silo
 * pulls what skopeo pushed (docker v2 schema 2, gzip layers), and Silo loads skopeo's OCI archives.
 */
class SkopeoInteropIT {
  @TempDir static Path registryDir;
  private static LocalRegistry registry;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start(registryDir);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void skopeoAndSiloReadEachOther() throws Exception {
    ImageService images = ImageService.open(dir.resolve("data"), OsVersion.WS2022);
    ImageDetails built = images.buildBusybox("silo/busybox:interop");
    Path saved = dir.resolve("saved.tar");
    try (OutputStream out = Files.newOutputStream(saved)) {
      images.save(List.of("silo/busybox:interop"), out);
    }

    JsonNode asDocker = inspect("docker-archive:" + saved);
    assertThat(asDocker.path("Os").asText()).isEqualTo("linux");
    assertThat(asDocker.path("Layers")).hasSize(1);
    assertThat(asDocker.path("Env").toString()).contains("PATH=");
    JsonNode asOci = inspect("oci-archive:" + saved + ":interop");
    assertThat(asOci.path("Architecture").asText()).isEqualTo("amd64");

    // skopeo pushes it (compressing the layer: a docker v2 schema 2 manifest); Silo pulls it back
    String ref = registry.host() + "/interop/busybox:1";
    skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + saved, "docker://" + ref);
    ImageService fresh = ImageService.open(dir.resolve("fresh"), OsVersion.WS2022);
    ImageDetails pulled = fresh.pull(ref, p -> {});
    assertThat(pulled.id()).isEqualTo(built.id());
    assertThat(pulled.rootFs().layers()).isEqualTo(built.rootFs().layers());
    assertThat(fresh.layerFolders(ref).getFirst().resolve("bin/busybox")).isExecutable();

    // Silo pushes; skopeo reads it from the registry and writes an OCI archive Silo loads
    fresh.tag(ref, registry.host() + "/interop/repushed:2");
    String digest = fresh.push(registry.host() + "/interop/repushed:2", p -> {});
    JsonNode remote =
        inspect("--tls-verify=false", "docker://" + registry.host() + "/interop/repushed:2");
    assertThat(remote.path("Digest").asText()).isEqualTo(digest);
    Path oci = dir.resolve("skopeo-oci.tar");
    skopeo(
        "copy",
        "--src-tls-verify=false",
        "docker://" + registry.host() + "/interop/repushed:2",
        "oci-archive:" + oci + ":" + registry.host() + "/interop/fromskopeo:3");
    ImageService third = ImageService.open(dir.resolve("third"), OsVersion.WS2022);
    List<ImageDetails> loaded;
    try (InputStream in = Files.newInputStream(oci)) {
      loaded = third.load(in);
    }
    // skopeo rewrites the config as an OCI config (a new id); the layers are the same
    assertThat(loaded)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.rootFs().layers()).isEqualTo(built.rootFs().layers());
              assertThat(l.osVersion()).isEqualTo("10.0.20348.1");
              assertThat(l.repoTags()).containsExactly(registry.host() + "/interop/fromskopeo:3");
            });
    assertThat(third.layerFolders(loaded.getFirst().id()).getFirst().resolve("etc/passwd"))
        .isRegularFile();
  }

  private static JsonNode inspect(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("inspect"));
    cmd.addAll(List.of(args));
    return new ObjectMapper().readTree(skopeo(cmd.toArray(String[]::new)));
  }

  private static String skopeo(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s timed out", cmd).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, new String(err, StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
