package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HostConfig, port and tty points of issue 5 through the stock docker CLI against a real silod
 * in its own netns: host ports the daemon chooses ({@code -p 80}, {@code -p 127.0.0.1::80}, {@code
 * -P}, ranges) answered over HTTP and released at remove; {@code exec -it} and {@code run -it}
 * under a real pty ({@code script}) seeing the CLI's terminal size and typed input; and {@code
 * --init}, {@code --read-only}, {@code --tmpfs}, capabilities, user, workdir, env, labels and
 * limits as the container and its cgroup see them.
 */
class HostConfigIT {
  private static final String IMAGE = "busybox:latest";
  private static final Pattern BINDING = Pattern.compile("80/tcp -> ([0-9.]+):([0-9]+)");

  private static SilodProcess d;
  private static Path www;

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("sh");
    d.loadBusybox(IMAGE);
    www = Files.createDirectories(d.base.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello from silo\n");
  }

  @AfterEach
  void removeContainers() {
    String ids = d.docker("ps", "-aq").out().strip();
    if (!ids.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
      cmd.addAll(ids.lines().toList());
      d.docker(cmd.toArray(String[]::new));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (d == null) {
      return;
    }
    try {
      assertThat(d.curl("GET", "/hns/v2/endpoints", null).json()).as("no endpoint left").isEmpty();
      assertThat(SilodProcess.names(d.dataRoot.resolve("containers")))
          .as("no container left")
          .isEmpty();
      assertThat(SilodProcess.names(d.execRoot.resolve("hcs")))
          .as("no compute system left")
          .isEmpty();
      assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
          .as("no mount left")
          .doesNotContain(d.base.toString());
    } finally {
      d.close();
    }
  }

  // ---- ports

  @Test
  void theDaemonChoosesFreeHostPortsFromTheKernelRange() throws Exception {
    String[] range =
        inNetns("cat", "/proc/sys/net/ipv4/ip_local_port_range").strip().split("\\s+", -1);
    int lo = Integer.parseInt(range[0]);
    int hi = Integer.parseInt(range[1]);

    httpd("any", "-p", "80");
    httpd("local", "-p", "127.0.0.1::80");
    Matcher any = binding(d.ok("port", "any").out());
    String local = d.ok("port", "local", "80/tcp").out().strip();
    assertThat(any.group(1)).isEqualTo("0.0.0.0");
    assertThat(local).matches("127\\.0\\.0\\.1:[0-9]+");
    int p1 = Integer.parseInt(any.group(2));
    int p2 = Integer.parseInt(local.substring(local.indexOf(':') + 1));
    assertThat(p1).isBetween(lo, hi);
    assertThat(p2).isBetween(lo, hi).isNotEqualTo(p1);

    assertThat(d.hostGet(p1)).isEqualTo("hello from silo\n");
    assertThat(d.hostGet(p2)).isEqualTo("hello from silo\n");
    assertThat(d.ok("ps", "--format", "{{.Names}} {{.Ports}}").out())
        .contains("any 0.0.0.0:" + p1 + "->80/tcp")
        .contains("local 127.0.0.1:" + p2 + "->80/tcp");
    JsonNode c = inspect("any");
    assertThat(
            c.path("NetworkSettings").path("Ports").path("80/tcp").get(0).path("HostPort").asText())
        .isEqualTo(Integer.toString(p1));
    assertThat(
            c.path("HostConfig")
                .path("PortBindings")
                .path("80/tcp")
                .get(0)
                .path("HostPort")
                .asText())
        .as("the create body as asked")
        .isEmpty();

    // removed, its port is free again: a fixed binding to it works and answers
    d.ok("rm", "-f", "any");
    assertThat(nft()).doesNotContain(" . " + p1 + " ");
    httpd("again", "-p", p1 + ":80");
    assertThat(d.hostGet(p1)).isEqualTo("hello from silo\n");
  }

  @Test
  void publishAllPublishesExposedPortsAndUnpublishedOnesShowWithoutAHost() throws Exception {
    d.ok(
        "run",
        "-d",
        "--name",
        "all",
        "-P",
        "--expose",
        "80",
        "--expose",
        "53/udp",
        "-v",
        www + ":/www:ro",
        IMAGE,
        "busybox",
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/www");
    String ports = d.ok("port", "all").out();
    assertThat(ports).containsPattern("53/udp -> 0\\.0\\.0\\.0:[0-9]+");
    int p = Integer.parseInt(binding(ports).group(2));
    assertThat(d.hostGet(p)).isEqualTo("hello from silo\n");

    d.ok("run", "-d", "--name", "exposed", "--expose", "90", IMAGE, "sleep", "300");
    assertThat(inspect("exposed").path("NetworkSettings").path("Ports").toString())
        .isEqualTo("{\"90/tcp\":null}");
    assertThat(d.ok("ps", "--filter", "name=exposed", "--format", "{{.Ports}}").out().strip())
        .isEqualTo("90/tcp");
    assertThat(d.ok("port", "exposed").out()).isBlank();
  }

  @Test
  void aRangeSkipsPortsHeldInTheHostAndFailsWhenFull() throws Exception {
    int x = ThreadLocalRandom.current().nextInt(20000, 30000);
    Process holder =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                d.netns,
                "busybox",
                "httpd",
                "-f",
                "-p",
                "0.0.0.0:" + x,
                "-h",
                d.base.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String hex = ":" + Integer.toHexString(x).toUpperCase(Locale.ROOT) + " ";
      SilodProcess.until(
          "nc listens on " + x,
          () ->
              inNetns("cat", "/proc/net/tcp")
                  .lines()
                  .anyMatch(l -> l.contains(hex) && l.contains(" 0A ")));
      httpd("ranged", "-p", x + "-" + (x + 1) + ":80");
      assertThat(d.ok("port", "ranged").out()).contains("80/tcp -> 0.0.0.0:" + (x + 1));
      assertThat(d.hostGet(x + 1)).isEqualTo("hello from silo\n");
      // the CLI splits a range of container ports into one binding per port
      d.ok(
          "run",
          "-d",
          "--name",
          "pair",
          "-p",
          (x + 2) + "-" + (x + 3) + ":80-81",
          IMAGE,
          "sleep",
          "300");
      assertThat(d.ok("port", "pair").out().lines())
          .containsExactlyInAnyOrder(
              "80/tcp -> 0.0.0.0:" + (x + 2), "81/tcp -> 0.0.0.0:" + (x + 3));

      String before = everything();
      SilodProcess.Result full =
          d.docker("run", "-d", "-p", x + "-" + (x + 1) + ":80", IMAGE, "sleep", "300");
      assertThat(full.exit()).isNotZero();
      assertThat(full.err())
          .contains("Bind for 0.0.0.0:" + x + "-" + (x + 1) + " failed: port is already allocated");
      SilodProcess.Http reversed =
          d.curl(
              "POST",
              "/v1.47/containers/create",
              "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8001-8000\"}]}}}");
      assertThat(reversed.status()).isEqualTo(400);
      assertThat(reversed.json().path("message").asText())
          .isEqualTo("invalid port specification: \"8001-8000\"");
      assertThat(everything()).as("nothing left by the refused creates").isEqualTo(before);
    } finally {
      holder.destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
  }

  // ---- terminals

  @Test
  void execAndRunUnderARealPtySeeItsSizeAndTypedInput() throws Exception {
    d.ok("run", "-d", "--name", "tty", IMAGE, "sleep", "300");
    String exec = pty("stty rows 40 cols 120; docker exec -it tty sh -c 'stty size; tty'", "");
    assertThat(exec).contains("40 120").containsPattern("/dev/pts/[0-9]+");

    String run =
        pty("stty rows 33 cols 99; docker run -it --rm " + IMAGE + " sh -c 'stty size'", "");
    assertThat(run).contains("33 99");

    String typed = pty("docker exec -it tty sh", "echo typed-$((6*7)); exit\n");
    assertThat(typed).contains("typed-42");
    String typedRun = pty("docker run -it --rm " + IMAGE + " sh", "echo run-$((6*7)); exit\n");
    assertThat(typedRun).contains("run-42");
  }

  @Test
  void aResizedTerminalReachesTheContainerThroughBothResizeRoutes() throws Exception {
    // the container's shell waits (bounded) until its pty has the new size, then prints it
    String waitForSize =
        "touch /tmp/started; i=0; while [ \"$(stty size)\" != \"45 130\" ] && [ $i -lt 200 ];"
            + " do sleep 0.05; i=$((i+1)); done; stty size";
    d.ok("run", "-d", "--name", "host", IMAGE, "sleep", "300");
    for (String docker :
        List.of(
            "docker exec -it host sh -c '" + waitForSize + "'",
            "docker run -it --rm --name guest " + IMAGE + " sh -c '" + waitForSize + "'")) {
      String target = docker.contains(" exec ") ? "host" : "guest";
      // the CLI runs in the background on the pty; stty on the pty sends it SIGWINCH, and the CLI
      // posts /exec/{id}/resize or /containers/{id}/resize
      String out =
          pty(
              "stty rows 40 cols 120; "
                  + docker
                  + " </dev/tty & i=0; until docker exec "
                  + target
                  + " test -e /tmp/started || [ $i -ge 200 ]; do sleep 0.05; i=$((i+1)); done;"
                  + " stty rows 45 cols 130; wait",
              "");
      assertThat(out).as(docker).contains("45 130");
      d.docker("exec", "host", "rm", "-f", "/tmp/started");
    }
  }

  @Test
  void theResizeRouteSizesARunningContainersTerminal() throws Exception {
    d.ok(
        "run",
        "-d",
        "-t",
        "--name",
        "sized",
        IMAGE,
        "sh",
        "-c",
        "while [ ! -e /tmp/go ]; do sleep 0.1; done; stty size");
    SilodProcess.Http r = d.curl("POST", "/v1.47/containers/sized/resize?h=50&w=150", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    d.ok("exec", "sized", "touch", "/tmp/go");
    assertThat(d.ok("wait", "sized").out().strip()).isEqualTo("0");
    assertThat(d.ok("logs", "sized").out()).contains("50 150");
  }

  // ---- HostConfig

  @Test
  void initReapsZombiesAndForwardsSignals() throws IOException {
    d.ok("run", "-d", "--name", "init", "--init", IMAGE, "sh", "-c", "(sleep 1 &); exec sleep 300");
    d.ok("run", "-d", "--name", "noinit", IMAGE, "sh", "-c", "(sleep 1 &); exec sleep 300");
    SilodProcess.until(
        "the orphan is a zombie without init",
        () ->
            d.docker("exec", "noinit", "ps", "-o", "stat,comm")
                .out()
                .lines()
                .anyMatch(l -> l.startsWith("Z")));
    String ps = d.ok("exec", "init", "ps", "-o", "pid,stat,comm").out();
    assertThat(ps).containsPattern("(?m)^\\s*1 S\\s+docker-init$");
    SilodProcess.until(
        "init reaped the orphan (it ended before noinit's)",
        () ->
            d.docker("exec", "init", "ps", "-o", "stat,comm")
                .out()
                .lines()
                .noneMatch(l -> l.startsWith("Z")));

    long t0 = System.nanoTime();
    d.ok("stop", "-t", "20", "init");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0))
        .as("SIGTERM reached sleep through the init")
        .isLessThan(10);
    assertThat(inspect("init").path("State").path("ExitCode").asInt()).isEqualTo(143);
  }

  @Test
  void readOnlyRootWithATmpfs() {
    SilodProcess.Result ro = d.docker("run", "--rm", "--read-only", IMAGE, "touch", "/x");
    assertThat(ro.exit()).isNotZero();
    assertThat(ro.err()).contains("Read-only file system");
    SilodProcess.Result tmp = d.docker("run", "--rm", "--read-only", IMAGE, "touch", "/tmp/x");
    assertThat(tmp.err()).as("no tmpfs asked").contains("Read-only file system");
    assertThat(
            d.ok(
                    "run",
                    "--rm",
                    "--read-only",
                    "--tmpfs",
                    "/tmp",
                    "-u",
                    "1000:1000",
                    IMAGE,
                    "sh",
                    "-c",
                    "touch /tmp/x && grep ' /tmp ' /proc/mounts")
                .out())
        .startsWith("tmpfs /tmp tmpfs ")
        .contains("nosuid")
        .contains("nodev")
        .contains("noexec");
  }

  @Test
  void capabilitiesFollowCapAddAndCapDrop() {
    assertThat(capEff("--cap-drop", "ALL")).isZero();
    long defaults = capEff();
    long netAdmin = 1L << 12;
    assertThat(defaults & netAdmin).isZero();
    assertThat(capEff("--cap-add", "NET_ADMIN")).isEqualTo(defaults | netAdmin);
    assertThat(capEff("--cap-drop", "CHOWN")).isEqualTo(defaults & ~1L);

    SilodProcess.Result denied =
        d.docker("run", "--rm", IMAGE, "ip", "addr", "add", "10.99.0.1/32", "dev", "lo");
    assertThat(denied.exit()).isNotZero();
    assertThat(denied.err()).contains("Operation not permitted");
    assertThat(
            d.ok(
                    "run",
                    "--rm",
                    "--cap-add",
                    "NET_ADMIN",
                    IMAGE,
                    "sh",
                    "-c",
                    "ip addr add 10.99.0.1/32 dev lo && ip addr show dev lo")
                .out())
        .contains("10.99.0.1/32");
  }

  @Test
  void userWorkdirEnvAndLabels() {
    assertThat(
            d.ok(
                    "run",
                    "--rm",
                    "-u",
                    "1000:1000",
                    "-w",
                    "/tmp",
                    "-e",
                    "GREETING=hi there",
                    IMAGE,
                    "sh",
                    "-c",
                    "id; pwd; echo \"$GREETING\"")
                .out())
        .isEqualTo("uid=1000 gid=1000\n/tmp\nhi there\n");
    d.ok("run", "-d", "--name", "labelled", "--label", "team=silo", IMAGE, "sleep", "300");
    d.ok("run", "-d", "--name", "plain", IMAGE, "sleep", "300");
    assertThat(d.ok("ps", "--filter", "label=team=silo", "--format", "{{.Names}}").out().strip())
        .isEqualTo("labelled");
    assertThat(d.ok("ps", "--filter", "label=team", "--format", "{{.Names}}").out().strip())
        .isEqualTo("labelled");
    assertThat(d.ok("ps", "--filter", "label=team=other", "--format", "{{.Names}}").out())
        .isBlank();
  }

  @Test
  void limitsShowInInspectAndInTheCgroup() throws Exception {
    String id =
        d.ok(
                "run",
                "-d",
                "--name",
                "limited",
                "-m",
                "64m",
                "--cpus",
                "0.5",
                "--pids-limit",
                "20",
                IMAGE,
                "sleep",
                "300")
            .out()
            .strip();
    JsonNode hc = inspect("limited").path("HostConfig");
    assertThat(hc.path("Memory").asLong()).isEqualTo(64L << 20);
    assertThat(hc.path("NanoCpus").asLong()).isEqualTo(500_000_000L);
    assertThat(hc.path("PidsLimit").asLong()).isEqualTo(20);
    Path v1 = Path.of("/sys/fs/cgroup/memory", id);
    if (Files.isDirectory(v1)) {
      assertThat(read("/sys/fs/cgroup/memory/" + id + "/memory.limit_in_bytes"))
          .isEqualTo(Long.toString(64L << 20));
      assertThat(
              read("/sys/fs/cgroup/cpu/" + id + "/cpu.cfs_quota_us")
                  + "/"
                  + read("/sys/fs/cgroup/cpu/" + id + "/cpu.cfs_period_us"))
          .isEqualTo("50000/100000");
      assertThat(read("/sys/fs/cgroup/pids/" + id + "/pids.max")).isEqualTo("20");
    } else {
      assertThat(read("/sys/fs/cgroup/" + id + "/memory.max")).isEqualTo(Long.toString(64L << 20));
      assertThat(read("/sys/fs/cgroup/" + id + "/cpu.max")).isEqualTo("50000 100000");
      assertThat(read("/sys/fs/cgroup/" + id + "/pids.max")).isEqualTo("20");
    }
  }

  // ---- helpers

  private static void httpd(String name, String... publish) {
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name));
    cmd.addAll(List.of(publish));
    cmd.addAll(
        List.of("-v", www + ":/www:ro", IMAGE, "busybox", "httpd", "-f", "-p", "80", "-h", "/www"));
    d.ok(cmd.toArray(String[]::new));
  }

  private static Matcher binding(String text) {
    Matcher m = BINDING.matcher(text);
    assertThat(m.find()).as("a binding of 80/tcp in: " + text).isTrue();
    return m;
  }

  private static JsonNode inspect(String name) throws IOException {
    return SilodProcess.JSON.readTree(d.ok("inspect", name).out()).get(0);
  }

  private static long capEff(String... flags) {
    List<String> cmd = new ArrayList<>(List.of("run", "--rm"));
    cmd.addAll(List.of(flags));
    cmd.addAll(List.of(IMAGE, "grep", "CapEff", "/proc/self/status"));
    String line = d.ok(cmd.toArray(String[]::new)).out().strip();
    return Long.parseUnsignedLong(line.substring(line.indexOf(':') + 1).strip(), 16);
  }

  /**
   * Runs {@code command} under util-linux {@code script}, so the docker CLI has a pty; {@code
   * input} is typed into it, and stdin stays open until the command ends.
   */
  private static String pty(String command, String input) throws Exception {
    // the pty size is set inside the script command (script's own pty starts at 24x80 here)
    ProcessBuilder pb =
        new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", "unix://" + d.socket);
    pb.environment().put("DOCKER_CONFIG", d.base.resolve("docker-config").toString());
    pb.environment()
        .put("PATH", "/usr/local/bin:" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    p.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    String[] out = new String[1];
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    out[0] =
                        new String(
                            p.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
                  } catch (IOException e) {
                    out[0] = e.toString();
                  }
                });
    boolean done = p.waitFor(SilodProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(SilodProcess.TIMEOUT.toMillis());
    p.getOutputStream().close();
    assertThat(done).as("script " + command + " ended; output: " + out[0]).isTrue();
    assertThat(p.exitValue()).as("script " + command + ": " + out[0]).isZero();
    return out[0];
  }

  private static String inNetns(String... cmd) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", d.netns));
    all.addAll(List.of(cmd));
    return SilodProcess.run(all, Map.of()).out();
  }

  private static String nft() {
    return inNetns("nft", "list", "ruleset");
  }

  /** What a refused create must not change. */
  private static String everything() throws IOException {
    return String.join(
        "\n---\n",
        d.kernelAndStore(),
        SilodProcess.names(d.dataRoot.resolve("containers")).toString(),
        SilodProcess.names(d.execRoot.resolve("hcs")).toString(),
        d.ok("ps", "-a", "--format", "{{.ID}} {{.Names}} {{.Ports}}").out());
  }

  private static String read(String file) throws IOException {
    try (var r = Files.newBufferedReader(Path.of(file))) {
      return String.valueOf(r.readLine()).strip();
    }
  }
}
