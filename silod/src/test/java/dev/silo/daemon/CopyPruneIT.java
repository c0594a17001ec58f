package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code docker cp} both ways (a running container through its own mounts, an exited one through
 * its kept overlay and binds, a created one before its start), symlinks resolved inside the
 * container, dockerd's errors; then {@code container prune}, {@code image prune} and {@code system
 * df}, with everything a pruned container had (record, compute system, mount, cgroup, HNS endpoint)
 * gone and nothing of a running container or a used image touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CopyPruneIT {
  private static final String IMAGE = "busybox:latest";

  private static SilodProcess d;
  private static Path work;
  private static Path src;
  private static Path bind;
  private static Path roBind;
  private static byte[] blob;

  @BeforeAll
  static void start() throws Exception {
    Path base = Path.of("/tmp/cp-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(base);
    d = SilodProcess.start(base, false);
    work = Files.createDirectories(d.base.resolve("work"));
    Path images = Files.createTempDirectory("copy-prune-it-images");
    try {
      ImageService s = ImageService.open(images, OsVersion.parse("10.0.20348"));
      s.buildBusybox(IMAGE);
      // two more images with other layers (the binary with a byte appended): a dangling one
      // and a tagged one no container uses
      s.buildBusybox("silo/dangling:1", busyboxVariant("1"));
      s.buildBusybox("silo/unused:1", busyboxVariant("2"));
      Path archive = work.resolve("images.tar");
      try (OutputStream out = Files.newOutputStream(archive)) {
        s.save(List.of(IMAGE, "silo/dangling:1", "silo/unused:1"), out);
      }
      d.ok("load", "-i", archive.toString());
    } finally {
      SilodProcess.deleteTree(images);
    }
    d.ok("tag", IMAGE, "silo/dangling:1"); // the old silo/dangling:1 has no tag left
    src = Files.createDirectories(work.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "alpha\n");
    blob = new byte[300_000];
    new Random(7).nextBytes(blob);
    Files.createDirectories(src.resolve("sub"));
    Files.write(src.resolve("sub/b.bin"), blob);
    Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
    bind = Files.createDirectories(work.resolve("bind"));
    Files.writeString(bind.resolve("host.txt"), "from the host\n");
    roBind = Files.createDirectories(work.resolve("ro"));
  }

  private static Path busyboxVariant(String tag) throws IOException {
    Path p = Files.createTempFile("busybox-", "-" + tag);
    Files.copy(Path.of("/bin/busybox"), p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.write(p, ("silo" + tag).getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    p.toFile().deleteOnExit();
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.docker("rm", "-f", "cp1", "cp2", "cp3", "cp4", "cp5", "cpu", "rofs", "kept");
      d.close();
    }
  }

  @Test
  @Order(10)
  void aHostDirGoesIntoARunningContainerAndComesBack() throws Exception {
    d.ok(
        "run",
        "-d",
        "--name",
        "cp1",
        "-v",
        bind + ":/data",
        "-v",
        roBind + ":/ro:ro",
        IMAGE,
        "sleep",
        "1000");
    d.ok("cp", src.toString(), "cp1:/tmp/");
    assertThat(d.ok("exec", "cp1", "cat", "/tmp/src/a.txt").out()).isEqualTo("alpha\n");
    assertThat(d.ok("exec", "cp1", "readlink", "/tmp/src/link").out().strip()).isEqualTo("a.txt");
    assertThat(d.ok("exec", "cp1", "wc", "-c", "/tmp/src/sub/b.bin").out()).startsWith("300000 ");

    // into the container's bind mount: the file lands in the host directory
    d.ok("cp", src.resolve("a.txt").toString(), "cp1:/data/");
    assertThat(Files.readString(bind.resolve("a.txt"))).isEqualTo("alpha\n");
    assertThat(d.ok("cp", "cp1:/data/host.txt", work.resolve("host-copy.txt").toString()).exit())
        .isZero();
    assertThat(Files.readString(work.resolve("host-copy.txt"))).isEqualTo("from the host\n");

    Path out = work.resolve("out1");
    d.ok("cp", "cp1:/tmp/src", out.toString());
    assertThat(Files.readAllBytes(out.resolve("sub/b.bin"))).isEqualTo(blob);
    assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("alpha\n");
    assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("a.txt"));
    // frozen while copied, running again after
    assertThat(d.ok("inspect", "-f", "{{.State.Status}}", "cp1").out().strip())
        .isEqualTo("running");

    // the stat header as moby encodes it: Go's FileMode (directory bit 1<<31), the link's target
    JsonNode dir = stat("cp1", "/tmp/src");
    assertThat(dir.path("name").asText()).isEqualTo("src");
    assertThat(dir.path("mode").asLong()).isEqualTo((1L << 31) | 0755);
    JsonNode link = stat("cp1", "/tmp/src/link");
    assertThat(link.path("mode").asLong() & (1L << 27)).isNotZero();
    assertThat(link.path("linkTarget").asText()).isEqualTo("/tmp/src/a.txt");
    JsonNode file = stat("cp1", "/tmp/src/sub/b.bin");
    assertThat(file.path("size").asLong()).isEqualTo(300_000);
    assertThat(file.path("mtime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  /** HEAD /containers/{id}/archive: the decoded X-Docker-Container-Path-Stat header. */
  private static JsonNode stat(String container, String path) throws IOException {
    SilodProcess.Result r =
        SilodProcess.run(
            List.of(
                "curl",
                "-sS",
                "-I",
                "--max-time",
                "20",
                "--unix-socket",
                d.socket.toString(),
                "http://localhost/containers/" + container + "/archive?path=" + path),
            java.util.Map.of());
    assertThat(r.out()).startsWith("HTTP/1.1 200");
    String header =
        r.out()
            .lines()
            .filter(
                l ->
                    l.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("x-docker-container-path-stat:"))
            .findFirst()
            .orElseThrow()
            .substring("x-docker-container-path-stat:".length())
            .strip();
    return SilodProcess.JSON.readTree(java.util.Base64.getDecoder().decode(header));
  }

  @Test
  @Order(20)
  void symlinksResolveInsideTheContainer() throws Exception {
    d.ok("exec", "cp1", "sh", "-c", "echo inside > /etc/marker");
    d.ok("exec", "cp1", "ln", "-s", "/etc", "/tmp/etclink");
    d.ok("exec", "cp1", "ln", "-s", "../../../../../../etc", "/tmp/up");
    d.ok("exec", "cp1", "mkdir", "/tmp/target");
    d.ok("exec", "cp1", "ln", "-s", "/tmp/target", "/tmp/tlink");
    // the container's /etc (the host has no /etc/marker), whichever way the link climbs
    assertThat(Path.of("/etc/marker")).doesNotExist();
    d.ok("cp", "cp1:/tmp/etclink/marker", work.resolve("h1").toString());
    d.ok("cp", "cp1:/tmp/up/marker", work.resolve("h2").toString());
    assertThat(Files.readString(work.resolve("h1"))).isEqualTo("inside\n");
    assertThat(Files.readString(work.resolve("h2"))).isEqualTo("inside\n");
    d.ok("pause", "cp1");
    d.ok("cp", "cp1:/tmp/etclink/marker", work.resolve("paused.txt").toString());
    d.ok("unpause", "cp1");
    assertThat(Files.readString(work.resolve("paused.txt"))).isEqualTo("inside\n");
    // a link copied as what it is
    d.ok("cp", "cp1:/tmp/etclink", work.resolve("l1").toString());
    assertThat(Files.readSymbolicLink(work.resolve("l1"))).isEqualTo(Path.of("/etc"));
    // extracting into a symlinked directory writes where it points inside the container
    d.ok("cp", src.resolve("a.txt").toString(), "cp1:/tmp/tlink/");
    assertThat(d.ok("exec", "cp1", "cat", "/tmp/target/a.txt").out()).isEqualTo("alpha\n");
    // an absolute link planted in the container does not make a copy land on the host
    d.ok("exec", "cp1", "mkdir", "-p", work.toString());
    d.ok("exec", "cp1", "ln", "-s", work.toString(), "/tmp/hostwork");
    d.ok("cp", src.resolve("a.txt").toString(), "cp1:/tmp/hostwork/");
    assertThat(work.resolve("a.txt")).doesNotExist();
    assertThat(d.ok("exec", "cp1", "cat", work + "/a.txt").out()).isEqualTo("alpha\n");
  }

  @Test
  @Order(30)
  void anExitedContainerIsReadThroughItsOverlayAndBinds() throws Exception {
    d.ok("run", "--name", "cp2", IMAGE, "sh", "-c", "echo bye > /out.txt");
    d.ok("cp", "cp2:/out.txt", work.resolve("bye.txt").toString());
    assertThat(Files.readString(work.resolve("bye.txt"))).isEqualTo("bye\n");

    d.ok("run", "--name", "cp3", "-v", bind + ":/vol", IMAGE, "true");
    d.ok("cp", "cp3:/vol/host.txt", work.resolve("vol.txt").toString());
    assertThat(Files.readString(work.resolve("vol.txt"))).isEqualTo("from the host\n");
    d.ok("cp", src.toString(), "cp2:/");
    Path back = work.resolve("back");
    d.ok("cp", "cp2:/src/sub/b.bin", back.toString());
    assertThat(Files.readAllBytes(back)).isEqualTo(blob);
    assertThat(d.ok("inspect", "-f", "{{.State.Status}}", "cp2").out().strip()).isEqualTo("exited");
  }

  @Test
  @Order(40)
  void aFileCopiedIntoACreatedContainerIsThereAtItsStart() throws Exception {
    d.ok("create", "--name", "cp4", IMAGE, "cat", "/hello.txt");
    Path hello = work.resolve("hello.txt");
    Files.writeString(hello, "hello before start\n");
    d.ok("cp", hello.toString(), "cp4:/");
    assertThat(d.ok("start", "-a", "cp4").out()).isEqualTo("hello before start\n");
    // -a: owned by the container's user; without it, by the archive's owner (root here)
    d.ok("create", "--name", "cpu", "--user", "1234:5678", IMAGE, "true");
    d.ok("cp", "-a", hello.toString(), "cpu:/");
    d.ok("cp", hello.toString(), "cpu:/plain.txt");
    Path upper = d.dataRoot.resolve("containers").resolve(id("cpu")).resolve("scratch/upper");
    assertThat(Files.getAttribute(upper.resolve("hello.txt"), "unix:uid")).isEqualTo(1234);
    assertThat(Files.getAttribute(upper.resolve("hello.txt"), "unix:gid")).isEqualTo(5678);
    assertThat(Files.getAttribute(upper.resolve("plain.txt"), "unix:uid")).isEqualTo(0);
    d.ok("rm", "cpu");
  }

  @Test
  @Order(50)
  void badCopiesGetDockerdsErrors() throws Exception {
    String before = everything();
    SilodProcess.Result r = d.docker("cp", "nosuch:/etc/hostname", work.resolve("x").toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("No such container: nosuch");

    r = d.docker("cp", "cp1:/nonexistent", work.resolve("x").toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("Could not find the file /nonexistent in container cp1");

    r = d.docker("cp", src.resolve("a.txt").toString(), "cp1:/ro/");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("mounted volume is marked read-only");
    assertThat(roBind.resolve("a.txt")).doesNotExist();

    Path tar = work.resolve("one.tar");
    assertThat(
            SilodProcess.run(
                    List.of("tar", "-cf", tar.toString(), "-C", src.toString(), "a.txt"),
                    java.util.Map.of())
                .exit())
        .isZero();
    SilodProcess.Http h =
        d.curl("PUT", "/containers/cp1/archive?path=/etc/marker", "@" + tar, "application/x-tar");
    assertThat(h.status()).isEqualTo(400);
    assertThat(h.json().path("message").asText()).isEqualTo("extraction point is not a directory");
    h = d.curl("PUT", "/containers/nosuch/archive?path=/tmp", "@" + tar, "application/x-tar");
    assertThat(h.status()).isEqualTo(404);
    assertThat(h.json().path("message").asText()).isEqualTo("No such container: nosuch");
    h = d.curl("PUT", "/containers/cp1/archive?path=/nope", "@" + tar, "application/x-tar");
    assertThat(h.status()).isEqualTo(404);
    assertThat(h.json().path("message").asText())
        .isEqualTo("Could not find the file /nope in container cp1");
    assertThat(d.ok("exec", "cp1", "cat", "/etc/marker").out()).isEqualTo("inside\n");
    assertThat(everything()).isEqualTo(before);

    d.ok("create", "--read-only", "--name", "rofs", IMAGE, "true");
    r = d.docker("cp", src.resolve("a.txt").toString(), "rofs:/tmp/");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("container rootfs is marked read-only");
    d.ok("rm", "rofs");
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  @Order(60)
  void containerPruneRemovesOnlyStoppedOnesAndAllTheyHad() throws Exception {
    d.ok("run", "--name", "kept", "--label", "keep=1", IMAGE, "true");
    String cp1 = id("cp1");
    String kept = id("kept");
    List<String> stopped = List.of(id("cp2"), id("cp3"), id("cp4"));
    assertThat(d.endpoints()).hasSize(5);
    for (String s : stopped) {
      assertThat(mounts()).anyMatch(m -> m.contains(s));
    }

    // created within the last day: nothing is old enough
    SilodProcess.Result none = d.ok("container", "prune", "-f", "--filter", "until=24h");
    assertThat(none.out()).contains("Total reclaimed space: 0B").doesNotContain(stopped.get(0));

    SilodProcess.Result r = d.ok("container", "prune", "-f", "--filter", "label!=keep");
    assertThat(r.out()).contains("Deleted Containers:");
    for (String s : stopped) {
      assertThat(r.out()).contains(s);
    }
    assertThat(r.out()).doesNotContain(cp1).doesNotContain(kept);
    assertThat(d.ok("ps", "-aq", "--no-trunc").out().lines().sorted().toList())
        .containsExactlyInAnyOrder(cp1, kept);
    assertThat(SilodProcess.names(d.dataRoot.resolve("containers")))
        .containsExactlyInAnyOrder(cp1, kept);
    assertThat(SilodProcess.names(d.execRoot.resolve("hcs"))).doesNotContainAnyElementsOf(stopped);
    assertThat(d.endpoints()).hasSize(2);
    assertThat(SilodProcess.containerCgroups())
        .noneMatch(c -> stopped.stream().anyMatch(c::endsWith));
    assertThat(mounts()).noneMatch(m -> stopped.stream().anyMatch(m::contains));
    assertThat(d.ok("exec", "cp1", "cat", "/tmp/src/a.txt").out()).isEqualTo("alpha\n");

    JsonNode api = d.curl("POST", "/containers/prune", null).json();
    assertThat(api.path("ContainersDeleted").toString()).contains(kept);
    assertThat(api.path("ContainersDeleted").toString()).doesNotContain(cp1);
  }

  @Test
  @Order(70)
  void imagePruneTakesDanglingThenUnusedImagesButNotOneInUse() throws Exception {
    String busybox = d.ok("images", "-q", "--no-trunc", IMAGE).out().strip();
    List<String> before = imageIds();
    assertThat(before).hasSize(3);
    Path layers = d.dataRoot.resolve("image/images/layers"); // a folder and a .json per layer
    assertThat(SilodProcess.names(layers)).filteredOn(n -> !n.endsWith(".json")).hasSize(3);
    SilodProcess.Result r = d.ok("image", "prune", "-f");
    assertThat(SilodProcess.names(layers))
        .as("the dangling image's layer is gone")
        .filteredOn(n -> !n.endsWith(".json"))
        .hasSize(2);
    assertThat(r.out()).contains("Deleted Images:").contains("deleted: sha256:");
    List<String> after = imageIds();
    assertThat(after).hasSize(2).contains(busybox);
    assertThat(d.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out())
        .contains("silo/unused:1");

    r = d.ok("image", "prune", "-af");
    assertThat(r.out()).contains("untagged: silo/unused:1");
    assertThat(r.out()).containsPattern("Total reclaimed space: [1-9][0-9.]*[kM]B");
    assertThat(imageIds()).containsExactly(busybox);
    assertThat(SilodProcess.names(layers)).filteredOn(n -> !n.endsWith(".json")).hasSize(1);
    assertThat(d.ok("exec", "cp1", "true").exit()).isZero();

    SilodProcess.Http none =
        d.curl("POST", "/images/prune?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D", null);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().path("ImagesDeleted").isNull()).isTrue();
    SilodProcess.Http bad =
        d.curl("POST", "/images/prune?filters=%7B%22dangling%22%3A%5B%22maybe%22%5D%7D", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("message").asText()).isEqualTo("invalid filter 'dangling=maybe'");
  }

  @Test
  @Order(80)
  void systemDfCountsImagesContainersAndVolumes() throws Exception {
    d.ok("volume", "create", "dfvol");
    d.ok("exec", "cp1", "sh", "-c", "head -c 100000 /dev/zero > /big");
    SilodProcess.Result df = d.ok("system", "df");
    assertThat(df.out()).contains("Images").contains("Containers").contains("Local Volumes");
    SilodProcess.Result v = d.ok("system", "df", "-v");
    assertThat(v.out()).contains("busybox").contains("cp1").contains("dfvol");

    JsonNode j = d.curl("GET", "/system/df", null).json();
    assertThat(j.path("LayersSize").asLong()).isPositive();
    JsonNode img = j.path("Images").get(0);
    assertThat(img.path("RepoTags").toString()).contains(IMAGE);
    assertThat(j.path("Images").size()).as("only the used image is left").isEqualTo(1);
    assertThat(img.path("Containers").asInt()).isEqualTo(1);
    assertThat(img.path("Size").asLong()).isEqualTo(j.path("LayersSize").asLong());
    JsonNode c = j.path("Containers").get(0);
    assertThat(c.path("SizeRw").asLong()).isGreaterThanOrEqualTo(100_000);
    assertThat(c.path("SizeRootFs").asLong())
        .isEqualTo(c.path("SizeRw").asLong() + img.path("Size").asLong());
    assertThat(j.path("Volumes").toString()).contains("dfvol").contains("\"RefCount\":0");
    JsonNode only = d.curl("GET", "/system/df?type=volume", null).json();
    assertThat(only.has("Images")).isFalse();
    assertThat(only.path("Volumes").size()).isEqualTo(1);
    d.ok("volume", "rm", "dfvol");
  }

  @Test
  @Order(90)
  void systemPruneRunsEveryPart() throws Exception {
    d.ok("run", "--name", "cp5", IMAGE, "true");
    String cp5 = id("cp5");
    SilodProcess.Result r = d.ok("system", "prune", "-f");
    assertThat(r.out()).contains(cp5).contains("Total reclaimed space");
    assertThat(d.ok("ps", "-aq", "--no-trunc").out().strip()).isEqualTo(id("cp1"));
    assertThat(d.ok("images", "-q", "--no-trunc", IMAGE).out()).startsWith("sha256:");
  }

  // ---- helpers

  private static String id(String name) {
    return d.ok("inspect", "-f", "{{.Id}}", name).out().strip();
  }

  private static List<String> imageIds() {
    return d.ok("images", "-aq", "--no-trunc").out().lines().distinct().sorted().toList();
  }

  private static List<String> mounts() throws IOException {
    return Files.readString(Path.of("/proc/self/mountinfo"))
        .lines()
        .filter(l -> l.contains(d.base.toString()))
        .map(l -> l.split(" ")[4])
        .sorted()
        .toList();
  }

  /** What bad input must not change: records, compute systems, mounts, cgroups, HNS. */
  private static String everything() throws IOException {
    return String.join(
        "\n---\n",
        d.kernelAndStore(),
        SilodProcess.names(d.dataRoot.resolve("containers")).toString(),
        SilodProcess.names(d.execRoot.resolve("hcs")).toString(),
        mounts().toString(),
        SilodProcess.containerCgroups().toString(),
        d.ok("ps", "-a", "--format", "{{.ID}} {{.Names}}").out());
  }
}
