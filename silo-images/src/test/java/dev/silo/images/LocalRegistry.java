package dev.silo.images;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on a free 127.0.0.1 port with its storage in
 * a temp dir, for the length of a test class.
 */
final class LocalRegistry implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private final Process process;
  private final int port;

  private LocalRegistry(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static LocalRegistry start(Path dir) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY
              + " is missing: apt-get install -y docker-registry (the IT needs a real registry)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path storage = Files.createDirectories(dir.resolve("storage"));
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        """
            .formatted(storage, port));
    Process p =
        new ProcessBuilder(BINARY.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    LocalRegistry r = new LocalRegistry(p, port);
    try {
      r.awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      r.close();
      throw e;
    }
    return r;
  }

  /** {@code 127.0.0.1:PORT}, the registry part of references. */
  String host() {
    return "127.0.0.1:" + port;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new IOException("docker-registry did not answer on " + host() + " within 30 s");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
