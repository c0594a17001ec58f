package dev.silo.daemon;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers (stock, from Maven Central) against silod: run by {@link ClientsIT} in a JVM of
 * its own inside the daemon's netns (where published ports are reached), with {@code DOCKER_HOST}
 * the daemon's socket. Prints one line per check; a failed check throws (exit 1).
 *
 * <p>argv: IMAGE (already loaded into the daemon; never pulled).
 */
public final class TestcontainersClient {
  private TestcontainersClient() {}

  public static void main(String[] args) throws Exception {
    DockerImageName image = DockerImageName.parse(args[0]);
    var info = DockerClientFactory.instance().client().infoCmd().exec();
    System.out.println("INFO " + info.getOperatingSystem() + " " + info.getOsType());

    try (GenericContainer<?> web =
        new GenericContainer<>(image)
            .withImagePullPolicy(name -> false)
            // copied into the created container before its start (PUT /containers/{id}/archive)
            .withCopyToContainer(Transferable.of("hello from testcontainers\n"), "/www/index.html")
            .withCommand("busybox", "httpd", "-f", "-v", "-p", "80", "-h", "/www")
            .withExposedPorts(80)
            .waitingFor(Wait.forHttp("/").forStatusCode(200))) {
      web.start();
      System.out.println("ID " + web.getContainerId());
      int port = web.getMappedPort(80);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + web.getHost() + ":" + port + "/"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      check(r.statusCode() == 200, "status " + r.statusCode());
      check(r.body().equals("hello from testcontainers\n"), "body " + r.body());
      System.out.println("HTTP " + web.getHost() + ":" + port + " " + r.body().strip());
    }

    try (GenericContainer<?> echo =
        new GenericContainer<>(image)
            .withImagePullPolicy(name -> false)
            .withCommand("sh", "-c", "echo out-line; echo err-line >&2")
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
      echo.start();
      System.out.println("ID " + echo.getContainerId());
      String logs = echo.getLogs();
      check(logs.contains("out-line") && logs.contains("err-line"), "logs " + logs);
      System.out.println("LOGS " + logs.strip().replace('\n', '|'));
    }

    try (GenericContainer<?> ready =
        new GenericContainer<>(image)
            .withImagePullPolicy(name -> false)
            .withCommand("sh", "-c", "echo booting; echo server is ready; exec sleep 300")
            .waitingFor(
                Wait.forLogMessage(".*server is ready.*\\n", 1)
                    .withStartupTimeout(Duration.ofSeconds(30)))) {
      ready.start();
      System.out.println("ID " + ready.getContainerId());
      check(ready.isRunning(), "not running after the log wait");
      System.out.println("WAITED " + ready.getContainerId());
      ready.copyFileToContainer(Transferable.of("copied while running\n"), "/tmp/tc/in.txt");
      var cat = ready.execInContainer("cat", "/tmp/tc/in.txt");
      check(cat.getStdout().equals("copied while running\n"), "exec cat " + cat);
      String back =
          ready.copyFileFromContainer(
              "/tmp/tc/in.txt", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
      check(back.equals("copied while running\n"), "copied back " + back);
      System.out.println("COPIED " + back.strip());
    }

    // a health check in the create body (HealthCheck of docker-java), waited on by its status
    try (GenericContainer<?> healthy =
        new GenericContainer<>(image)
            .withImagePullPolicy(name -> false)
            .withCommand("sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 300")
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.withHealthcheck(
                        new com.github.dockerjava.api.model.HealthCheck()
                            .withTest(java.util.List.of("CMD-SHELL", "test -f /tmp/ready"))
                            .withInterval(Duration.ofSeconds(1).toNanos())
                            .withRetries(30)))
            .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(30)))) {
      healthy.start();
      System.out.println("ID " + healthy.getContainerId());
      var health = healthy.getCurrentContainerInfo().getState().getHealth();
      check(health != null && "healthy".equals(health.getStatus()), "health " + health);
      System.out.println("HEALTHY " + health.getStatus());
    }
    System.out.println("DONE");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
