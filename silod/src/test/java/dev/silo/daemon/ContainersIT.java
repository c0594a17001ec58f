package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.linux.cgroup.CgroupDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Containers through the stock docker CLI against a real silod in its own netns: images loaded,
 * tagged, removed and saved; {@code docker run} with output and exit codes through attach and wait;
 * a published port answered over the HNS NAT; logs; stop/start; a SIGKILLed daemon whose running
 * container survives and is re-attached; and dockerd's errors for bad input, each leaving no
 * container directory, compute system, cgroup, mount, HNS endpoint or nft element behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersIT {
  private static final String IMAGE = "busybox:latest";
  private static final int PORT = 18080;

  private static SilodProcess d;
  private static Path archive;
  private static Path www;
  private static @Nullable Process restarted;

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("sc");
    archive = d.busyboxArchive(IMAGE);
    www = Files.createDirectories(d.base.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello from silo\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.docker("rm", "-f", "web", "logger");
    }
    if (restarted != null && restarted.isAlive()) {
      restarted.destroyForcibly();
      restarted.waitFor(30, TimeUnit.SECONDS);
    }
    if (d != null) {
      d.close();
    }
  }

  @Test
  @Order(10)
  void imagesAreLoadedTaggedRemovedAndSaved() throws Exception {
    assertThat(d.ok("load", "-i", archive.toString()).out()).contains("Loaded image: " + IMAGE);
    String id = d.ok("images", "-q", "--no-trunc", "busybox").out().strip();
    assertThat(id).startsWith("sha256:");

    d.ok("tag", "busybox", "silo/bb:1");
    assertThat(d.ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").out().lines())
        .contains("silo/bb:1 " + id.substring(7, 19), "busybox:latest " + id.substring(7, 19));
    assertThat(d.ok("history", "-q", "silo/bb:1").out()).contains(id.substring(7, 19));
    assertThat(d.ok("rmi", "silo/bb:1").out()).contains("Untagged: silo/bb:1");
    assertThat(d.ok("image", "inspect", "busybox", "--format", "{{.Id}}").out().strip())
        .isEqualTo(id);

    Path saved = d.base.resolve("saved.tar");
    d.ok("save", "-o", saved.toString(), "busybox");
    d.ok("tag", "busybox", "silo/keep:1"); // keeps the layers while busybox is removed
    d.ok("rmi", "busybox");
    assertThat(d.docker("image", "inspect", "busybox").err()).contains("No such image: busybox");
    assertThat(d.ok("load", "-i", saved.toString()).out()).contains("Loaded image: " + IMAGE);
    assertThat(d.ok("images", "-q", "--no-trunc", "busybox").out().strip()).isEqualTo(id);
    d.ok("rmi", "silo/keep:1");
  }

  @Test
  @Order(20)
  void runPrintsTheOutputAndPassesTheExitCode() throws IOException {
    SilodProcess.Result hi = d.docker("run", "--rm", IMAGE, "echo", "hi");
    assertThat(hi.exit()).as(hi.err()).isZero();
    assertThat(hi.out()).isEqualTo("hi\n");

    SilodProcess.Result three = d.docker("run", "--rm", IMAGE, "sh", "-c", "echo oops >&2; exit 3");
    assertThat(three.exit()).isEqualTo(3);
    assertThat(three.err()).contains("oops");

    // dockerd's environment: PATH, HOSTNAME (the short id), then the body's; HOME from the user
    assertThat(d.ok("run", "--rm", "-e", "A=1", IMAGE, "env").out().lines().toList())
        .satisfiesExactly(
            path ->
                assertThat(path)
                    .isEqualTo("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            host -> assertThat(host).matches("HOSTNAME=[0-9a-f]{12}"),
            a -> assertThat(a).isEqualTo("A=1"),
            home -> assertThat(home).isEqualTo("HOME=/root"));

    assertThat(d.ok("ps", "-aq").out()).as("--rm removed all three").isBlank();
    assertThat(SilodProcess.names(d.dataRoot.resolve("containers"))).isEmpty();
    assertThat(SilodProcess.names(d.execRoot.resolve("hcs"))).isEmpty();
  }

  @Test
  @Order(30)
  void aPublishedPortIsAnsweredAndTheStateShows() throws Exception {
    String id =
        d.ok(
                "run",
                "-d",
                "--name",
                "web",
                "-p",
                "127.0.0.1:" + PORT + ":80",
                "-v",
                www + ":/www:ro",
                IMAGE,
                "busybox",
                "httpd",
                "-f",
                "-v",
                "-p",
                "80",
                "-h",
                "/www")
            .out()
            .strip();
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(d.hostGet(PORT)).isEqualTo("hello from silo\n");

    JsonNode c = SilodProcess.JSON.readTree(d.ok("inspect", "web").out()).get(0);
    assertThat(c.path("State").path("Status").asText()).isEqualTo("running");
    assertThat(c.path("State").path("Pid").asInt()).isPositive();
    assertThat(c.path("NetworkSettings").path("IPAddress").asText()).startsWith("172.");
    assertThat(
            c.path("NetworkSettings").path("Ports").path("80/tcp").get(0).path("HostPort").asText())
        .isEqualTo(Integer.toString(PORT));
    assertThat(d.ok("ps", "--format", "{{.Names}} {{.Status}} {{.Ports}}").out())
        .contains("web Up")
        .contains("127.0.0.1:" + PORT + "->80/tcp");
    assertThat(cgroupExists(id)).isTrue();
    assertThat(d.curl("GET", "/hcs/v2/systems/" + id, null).json().path("Owner").asText())
        .as("the compute system's Owner, as Docker on Windows sets it")
        .isEqualTo("docker");
    assertThat(SilodProcess.containerCgroups())
        .as("the listing sees container cgroups")
        .anyMatch(n -> n.endsWith(id));
    assertThat(d.endpoints()).hasSize(1);
    SilodProcess.until(
        "the request in the log", () -> d.docker("logs", "web").err().contains("response:200"));
  }

  @Test
  @Order(40)
  void theContainerOutlivesASigkilledDaemon() throws Exception {
    String logsBefore = d.ok("logs", "web").err();
    int pid =
        SilodProcess.JSON
            .readTree(d.ok("inspect", "web").out())
            .get(0)
            .path("State")
            .path("Pid")
            .asInt();
    d.process.destroyForcibly(); // SIGKILL
    assertThat(d.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.exists(Path.of("/proc/" + pid))).as("the container runs on").isTrue();
    assertThat(d.hostGet(PORT)).isEqualTo("hello from silo\n");

    restarted = SilodProcess.launch(d.base, d.socket, d.netns, d.log);
    SilodProcess.until("silod answers again", () -> d.curl("GET", "/_ping", null).status() == 200);
    assertThat(d.ok("ps", "--format", "{{.Names}} {{.Status}}").out()).contains("web Up");
    assertThat(
            SilodProcess.JSON
                .readTree(d.ok("inspect", "web").out())
                .get(0)
                .path("State")
                .path("Pid")
                .asInt())
        .isEqualTo(pid);
    assertThat(d.ok("logs", "web").err()).startsWith(logsBefore);
    assertThat(d.hostGet(PORT)).isEqualTo("hello from silo\n");
    assertThat(d.logText()).contains("still running (pid " + pid + "): re-attached");
  }

  @Test
  @Order(50)
  void stopAndStartAgain() throws Exception {
    d.ok("stop", "-t", "1", "web");
    assertThat(d.ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").out())
        .contains("web Exited (137)");
    assertThat(d.ok("inspect", "web", "--format", "{{.State.Running}}").out().strip())
        .isEqualTo("false");
    d.ok("start", "web");
    assertThat(d.hostGet(PORT)).isEqualTo("hello from silo\n");
    assertThat(d.ok("ps", "--format", "{{.Names}}").out().lines()).contains("web");
  }

  @Test
  @Order(55)
  void execTopAndPauseInTheRunningContainer() {
    SilodProcess.Result e = d.docker("exec", "web", "sh", "-c", "echo out; echo err >&2; exit 5");
    assertThat(e.exit()).isEqualTo(5);
    assertThat(e.out()).isEqualTo("out\n");
    assertThat(e.err()).isEqualTo("err\n");
    assertThat(d.ok("exec", "web", "cat", "/www/index.html").out()).isEqualTo("hello from silo\n");
    String webHost = d.ok("inspect", "web", "--format", "{{.Config.Hostname}}").out().strip();
    assertThat(d.ok("exec", "web", "env").out()).contains("HOSTNAME=" + webHost + "\n");
    SilodProcess.Result missing = d.docker("exec", "web", "/no/such/program");
    assertThat(missing.exit()).isEqualTo(127);
    assertThat(missing.out() + missing.err()).contains("/no/such/program");
    assertThat(d.ok("exec", "-t", "web", "busybox", "tty").out().strip()).startsWith("/dev/pts/");

    assertThat(d.ok("top", "web").out()).contains("busybox httpd -f -v -p 80 -h /www");
    d.ok("pause", "web");
    assertThat(d.ok("ps", "--format", "{{.Names}} {{.Status}}").out()).contains("(Paused)");
    d.ok("unpause", "web");
    assertThat(d.hostGet(PORT)).isEqualTo("hello from silo\n");
  }

  @Test
  @Order(56)
  void longRunningExecsLeaveTheDaemonAnswering() throws Exception {
    // two attached execs read their processes' pipes for 20 s; the daemon must go on answering
    List<Process> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        ProcessBuilder pb =
            new ProcessBuilder("/usr/local/bin/docker", "exec", "web", "sleep", "20" + i)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DOCKER_HOST", "unix://" + d.socket);
        pb.environment().put("DOCKER_CONFIG", d.base.resolve("docker-config").toString());
        clients.add(pb.start());
      }
      SilodProcess.until(
          "both execs run and docker top answers while they do",
          () -> {
            String top = d.docker("top", "web").out();
            return top.contains("sleep 200") && top.contains("sleep 201");
          });
      assertThat(d.ok("ps", "--format", "{{.Names}}").out()).contains("web");
    } finally {
      d.docker("exec", "web", "sh", "-c", "kill $(pidof sleep)");
      for (Process c : clients) {
        c.destroyForcibly();
        c.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(60)
  void logsFollowEndsWhenTheContainerExits() {
    d.ok(
        "run",
        "-d",
        "--name",
        "logger",
        IMAGE,
        "sh",
        "-c",
        "echo one; sleep 1; echo two >&2; echo three");
    SilodProcess.Result f = d.ok("logs", "-f", "logger");
    assertThat(f.out()).isEqualTo("one\nthree\n");
    assertThat(f.err()).isEqualTo("two\n");
    SilodProcess.Http tail = d.curl("GET", "/v1.47/containers/logger/logs?stdout=1&tail=1", null);
    assertThat(tail.body())
        .as("the last stdout line (stderr's place among them is the monitor's read order)")
        .endsWith("three\n")
        .doesNotContain("one")
        .doesNotContain("two");
    assertThat(d.ok("logs", "-t", "logger").out())
        .matches("(?s)\\d{4}-\\d\\d-\\d\\dT[^ ]+Z one\n.*");
    SilodProcess.Result w = d.ok("wait", "logger");
    assertThat(w.out().strip()).isEqualTo("0");
    d.ok("rm", "logger");
  }

  @Test
  @Order(62)
  void statsReadTheLimitsOfTheCreateBody() {
    d.ok(
        "run", "-d", "--name", "limited", "-m", "64m", "--pids-limit", "20", IMAGE, "sleep", "300");
    SilodProcess.Result st =
        d.ok("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}}", "limited");
    assertThat(st.out().strip()).startsWith("limited ").contains(" / 64MiB").endsWith(" 1");
    d.ok("rm", "-f", "limited");
  }

  @Test
  @Order(66)
  void psFiltersSelectAsDockerdDoes() {
    d.ok("create", "--name", "f-created", "--label", "tier=a", IMAGE, "true");
    assertThat(
            d.docker("run", "--name", "f-exited", "--label", "tier=b", IMAGE, "sh", "-c", "exit 4")
                .exit())
        .isEqualTo(4);
    try {
      assertThat(names("ps", "-a", "--filter", "status=created")).containsExactly("f-created");
      assertThat(names("ps", "-a", "--filter", "exited=4")).containsExactly("f-exited");
      assertThat(names("ps", "--filter", "status=running")).containsExactly("web");
      assertThat(names("ps", "-a", "--filter", "label=tier")).containsOnly("f-created", "f-exited");
      assertThat(names("ps", "-a", "--filter", "label=tier=b")).containsExactly("f-exited");
      assertThat(names("ps", "-a", "--filter", "name=^f-"))
          .as("a name filter is a regular expression")
          .containsOnly("f-created", "f-exited");
      assertThat(names("ps", "-a", "--filter", "name=^/web$")).containsExactly("web");
      assertThat(names("ps", "-a", "--filter", "since=f-created")).containsExactly("f-exited");
      assertThat(names("ps", "-a", "--filter", "before=f-created")).containsExactly("web");
      assertThat(names("ps", "-a", "--filter", "ancestor=" + IMAGE))
          .containsOnly("web", "f-created", "f-exited");

      SilodProcess.Result badStatus = d.docker("ps", "--filter", "status=sleeping");
      assertThat(badStatus.exit()).isNotZero();
      assertThat(badStatus.err()).contains("invalid filter 'status=sleeping'");
      SilodProcess.Result badKey = d.docker("ps", "--filter", "colour=red");
      assertThat(badKey.exit()).isNotZero();
      assertThat(badKey.err()).contains("invalid filter 'colour'");
      SilodProcess.Result badName = d.docker("ps", "--filter", "name=(");
      assertThat(badName.exit()).isNotZero();
      assertThat(badName.err()).contains("invalid filter 'name=('");
      SilodProcess.Result noSuch = d.docker("ps", "--filter", "since=nosuch");
      assertThat(noSuch.exit()).isNotZero();
      assertThat(noSuch.err()).contains("No such container: nosuch");
    } finally {
      d.ok("rm", "-f", "f-created", "f-exited");
    }
  }

  private static List<String> names(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--format", "{{.Names}}"));
    return d.ok(all.toArray(String[]::new)).out().lines().toList();
  }

  @Test
  @Order(69)
  void logsKeepTheOrderOfWritesToStdoutAndStderr() throws Exception {
    try {
      d.ok(
          "run",
          "-d",
          "--name",
          "pairs",
          IMAGE,
          "sh",
          "-c",
          "i=0; while [ $i -lt 10 ]; do echo err$i >&2; echo out$i; usleep 100000; i=$((i+1)); done");
      assertThat(d.ok("wait", "pairs").out().strip()).isEqualTo("0");
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        expected.append("err").append(i).append('\n').append("out").append(i).append('\n');
      }
      // the CLI writes each frame as it comes, so one pipe for both keeps the daemon's order
      SilodProcess.Result merged =
          SilodProcess.run(
              List.of("sh", "-c", "/usr/local/bin/docker logs -t pairs 2>&1"),
              Map.of(
                  "DOCKER_HOST",
                  "unix://" + d.socket,
                  "DOCKER_CONFIG",
                  d.base.resolve("docker-config").toString()));
      assertThat(merged.exit()).isZero();
      List<String> lines = merged.out().lines().toList();
      assertThat(
              String.join("\n", lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList())
                  + "\n")
          .isEqualTo(expected.toString());
      List<String> times = lines.stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
      assertThat(times)
          .isSortedAccordingTo(java.util.Comparator.comparing(java.time.Instant::parse));
      List<String> file =
          Files.readAllLines(
              Path.of(d.ok("inspect", "pairs", "--format", "{{.LogPath}}").out().strip()));
      assertThat(file).hasSize(20);
      assertThat(file.get(0)).startsWith("{\"log\":\"err0\\n\",\"stream\":\"stderr\"");
      assertThat(file.get(1)).startsWith("{\"log\":\"out0\\n\",\"stream\":\"stdout\"");
      d.ok("rm", "pairs");
    } finally {
      d.docker("rm", "-f", "pairs"); // a failure leaves nothing to later tests
    }
  }

  @Test
  @Order(70)
  void badInputIsRefusedAndLeavesNothing() throws Exception {
    String before = everything();

    SilodProcess.Http unknown =
        d.curl("POST", "/v1.47/containers/create", "{\"Image\":\"nosuch:1\"}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("message").asText()).isEqualTo("No such image: nosuch:1");

    SilodProcess.Http wrongType =
        d.curl(
            "POST",
            "/v1.47/containers/create",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":\"lots\"}}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().path("message").asText())
        .isEqualTo(
            "json: cannot unmarshal string into Go struct field HostConfig.HostConfig.Memory of"
                + " type int64");
    SilodProcess.Http malformed = d.curl("POST", "/v1.47/containers/create", "{\"Image\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("message").asText()).startsWith("invalid JSON: ");

    String webId = d.ok("inspect", "web", "--format", "{{.Id}}").out().strip();
    SilodProcess.Result conflict = d.docker("create", "--name", "web", IMAGE, "true");
    assertThat(conflict.exit()).isNotZero();
    assertThat(conflict.err())
        .contains(
            "Conflict. The container name \"/web\" is already in use by container \""
                + webId
                + "\". You have to remove (or rename) that container to be able to reuse that"
                + " name.");

    SilodProcess.Http badPort =
        d.curl(
            "POST",
            "/v1.47/containers/create",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}}");
    assertThat(badPort.status()).isEqualTo(400);
    assertThat(badPort.json().path("message").asText())
        .isEqualTo("invalid port specification: \"99999\"");

    SilodProcess.Http taken =
        d.curl(
            "POST",
            "/v1.47/containers/create",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\""
                + PORT
                + "\"}]}}}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().path("message").asText()).contains("port is already allocated");

    SilodProcess.Http badPolicy =
        d.curl(
            "POST",
            "/v1.47/containers/create",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}");
    assertThat(badPolicy.status()).isEqualTo(400);
    assertThat(badPolicy.json().path("message").asText())
        .isEqualTo(
            "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always',"
                + " 'on-failure', or 'unless-stopped'");
    SilodProcess.Http rmAndRestart =
        d.curl(
            "POST",
            "/v1.47/containers/create",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,"
                + "\"RestartPolicy\":{\"Name\":\"always\"}}}");
    assertThat(rmAndRestart.status()).isEqualTo(400);
    assertThat(rmAndRestart.json().path("message").asText())
        .isEqualTo("can't create 'AutoRemove' container with restart policy");

    SilodProcess.Result hyperv = d.docker("run", "--isolation", "hyperv", IMAGE, "true");
    assertThat(hyperv.exit()).isNotZero();
    assertThat(hyperv.err()).contains("Hyper-V isolation is not available on this host");

    SilodProcess.Result missingCmd = d.docker("run", IMAGE, "/no/such/program");
    assertThat(missingCmd.exit()).isNotZero();
    assertThat(missingCmd.err()).contains("/no/such/program");

    SilodProcess.Result running = d.docker("rm", "web");
    assertThat(running.exit()).isNotZero();
    assertThat(running.err())
        .contains(
            "cannot remove container \"/web\": container is running: stop the container before"
                + " removing or force remove");

    SilodProcess.Result rmi = d.docker("rmi", "-f", IMAGE);
    assertThat(rmi.exit()).isNotZero();
    assertThat(rmi.err()).contains("(cannot be forced) - image is being used by a container");
    d.ok("image", "inspect", IMAGE);

    assertThat(everything()).isEqualTo(before);
  }

  @Test
  @Order(80)
  void forceRemoveLeavesNothing() throws Exception {
    String id = d.ok("inspect", "web", "--format", "{{.Id}}").out().strip();
    String nftBefore = nft();
    assertThat(nftBefore).contains(" . " + PORT + " ");
    d.ok("rm", "-f", "web");
    assertThat(d.ok("ps", "-aq").out()).isBlank();
    assertThat(SilodProcess.names(d.dataRoot.resolve("containers"))).isEmpty();
    assertThat(SilodProcess.names(d.execRoot.resolve("hcs"))).isEmpty();
    assertThat(cgroupExists(id)).isFalse();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(d.base.toString());
    assertThat(d.endpoints()).isEmpty();
    assertThat(nft()).doesNotContain(" . " + PORT + " ");
  }

  // ---- helpers

  private static String nft() {
    return SilodProcess.run(
            List.of("ip", "netns", "exec", d.netns, "nft", "list", "ruleset"), Map.of())
        .out();
  }

  /** What bad input must not change: records, compute systems, mounts, HNS and the kernel. */
  private static String everything() throws IOException {
    String mounts =
        Files.readString(Path.of("/proc/self/mountinfo"))
            .lines()
            .filter(l -> l.contains(d.base.toString()))
            .map(l -> l.split(" ")[4])
            .sorted()
            .toList()
            .toString();
    return String.join(
        "\n---\n",
        d.kernelAndStore(),
        SilodProcess.names(d.dataRoot.resolve("containers")).toString(),
        SilodProcess.names(d.execRoot.resolve("hcs")).toString(),
        mounts,
        SilodProcess.containerCgroups().toString(),
        d.ok("ps", "-a", "--format", "{{.ID}} {{.Names}}").out());
  }

  private static boolean cgroupExists(String id) {
    try {
      return CgroupDriver.detect().open("", id).exists();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
