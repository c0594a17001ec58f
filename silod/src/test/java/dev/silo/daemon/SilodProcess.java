package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real silod process for the integration tests: its own temp socket, data root and exec root, and
 * its own network namespace as the HNS host (nothing touches the machine's interfaces), driven with
 * the stock docker CLI and curl. {@link #close} kills what is left and removes the netns and the
 * directories.
 */
final class SilodProcess implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper();

  final Path base;
  final Path socket;
  final Path dataRoot;
  final Path execRoot;
  final String netns;
  Process process;
  final Path log;

  /** The result of a command: exit code, stdout, stderr. */
  record Result(int exit, String out, String err) {}

  /** An HTTP answer: status and body. */
  record Http(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private SilodProcess(Path base, String netns, Process process) {
    this.base = base;
    this.socket = base.resolve("silod.sock");
    this.dataRoot = base.resolve("data");
    this.execRoot = base.resolve("exec");
    this.netns = netns;
    this.process = process;
    this.log = base.resolve("silod.log");
  }

  /**
   * Starts a daemon in a new netns and waits until it answers /_ping; with {@code staleSocket} a
   * socket file nobody serves (a daemon that died) is left where the daemon will listen.
   */
  static SilodProcess start(boolean staleSocket, String... extraArgs) throws Exception {
    return start(Files.createTempDirectory("silod-it"), staleSocket, extraArgs);
  }

  /**
   * As {@link #start(boolean, String...)} in {@code base} (containers need a short one: their
   * attach sockets under the exec root must fit sun_path).
   */
  static SilodProcess start(Path base, boolean staleSocket, String... extraArgs) throws Exception {
    assertThat(System.getProperty("user.name")).as("silod ITs run as root").isEqualTo("root");
    if (staleSocket) {
      try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        s.bind(UnixDomainSocketAddress.of(base.resolve("silod.sock")));
      }
      assertThat(base.resolve("silod.sock")).exists();
    }
    String netns = "silodit-" + UUID.randomUUID().toString().substring(0, 8);
    Result add = run(List.of("ip", "netns", "add", netns), Map.of());
    assertThat(add.exit()).as("ip netns add: " + add.err()).isZero();
    Process p;
    try {
      p = launch(base, base.resolve("silod.sock"), netns, base.resolve("silod.log"), extraArgs);
    } catch (IOException e) {
      run(List.of("ip", "netns", "del", netns), Map.of());
      throw e;
    }
    SilodProcess s = new SilodProcess(base, netns, p);
    try {
      until(
          "silod answers /_ping",
          () -> !p.isAlive() || s.curl("GET", "/_ping", null).status() == 200);
      assertThat(p.isAlive()).as("silod is running; log: " + s.logText()).isTrue();
    } catch (AssertionError | RuntimeException e) {
      String log = s.logText();
      s.close();
      throw new AssertionError(e.getMessage() + "; silod's log:\n" + log, e);
    }
    return s;
  }

  /**
   * Starts a daemon under {@code /tmp/PREFIX-…} (short: a tty container's console socket under the
   * exec root must fit sun_path) with loopback up in its HNS host netns, where published ports are
   * reached from.
   */
  static SilodProcess startShort(String prefix) throws Exception {
    Path base =
        Files.createDirectories(
            Path.of("/tmp/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8)));
    SilodProcess d = start(base, false);
    Result lo = run(List.of("ip", "-n", d.netns, "link", "set", "lo", "up"), Map.of());
    assertThat(lo.exit()).as(lo.err()).isZero();
    return d;
  }

  /** Silo's busybox base image built offline as {@code ref}, saved as a docker archive. */
  Path busyboxArchive(String ref) throws Exception {
    Path images = Files.createTempDirectory("silod-it-images");
    Path archive = base.resolve("busybox.tar");
    try {
      ImageService s = ImageService.open(images, OsVersion.parse("10.0.20348"));
      s.buildBusybox(ref);
      try (OutputStream out = Files.newOutputStream(archive)) {
        s.save(List.of(ref), out);
      }
    } finally {
      deleteTree(images);
    }
    return archive;
  }

  /** {@link #busyboxArchive} then {@code docker load} of it. */
  void loadBusybox(String ref) throws Exception {
    Result load = docker("load", "-i", busyboxArchive(ref).toString());
    assertThat(load.exit()).as("docker load: " + load.err()).isZero();
    assertThat(load.out()).contains("Loaded image: " + ref);
  }

  /** Launches {@code java … Silod} on this test's class path. */
  static Process launch(Path base, Path socket, String netns, Path log, String... extraArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    for (String prop : List.of("silo.init.helper", "silo.init.jni")) {
      String v = System.getProperty(prop);
      if (v != null) {
        cmd.add("-D" + prop + "=" + v);
      }
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.silo.daemon.Silod",
            "-H",
            "unix://" + socket,
            "--data-root",
            base.resolve("data").toString(),
            "--exec-root",
            base.resolve("exec").toString(),
            "--hns-host-netns",
            netns));
    cmd.addAll(List.of(extraArgs));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Runs the stock docker CLI against this daemon. */
  Result docker(String... args) {
    return docker(Map.of(), args);
  }

  /** {@code docker ARGS…} that must succeed (exit 0; the failure names the command and stderr). */
  Result ok(String... args) {
    Result r = docker(args);
    assertThat(r.exit()).as("docker " + String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  Result docker(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
    cmd.addAll(List.of(args));
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("DOCKER_HOST", "unix://" + socket);
    all.put("DOCKER_CONFIG", base.resolve("docker-config").toString());
    return run(cmd, all);
  }

  /** An HTTP call over the unix socket with curl (the JDK's client has no unix sockets). */
  Http curl(String method, String path, @Nullable String body) {
    return curl(method, path, body, "application/json");
  }

  Http curl(String method, String path, @Nullable String body, String contentType) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "20",
                "--unix-socket",
                socket.toString(),
                "-X",
                method,
                "-o",
                "-",
                "-w",
                "\n%{http_code}"));
    if (body != null) {
      cmd.addAll(List.of("-H", "Content-Type: " + contentType, "--data-binary", body));
    }
    cmd.add("http://localhost" + path);
    Result r = run(cmd, Map.of());
    String out = r.out();
    int nl = out.lastIndexOf('\n');
    String code = nl < 0 ? out : out.substring(nl + 1).trim();
    int status = code.matches("[0-9]{3}") ? Integer.parseInt(code) : 0;
    return new Http(status, nl < 0 ? "" : out.substring(0, nl));
  }

  /** Links, nft ruleset and HNS networks of the daemon's netns: what bad input must not change. */
  String kernelAndStore() {
    String links = run(List.of("ip", "-n", netns, "-o", "link", "show"), Map.of()).out();
    String nft =
        withoutEmptyLbTable(
            run(List.of("ip", "netns", "exec", netns, "nft", "list", "ruleset"), Map.of()).out());
    String hns = curl("GET", "/hns/v2/networks", null).body();
    String hnsEps = curl("GET", "/hns/v2/endpoints", null).body();
    String records;
    try (Stream<Path> s = Files.list(dataRoot.resolve("network"))) {
      records = s.map(p -> p.getFileName().toString()).sorted().toList().toString();
    } catch (IOException e) {
      records = e.toString();
    }
    return String.join("\n---\n", links.replaceAll("(?m)^[0-9]+: ", ""), nft, hns, hnsEps, records);
  }

  /**
   * The ruleset without HNS's load-balancer table when it holds no element: the table is made at
   * the first load balancer and stays, empty, after the last one is deleted (shared, not per
   * object).
   */
  static String withoutEmptyLbTable(String ruleset) {
    int start = ruleset.indexOf("table ip silolb {");
    if (start < 0) {
      return ruleset;
    }
    int end = ruleset.indexOf("\n}\n", start);
    String table = ruleset.substring(start, end < 0 ? ruleset.length() : end + 3);
    assertThat(table).as("the load-balancer table is empty").doesNotContain("elements =");
    return ruleset.replace(table, "");
  }

  static Result run(List<String> cmd, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      Path out = Files.createTempFile("silod-it-out", ".txt");
      Path err = Files.createTempFile("silod-it-err", ".txt");
      try {
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("timed out: " + cmd);
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  /** Starts the daemon again over the same socket, roots and netns (after {@link #terminate}). */
  void restart() throws Exception {
    assertThat(process.isAlive()).as("the previous daemon has exited").isFalse();
    Process p = launch(base, socket, netns, log);
    process = p;
    until(
        "silod answers /_ping again",
        () -> !p.isAlive() || curl("GET", "/_ping", null).status() == 200);
    assertThat(p.isAlive()).as("silod is running again; log: " + logText()).isTrue();
  }

  /** SIGTERM, then waits for the exit code. */
  int terminate() throws InterruptedException {
    process.toHandle().destroy(); // SIGTERM
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("silod did not exit on SIGTERM; log: " + logText());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    run(List.of("ip", "netns", "del", netns), Map.of());
    deleteTree(base);
  }

  // ---- what the ITs list before and after to prove nothing is left behind

  /** The ids of the HNS endpoints, from the daemon's {@code /hns/v2/endpoints}. */
  List<String> endpoints() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : curl("GET", "/hns/v2/endpoints", null).json()) {
      out.add(e.path("ID").asText());
    }
    return out;
  }

  /** {@code GET /} through a published port, from the daemon's HNS host netns. */
  String hostGet(int port) {
    Result r =
        run(
            List.of(
                "ip",
                "netns",
                "exec",
                netns,
                "curl",
                "-sS",
                "--max-time",
                "5",
                "http://127.0.0.1:" + port + "/"),
            Map.of());
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }

  /** Container cgroups (64-hex names) under every controller of the hierarchy, sorted. */
  static List<String> containerCgroups() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path c : controllers.filter(Files::isDirectory).toList()) {
        try (Stream<Path> groups = Files.list(c)) {
          groups
              .map(p -> c.getFileName() + "/" + p.getFileName())
              .filter(n -> n.matches(".*/[0-9a-f]{64}"))
              .forEach(out::add);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The sorted names in {@code dir}; none when it does not exist. */
  static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Deletes a tree (symlinks are removed, not followed); a missing one is fine. */
  static void deleteTree(Path root) throws IOException {
    dev.silo.linux.fs.FileTrees.deleteTree(root);
  }
}
