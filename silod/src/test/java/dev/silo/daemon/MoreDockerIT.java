package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5's registry and network points through the stock docker CLI against a real silod: a pull
 * from Debian's {@code docker-registry} on loopback and a run of the pulled image; a daemon
 * SIGKILLed in the middle of a pull that leaves no half-written image and pulls again after a
 * restart; and two containers on a user NAT network, one reaching the other by its address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MoreDockerIT {
  private static final Path REGISTRY = Path.of("/usr/bin/docker-registry");

  private static Path registryDir;
  private static Process registry;
  private static int registryPort;
  private static SilodProcess d;

  @BeforeAll
  static void start() throws Exception {
    assertThat(REGISTRY).as("apt-get install -y docker-registry").isExecutable();
    registryDir = Files.createTempDirectory("moredocker-registry");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      registryPort = s.getLocalPort();
    }
    Path config = registryDir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        """
            .formatted(Files.createDirectories(registryDir.resolve("storage")), registryPort));
    registry =
        new ProcessBuilder(REGISTRY.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(registryDir.resolve("registry.log").toFile())
            .start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    SilodProcess.until(
        "docker-registry answers /v2/",
        () -> {
          try {
            return http.send(
                        HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
          }
        });
    // push busybox with the image service, as RegistryIT does
    Path images = Files.createTempDirectory("moredocker-images");
    try {
      ImageService s = ImageService.open(images, OsVersion.parse("10.0.20348"));
      s.buildBusybox(host() + "/busybox:latest");
      s.push(host() + "/busybox:latest", p -> {});
    } finally {
      SilodProcess.deleteTree(images);
    }
    d = SilodProcess.start(shortBase(), false);
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.docker("rm", "-f", "srv", "cli");
      d.docker("network", "rm", "n1");
      d.close();
    }
    if (registry != null) {
      registry.destroy();
      if (!registry.waitFor(10, TimeUnit.SECONDS)) {
        registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (registryDir != null) {
      SilodProcess.deleteTree(registryDir);
    }
  }

  private static String host() {
    return "127.0.0.1:" + registryPort;
  }

  private static Path shortBase() throws IOException {
    // containers' attach sockets under the exec root must fit sun_path
    return Files.createDirectories(
        Path.of("/tmp/sm-" + UUID.randomUUID().toString().substring(0, 8)));
  }

  private static SilodProcess.Result ok(SilodProcess s, String... args) {
    SilodProcess.Result r = s.docker(args);
    assertThat(r.exit()).as("docker " + String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  @Test
  @Order(10)
  void pullFromALocalRegistryThenRunIt() {
    String ref = host() + "/busybox:latest";
    SilodProcess.Result pull = ok(d, "pull", ref);
    assertThat(pull.out()).contains("Pull complete").contains("Digest: sha256:");
    assertThat(ok(d, "images", "--format", "{{.Repository}}:{{.Tag}}").out().lines()).contains(ref);
    SilodProcess.Result run = d.docker("run", "--rm", ref, "echo", "pulled and ran");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("pulled and ran\n");
    assertThat(ok(d, "ps", "-aq").out()).isBlank();
    SilodProcess.Result again = ok(d, "pull", ref);
    assertThat(again.out()).contains("Image is up to date for " + ref);
  }

  @Test
  @Order(20)
  void aDaemonKilledMidPullLeavesNoHalfImageAndPullsAgain() throws Exception {
    try (StallingProxy proxy = new StallingProxy(registryPort);
        SilodProcess k = SilodProcess.start(shortBase(), false)) {
      String ref = "127.0.0.1:" + proxy.port() + "/busybox:latest";
      Path store = k.dataRoot.resolve("image/images");
      ProcessBuilder pb =
          new ProcessBuilder("/usr/local/bin/docker", "pull", ref)
              .redirectErrorStream(true)
              .redirectOutput(k.base.resolve("pull.out").toFile());
      pb.environment().put("DOCKER_HOST", "unix://" + k.socket);
      pb.environment().put("DOCKER_CONFIG", k.base.resolve("docker-config").toString());
      Process cli = pb.start();
      try {
        assertThat(proxy.stalled.await(30, TimeUnit.SECONDS))
            .as("the layer download reached the proxy")
            .isTrue();
        SilodProcess.until(
            "a partial blob in the store's tmp/", () -> !children(store.resolve("tmp")).isEmpty());
        k.process.destroyForcibly(); // SIGKILL in the middle of the pull
        assertThat(k.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as("the CLI's pull failed with the daemon").isNotZero();
      } finally {
        cli.destroyForcibly();
      }
      assertThat(children(store.resolve("tmp"))).as("left by the killed pull").isNotEmpty();
      assertThat(children(store.resolve("layers"))).isEmpty();

      proxy.release();
      k.restart();
      assertThat(ok(k, "images", "-a", "-q").out()).as("no half-written image").isBlank();
      assertThat(children(store.resolve("tmp"))).as("tmp/ cleared at the restart").isEmpty();
      assertThat(children(store.resolve("layers"))).isEmpty();
      // a blob kept from before the kill (the small config) is whole: its content has its name
      for (String blob : children(store.resolve("blobs/sha256"))) {
        assertThat(sha256(store.resolve("blobs/sha256/" + blob)))
            .as("blob " + blob)
            .isEqualTo(blob);
      }

      SilodProcess.Result again = ok(k, "pull", ref);
      assertThat(again.out()).contains("Pull complete");
      assertThat(ok(k, "images", "--format", "{{.Repository}}:{{.Tag}}").out().lines())
          .containsExactly(ref);
      assertThat(children(store.resolve("tmp"))).isEmpty();
      SilodProcess.Result run = k.docker("run", "--rm", ref, "echo", "after the kill");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("after the kill\n");
    }
  }

  @Test
  @Order(30)
  void twoContainersOnAUserNatNetworkReachEachOtherByAddress() throws Exception {
    String image = host() + "/busybox:latest";
    ok(d, "pull", image);
    List<String> endpointsBefore = d.endpoints();
    ok(d, "network", "create", "-d", "nat", "--subnet", "10.93.7.0/24", "n1");
    Path www = Files.createDirectories(d.base.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello over n1\n");
    ok(
        d,
        "run",
        "-d",
        "--name",
        "srv",
        "--network",
        "n1",
        "-v",
        www + ":/www:ro",
        image,
        "busybox",
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/www");
    JsonNode srv = SilodProcess.JSON.readTree(ok(d, "inspect", "srv").out()).get(0);
    String ip = srv.path("NetworkSettings").path("Networks").path("n1").path("IPAddress").asText();
    if (ip.isEmpty()) {
      ip = srv.path("NetworkSettings").path("IPAddress").asText();
    }
    assertThat(ip).startsWith("10.93.7.");
    final String addr = ip;
    SilodProcess.Result[] last = new SilodProcess.Result[1];
    SilodProcess.until(
        "the client container reaches " + addr,
        () -> {
          // Debian's static busybox wget segfaults (on the host too): nc speaks the request
          last[0] =
              d.docker(
                  "run",
                  "--rm",
                  "--network",
                  "n1",
                  image,
                  "sh",
                  "-c",
                  "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + addr + " 80");
          return last[0].exit() == 0 && last[0].out().contains("200 OK");
        });
    assertThat(last[0].out()).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nhello over n1\n");

    ok(d, "rm", "-f", "srv");
    ok(d, "network", "rm", "n1");
    assertThat(ok(d, "ps", "-aq").out()).isBlank();
    assertThat(ok(d, "network", "ls", "--format", "{{.Name}}").out().lines()).doesNotContain("n1");
    assertThat(d.endpoints()).isEqualTo(endpointsBefore).isEmpty();
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static List<String> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A loopback TCP proxy in front of the registry that, once a blob is asked for, passes the answer
   * on until the first few KiB of a large one, then holds it until {@link #release}: the pull is
   * then in flight with a partial blob.
   */
  static final class StallingProxy implements AutoCloseable {
    private static final int PASS = 16 * 1024;
    final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new ArrayList<>();

    StallingProxy(int target) throws IOException {
      this.target = target;
      this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    int port() {
      return server.getLocalPort();
    }

    void release() {
      released.countDown();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket c = server.accept();
          Socket r = new Socket(InetAddress.getLoopbackAddress(), target);
          synchronized (sockets) {
            sockets.add(c);
            sockets.add(r);
          }
          boolean[] blob = {false};
          Thread.ofVirtual().start(() -> pump(c, r, blob, false));
          Thread.ofVirtual().start(() -> pump(r, c, blob, true));
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Copies {@code from} to {@code to}; the answers of a blob GET are held after PASS bytes. */
    private void pump(Socket from, Socket to, boolean[] blob, boolean answers) {
      byte[] buf = new byte[4096];
      long sinceBlob = 0;
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) > 0) {
          if (!answers) {
            String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            if (s.startsWith("GET ") && s.contains("/blobs/sha256:")) {
              synchronized (blob) {
                blob[0] = true;
              }
            }
          } else {
            boolean inBlob;
            synchronized (blob) {
              inBlob = blob[0];
            }
            if (inBlob) {
              sinceBlob += n;
              if (sinceBlob > PASS && released.getCount() > 0) {
                out.write(buf, 0, n);
                out.flush();
                stalled.countDown();
                released.await();
                continue;
              }
            }
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          to.shutdownOutput();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      released.countDown();
      server.close();
      synchronized (sockets) {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }
}
