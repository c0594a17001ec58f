package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.cgroup.CgroupDriver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real third-party Docker clients against a real silod: Testcontainers (Java, docker-java inside)
 * and docker-py (Debian's python3-docker). Each client runs as its own process inside the daemon's
 * netns (where published ports are reached on 127.0.0.1) with the daemon's socket; the image is
 * loaded first and never pulled. After each test no container record, compute system, cgroup, mount
 * or HNS endpoint is left.
 */
class ClientsIT {
  private static final String IMAGE = "busybox:latest";
  private static final long CLIENT_TIMEOUT_SECONDS = 240;

  private static SilodProcess d;
  private final List<String> created = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("sk");
    d.loadBusybox(IMAGE);
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      for (String id : d.docker("ps", "-aq").out().lines().toList()) {
        d.docker("rm", "-f", id);
      }
      d.close();
      assertThat(d.base).doesNotExist();
    }
  }

  @AfterEach
  void nothingIsLeft() throws IOException {
    assertThat(d.docker("ps", "-aq").out()).as("containers").isBlank();
    assertThat(SilodProcess.names(d.dataRoot.resolve("containers")))
        .as("container records")
        .isEmpty();
    assertThat(SilodProcess.names(d.execRoot.resolve("hcs"))).as("compute systems").isEmpty();
    assertThat(created).as("the client reported its containers").isNotEmpty();
    assertThat(cgroupsOf(created)).as("container cgroups left").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .as("mounts")
        .doesNotContain(d.base.toString());
    assertThat(d.curl("GET", "/hns/v2/endpoints", null).json()).as("HNS endpoints").isEmpty();
  }

  @Test
  void testcontainersRunsAGenericContainerWithAMappedPortLogsAndWaitStrategies() throws Exception {
    List<String> cmd =
        List.of(
            "ip",
            "netns",
            "exec",
            d.netns,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Duser.home=" + Files.createDirectories(d.base.resolve("home")),
            "-cp",
            System.getProperty("java.class.path"),
            TestcontainersClient.class.getName(),
            IMAGE);
    SilodProcess.Result r =
        client(
            cmd,
            Map.of(
                "DOCKER_HOST", "unix://" + d.socket,
                "TESTCONTAINERS_RYUK_DISABLED", "true",
                "TESTCONTAINERS_CHECKS_DISABLE", "true",
                "TESTCONTAINERS_HOST_OVERRIDE", "localhost"));
    created.addAll(ids(r.out()));
    assertThat(r.exit()).as("Testcontainers client:\n" + r.out() + r.err() + log()).isZero();
    assertThat(r.out())
        .contains("INFO Silo linux")
        .containsPattern("HTTP [0-9a-z.]+:[0-9]+ hello from testcontainers")
        .contains("LOGS out-line", "err-line")
        .contains("WAITED ")
        .contains("COPIED copied while running")
        .contains("HEALTHY healthy")
        .contains("DONE");
    assertThat(d.logText()).as("nothing was pulled").doesNotContain("/images/create");
  }

  @Test
  void dockerPyRunsListsPublishesLogsStopsAndRemoves() throws Exception {
    Path script = d.base.resolve("docker_py_client.py");
    try (InputStream in =
        Objects.requireNonNull(ClientsIT.class.getResourceAsStream("/docker_py_client.py"))) {
      Files.copy(in, script);
    }
    assertThat(Path.of("/usr/lib/python3/dist-packages/docker/api/client.py"))
        .as("python3-docker is installed (./silo installs it; apt-get install python3-docker)")
        .exists();
    SilodProcess.Result r =
        client(
            List.of(
                "ip",
                "netns",
                "exec",
                d.netns,
                "/usr/bin/python3",
                script.toString(),
                d.socket.toString(),
                IMAGE,
                "18081"),
            Map.of());
    created.addAll(ids(r.out()));
    assertThat(r.exit()).as("docker-py client:\n" + r.out() + r.err() + log()).isZero();
    assertThat(r.out())
        .containsPattern("VERSION [0-9.]+ 1\\.4[1-7]")
        .contains("RUN b'hi\\n'")
        .contains("IMAGES busybox:latest")
        .contains("HTTP hello from docker-py")
        .contains("PORTS 127.0.0.1 18081")
        .contains("LOGS ready")
        .contains("STOPPED exited")
        .contains("REMOVED");
  }

  @Test
  void inspectFillsInTheHostConfigDefaultsClientsRead() throws Exception {
    SilodProcess.Http create =
        d.curl(
            "POST",
            "/v1.41/containers/create?name=bare",
            "{\"Image\":\"" + IMAGE + "\",\"Cmd\":[\"true\"]}");
    assertThat(create.status()).as(create.body()).isEqualTo(201);
    String id = create.json().path("Id").asText();
    created.add(id);
    try {
      var hc = d.curl("GET", "/containers/bare/json", null).json().path("HostConfig");
      assertThat(hc.path("LogConfig").path("Type").asText()).isEqualTo("json-file");
      assertThat(hc.path("LogConfig").path("Config").isObject()).isTrue();
      assertThat(hc.path("NetworkMode").asText()).isEqualTo("nat");
      assertThat(hc.path("RestartPolicy").path("Name").asText()).isEqualTo("no");
    } finally {
      assertThat(d.curl("DELETE", "/containers/" + id + "?force=true", null).status())
          .isEqualTo(204);
    }
  }

  // ---- helpers

  private static String log() {
    return "\nsilod log:\n" + d.logText();
  }

  /** Runs a client process with a longer bound than SilodProcess.run (a JVM plus containers). */
  private static SilodProcess.Result client(List<String> cmd, Map<String, String> env)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(d.base, "client-out", ".txt");
    Path err = Files.createTempFile(d.base, "client-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "timed out: " + cmd + "\n" + Files.readString(out) + Files.readString(err) + log());
      }
      return new SilodProcess.Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The container ids a client printed ({@code ID <64 hex>} lines). */
  private static List<String> ids(String out) {
    List<String> ids = new ArrayList<>();
    out.lines().filter(l -> l.matches("ID [0-9a-f]{64}")).forEach(l -> ids.add(l.substring(3)));
    return ids;
  }

  /** Cgroups of these containers that still exist. */
  private static List<String> cgroupsOf(List<String> ids) throws IOException {
    List<String> left = new ArrayList<>();
    for (String id : ids) {
      if (CgroupDriver.detect().open("", id).exists()) {
        left.add(id);
      }
    }
    return left;
  }
}
