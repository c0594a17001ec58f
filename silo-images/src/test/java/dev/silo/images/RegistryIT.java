package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull against a real registry (Debian's docker-registry on loopback). */
class RegistryIT {
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
  void pushThenPullByTagAndByDigest() throws Exception {
    ImageService images = ImageService.open(dir.resolve("data"), OsVersion.WS2022);
    String ref = registry.host() + "/silo/busybox:1";
    ImageDetails built = images.buildBusybox(ref);

    List<Progress> pushed = new ArrayList<>();
    String digest = images.push(ref, pushed::add);
    assertThat(digest).matches("sha256:[a-f0-9]{64}");
    assertThat(pushed).extracting(Progress::status).contains("Pushing", "Pushed");
    assertThat(images.inspect(ref).repoDigests())
        .containsExactly(registry.host() + "/silo/busybox@" + digest);

    assertThat(images.remove(ref, false)).contains("Deleted: " + built.id());
    assertThat(images.list()).isEmpty();
    assertThat(Trees.children(dir.resolve("data/images/blobs/sha256"))).isEmpty();

    List<Progress> progress = new ArrayList<>();
    ImageDetails pulled = images.pull(ref, progress::add);
    assertThat(pulled.id()).isEqualTo(built.id());
    assertThat(pulled.repoTags()).containsExactly(ref);
    assertThat(pulled.repoDigests()).containsExactly(registry.host() + "/silo/busybox@" + digest);
    assertThat(pulled.osVersion()).isEqualTo("10.0.20348.1");
    assertThat(progress)
        .extracting(Progress::status)
        .contains(
            "Pulling fs layer", "Downloading", "Download complete", "Extracting", "Pull complete")
        .contains("Digest: " + digest);
    Path layer = images.layerFolders(ref).getFirst();
    assertThat(layer.resolve("etc/passwd")).content().startsWith("root:x:0:0:");
    assertThat(Files.isExecutable(layer.resolve("bin/busybox"))).isTrue();

    images.remove(ref, false);
    String byDigest = registry.host() + "/silo/busybox@" + digest;
    ImageDetails again = images.pull(byDigest, p -> {});
    assertThat(again.id()).isEqualTo(built.id());
    assertThat(again.repoTags()).isEmpty();
    assertThat(again.repoDigests()).containsExactly(byDigest);
    assertThat(images.layerFolders(byDigest).getFirst().resolve("bin/busybox")).isRegularFile();

    List<Progress> repush = new ArrayList<>();
    images.tag(byDigest, ref);
    assertThat(images.push(ref, repush::add)).isEqualTo(digest);
    assertThat(repush).extracting(Progress::status).contains("Layer already exists");
  }

  @Test
  void manifestListGivesEachPlatformItsImage() throws Exception {
    ImageService images = ImageService.open(dir.resolve("data"), OsVersion.WS2022);
    String repo = registry.host() + "/silo/multi";
    String amd64 = images.buildBusybox(repo + ":amd64").id();
    byte[] armLayer = new TestArchives.Layer().file("arch", "arm64\n").bytes();
    String arm64 =
        images
            .load(
                new ByteArrayInputStream(
                    TestArchives.dockerArchive(repo + ":arm64", List.of(armLayer))))
            .getFirst()
            .id();
    String amdDigest = images.push(repo + ":amd64", p -> {});
    String armDigest = images.push(repo + ":arm64", p -> {});
    String index =
        """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,
           "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,
           "platform":{"architecture":"amd64","os":"linux"}}]}
        """
            .formatted(
                armDigest, manifestSize(repo, armDigest), amdDigest, manifestSize(repo, amdDigest));
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + registry.host() + "/v2/silo/multi/manifests/latest"))
                    .header("Content-Type", "application/vnd.oci.image.index.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString(index))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

    ImageService fresh = ImageService.open(dir.resolve("fresh"), OsVersion.WS2022);
    assertThat(fresh.pull(repo + ":latest", p -> {}).id()).isEqualTo(amd64);
    ImageDetails arm = fresh.pull(repo + ":latest", Platform.parse("linux/arm64"), p -> {});
    assertThat(arm.id()).isEqualTo(arm64);
    assertThat(fresh.layerFolders(arm64).getFirst().resolve("arch")).hasContent("arm64");
    List<String> before = Trees.list(dir.resolve("fresh"));
    assertThatThrownBy(() -> fresh.pull(repo + ":latest", Platform.parse("linux/s390x"), p -> {}))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.NOT_FOUND))
        .hasMessageContaining("linux/s390x")
        .hasMessageContaining("linux/arm64/v8, linux/amd64");
    assertThat(Trees.list(dir.resolve("fresh"))).isEqualTo(before);
  }

  @Test
  void killedPullsLeaveNothingHalfWrittenAndRepeatSucceeds() throws Exception {
    String ref = registry.host() + "/silo/killed:1";
    ImageService source = ImageService.open(dir.resolve("source"), OsVersion.WS2022);
    String id = source.buildBusybox(ref).id();
    source.push(ref, p -> {});

    Path data = dir.resolve("data");
    Path tmp = data.resolve("images/tmp");
    Path layers = data.resolve("images/layers");

    killChildAt(data, ref, "Downloading");
    assertThat(Trees.children(tmp)).singleElement().asString().startsWith("blob-");
    assertThat(Trees.children(layers)).isEmpty();

    killChildAt(data, ref, "Extracting");
    // the second child cleared the first one's partial blob; its own layer was mid-unpack
    assertThat(Trees.children(tmp)).singleElement().asString().startsWith("layer-");
    assertThat(Trees.children(layers)).isEmpty();
    assertThat(data.resolve("images/refs.json")).doesNotExist();

    ImageService images = ImageService.open(data, OsVersion.WS2022);
    assertThat(Trees.children(tmp)).isEmpty();
    assertThat(images.list()).isEmpty();
    assertThat(images.pull(ref, p -> {}).id()).isEqualTo(id);
    assertThat(Trees.children(tmp)).isEmpty();
    assertThat(Trees.children(layers)).hasSize(2); // <chain>/ and <chain>.json
    assertThat(images.layerFolders(ref).getFirst().resolve("bin/busybox")).isExecutable();
  }

  @Test
  void badPullsFailWithOneClearErrorAndLeaveNothing() throws Exception {
    Path data = dir.resolve("data");
    ImageService images = ImageService.open(data, OsVersion.WS2022);
    List<String> before = Trees.list(data);

    assertThatThrownBy(() -> images.pull(registry.host() + "/silo/nosuch:1", p -> {}))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.NOT_FOUND))
        .hasMessageContaining("manifest for " + registry.host() + "/silo/nosuch:1 not found")
        .hasMessageContaining("manifest unknown");
    assertThatThrownBy(() -> images.pull("127.0.0.1:1/silo/closed:1", p -> {}))
        .isInstanceOfSatisfying(
            ImageException.class, e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.REGISTRY))
        .hasMessageContaining("cannot reach registry 127.0.0.1:1");
    assertThatThrownBy(() -> images.pull(registry.host() + "/Silo/Bad", p -> {}))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.INVALID_REFERENCE));
    assertThatThrownBy(() -> images.push(registry.host() + "/silo/none:1", p -> {}))
        .hasMessage("No such image: " + registry.host() + "/silo/none:1");
    assertThat(Trees.list(data)).isEqualTo(before);
  }

  private static long manifestSize(String repo, String digest) throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + repo.replaceFirst("/", "/v2/") + "/manifests/" + digest))
                    .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body().length;
  }

  /** Runs a pull in a child JVM, waits until it stops at {@code status}, then SIGKILLs it. */
  private static void killChildAt(Path data, String ref, String status) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                PullChild.class.getName(),
                data.toString(),
                ref,
                status)
            .redirectErrorStream(true)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                      lines.add(l);
                    }
                  } catch (IOException e) {
                    lines.add("EOF " + e);
                  }
                });
    try {
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(l).as("child output so far: %s", seen).isNotNull();
        seen.add(l);
        if (l.startsWith("STOPPED")) {
          break;
        }
        assertThat(l).as("child output: %s", seen).doesNotStartWith("FINISHED");
      }
    } finally {
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(Duration.ofSeconds(10));
    }
  }
}
