package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OCI spec of a Docker container (what dockerd's {@code createSpec} does on Windows with
 * hcsshim): the image's config merged with the create body's {@code Config} and {@code HostConfig},
 * rooted on the image's layer folders plus the container's scratch folder. Pure: every input is a
 * parameter, so it is unit-tested without a kernel.
 */
public final class ContainerSpec {
  /** dockerd's default capability set (oci/caps/defaults.go). */
  static final List<String> DEFAULT_CAPS =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  /** Where dockerd mounts its init in the container (daemon/oci_linux.go). */
  static final String INIT_IN_CONTAINER = "/sbin/docker-init";

  private static final String PATH_ENV =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ContainerSpec() {}

  /**
   * The inputs of one container's spec.
   *
   * @param imageConfig the image's {@code config} (Env, Cmd, Entrypoint, WorkingDir, User)
   * @param config the create body's top level (Docker's {@code Config})
   * @param hostConfig the create body's {@code HostConfig}
   * @param layers the image's layer folders, lowest first
   * @param scratch the container's own writable folder
   * @param netns the network namespace file to join, or null for a private one (none)
   * @param binds host paths of the resolved mounts: container path → (host path, read-only)
   * @param passwd the image's {@code /etc/passwd}, or null when it has none
   * @param knownCaps every capability name the host knows ({@code CAP_*})
   * @param hostCpus the host's CPU count (NanoCpus → HCS's CPU maximum)
   * @param init the host's docker-init (tini) for {@code HostConfig.Init}, or null when there is
   *     none
   */
  public record Input(
      JsonNode imageConfig,
      JsonNode config,
      JsonNode hostConfig,
      String hostname,
      List<Path> layers,
      Path scratch,
      @Nullable Path netns,
      List<Bind> binds,
      @Nullable String passwd,
      List<String> knownCaps,
      int hostCpus,
      @Nullable Path init) {
    public Input {
      layers = List.copyOf(layers);
      binds = List.copyOf(binds);
      knownCaps = List.copyOf(knownCaps);
    }
  }

  /** A bind mount into the container. */
  public record Bind(String source, String destination, boolean readOnly) {}

  /** The command line: the entrypoint then the command, each from the body or else the image. */
  public static List<String> args(JsonNode imageConfig, JsonNode config) throws ApiException {
    List<String> entrypoint = strings(config, "Entrypoint");
    List<String> cmd = strings(config, "Cmd");
    boolean bodyEntrypoint = config.has("Entrypoint") && !config.get("Entrypoint").isNull();
    if (!bodyEntrypoint) {
      entrypoint = strings(imageConfig, "Entrypoint");
      if (cmd.isEmpty()) {
        cmd = strings(imageConfig, "Cmd");
      }
    }
    List<String> args = new ArrayList<>(entrypoint);
    args.addAll(cmd);
    if (args.isEmpty()) {
      throw ApiException.badParameter("no command specified");
    }
    return args;
  }

  /**
   * The environment as dockerd's CreateDaemonEnvironment makes it: a default PATH, HOSTNAME and
   * (with a tty) TERM, each replaced in place or appended to by the container's Env: the body's,
   * then the image's names the body does not set.
   */
  public static List<String> env(JsonNode imageConfig, JsonNode config, String hostname)
      throws ApiException {
    Map<String, String> byName = new LinkedHashMap<>();
    byName.put("PATH", PATH_ENV);
    byName.put("HOSTNAME", "HOSTNAME=" + hostname);
    if (config.path("Tty").asBoolean(false)) {
      byName.put("TERM", "TERM=xterm");
    }
    Map<String, String> containerEnv = new LinkedHashMap<>();
    for (String e : strings(config, "Env")) {
      containerEnv.put(e.split("=", 2)[0], e.contains("=") ? e : e + "=");
    }
    for (String e : strings(imageConfig, "Env")) {
      containerEnv.putIfAbsent(e.split("=", 2)[0], e);
    }
    byName.putAll(containerEnv);
    return List.copyOf(byName.values());
  }

  /** uid and gid of {@code user} ("", "root", "1000", "1000:1000" or a name in passwd). */
  public static long[] user(String user, @Nullable String passwd) throws ApiException {
    if (user.isEmpty()) {
      return new long[] {0, 0};
    }
    String[] parts = user.split(":", 2);
    long uid = -1;
    long gid = -1;
    if (parts[0].matches("[0-9]+")) {
      uid = Long.parseLong(parts[0]);
      gid = 0;
    } else {
      for (String line : (passwd == null ? "" : passwd).split("\n")) {
        String[] f = line.split(":");
        if (f.length >= 4 && f[0].equals(parts[0])) {
          uid = Long.parseLong(f[2]);
          gid = Long.parseLong(f[3]);
          break;
        }
      }
      if (uid < 0) {
        throw ApiException.badParameter(
            "unable to find user " + parts[0] + ": no matching entries in passwd file");
      }
    }
    if (parts.length == 2) {
      if (!parts[1].matches("[0-9]+")) {
        throw ApiException.badParameter(
            "unable to find group " + parts[1] + ": only numeric groups are supported");
      }
      gid = Long.parseLong(parts[1]);
    }
    return new long[] {uid, gid};
  }

  /** The capability set after CapAdd and CapDrop (names with or without CAP_, or ALL). */
  public static List<String> capabilities(JsonNode hostConfig, List<String> known)
      throws ApiException {
    Set<String> caps = new LinkedHashSet<>(DEFAULT_CAPS);
    List<String> add = strings(hostConfig, "CapAdd");
    List<String> drop = strings(hostConfig, "CapDrop");
    for (String d : drop) {
      if (d.equalsIgnoreCase("ALL")) {
        caps.clear();
      } else {
        caps.remove(capName(d, known));
      }
    }
    for (String a : add) {
      if (a.equalsIgnoreCase("ALL")) {
        caps.addAll(known);
      } else {
        caps.add(capName(a, known));
      }
    }
    return List.copyOf(caps);
  }

  private static String capName(String name, List<String> known) throws ApiException {
    String n = name.toUpperCase(Locale.ROOT);
    if (!n.startsWith("CAP_")) {
      n = "CAP_" + n;
    }
    if (!known.contains(n)) {
      throw ApiException.badParameter("unknown capability: \"" + n + "\"");
    }
    return n;
  }

  /** The whole spec. */
  @SuppressWarnings("unchecked")
  public static Spec build(Input in) throws ApiException {
    Map<String, Object> j;
    try {
      j =
          (Map<String, Object>)
              Objects.requireNonNull(Json.parse(OciSpecs.writeConfig(OciSpecs.defaultSpec())));
    } catch (JsonException e) {
      throw new IllegalStateException("the default spec does not parse", e);
    }
    j.remove("root");
    if (in.hostConfig().path("ReadonlyRootfs").asBoolean(false)) {
      j.put("root", Map.of("path", "rootfs", "readonly", true));
    }
    j.put("hostname", in.hostname());
    Map<String, Object> process = (Map<String, Object>) Objects.requireNonNull(j.get("process"));
    process.put("terminal", in.config().path("Tty").asBoolean(false));
    if (in.config().path("Tty").asBoolean(false)) {
      // the CLI sends the terminal's size in the create body, so the first output fits it
      JsonNode cs = in.hostConfig().path("ConsoleSize");
      boolean sized = cs.isArray() && cs.size() == 2 && cs.get(0).asLong() > 0;
      process.put(
          "consoleSize",
          Map.of(
              "height",
              sized ? cs.get(0).asLong() : 24L,
              "width",
              sized ? cs.get(1).asLong() : 80L));
    }
    boolean init = in.hostConfig().path("Init").asBoolean(false);
    List<String> args = new ArrayList<>();
    if (init) {
      if (in.init() == null) {
        throw ApiException.badParameter(
            "exec: \"docker-init\": executable file not found in $PATH");
      }
      args.addAll(List.of(INIT_IN_CONTAINER, "--"));
    }
    args.addAll(args(in.imageConfig(), in.config()));
    process.put("args", args);
    process.put("env", env(in.imageConfig(), in.config(), in.hostname()));
    String cwd = dev.silo.daemon.docker.Json.text(in.config(), "WorkingDir");
    if (cwd.isEmpty()) {
      cwd = dev.silo.daemon.docker.Json.text(in.imageConfig(), "WorkingDir");
    }
    process.put("cwd", cwd.isEmpty() ? "/" : cwd);
    String user = dev.silo.daemon.docker.Json.text(in.config(), "User");
    if (user.isEmpty()) {
      user = dev.silo.daemon.docker.Json.text(in.imageConfig(), "User");
    }
    long[] ids = user(user, in.passwd());
    process.put("user", Map.of("uid", ids[0], "gid", ids[1]));
    List<String> caps = capabilities(in.hostConfig(), in.knownCaps());
    process.put(
        "capabilities",
        Map.of("bounding", caps, "effective", caps, "permitted", caps, "inheritable", caps));
    process.put("noNewPrivileges", false);

    List<Object> mounts = new ArrayList<>((List<Object>) Objects.requireNonNull(j.get("mounts")));
    for (Bind b : in.binds()) {
      mounts.add(
          Map.of(
              "destination",
              b.destination(),
              "type",
              "bind",
              "source",
              b.source(),
              "options",
              b.readOnly() ? List.of("rbind", "ro") : List.of("rbind", "rw")));
    }
    mounts.addAll(tmpfs(in.hostConfig()));
    if (init && in.init() != null) {
      mounts.add(
          Map.of(
              "destination",
              INIT_IN_CONTAINER,
              "type",
              "bind",
              "source",
              in.init().toString(),
              "options",
              List.of("bind", "ro")));
    }
    j.put("mounts", mounts);

    Map<String, Object> linux = (Map<String, Object>) Objects.requireNonNull(j.get("linux"));
    List<Object> namespaces = new ArrayList<>();
    for (Object o : (List<Object>) Objects.requireNonNull(linux.get("namespaces"))) {
      Map<String, Object> ns = new LinkedHashMap<>((Map<String, Object>) o);
      if ("network".equals(ns.get("type")) && in.netns() != null) {
        ns.put("path", in.netns().toString());
      }
      namespaces.add(ns);
    }
    linux.put("namespaces", namespaces);
    long pids = in.hostConfig().path("PidsLimit").asLong(0);
    if (pids > 0) {
      Map<String, Object> res = new LinkedHashMap<>();
      Object old = linux.get("resources");
      if (old instanceof Map<?, ?> m) {
        res.putAll((Map<String, Object>) m);
      }
      res.put("pids", Map.of("limit", pids));
      linux.put("resources", res);
    }

    List<String> folders = new ArrayList<>();
    for (Path p : in.layers().reversed()) {
      folders.add(p.toString());
    }
    folders.add(in.scratch().toString());
    Map<String, Object> windows = new LinkedHashMap<>();
    windows.put("layerFolders", folders);
    Map<String, Object> resources = new LinkedHashMap<>();
    long memory = in.hostConfig().path("Memory").asLong(0);
    if (memory > 0) {
      resources.put("memory", Map.of("limit", memory));
    }
    long nanoCpus = in.hostConfig().path("NanoCpus").asLong(0);
    if (nanoCpus > 0) {
      // dockerd on Windows: Maximum = 10000 × NanoCPUs / (host CPUs × 1e9), at least 1.
      long max = Math.max(1, 10_000L * nanoCpus / (in.hostCpus() * 1_000_000_000L));
      resources.put("cpu", Map.of("maximum", Math.min(max, 10_000L)));
    }
    if (!resources.isEmpty()) {
      windows.put("resources", resources);
    }
    j.put("windows", windows);
    try {
      return OciSpecs.parseConfig(Json.write(j));
    } catch (JsonException e) {
      throw ApiException.badParameter(String.valueOf(e.getMessage()));
    }
  }

  /**
   * {@code HostConfig.Tmpfs} (path → options): tmpfs mounts with dockerd's defaults (noexec,
   * nosuid, nodev) before the asked options.
   */
  static List<Object> tmpfs(JsonNode hostConfig) throws ApiException {
    List<Object> out = new ArrayList<>();
    JsonNode t = hostConfig.path("Tmpfs");
    if (!t.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : t.properties()) {
      if (!e.getKey().startsWith("/")) {
        throw ApiException.badParameter(
            "invalid mount config for type \"tmpfs\": invalid mount path: '"
                + e.getKey()
                + "' mount path must be absolute");
      }
      List<String> options = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
      for (String o : e.getValue().asText("").split(",", -1)) {
        if (o.isEmpty()) {
          continue;
        }
        options.remove("no" + o); // exec, suid, dev undo a default
        options.add(o);
      }
      out.add(
          Map.of(
              "destination", e.getKey(), "type", "tmpfs", "source", "tmpfs", "options", options));
    }
    return out;
  }

  /** A string-list field (a JSON array of strings, or one string), empty when absent or null. */
  static List<String> strings(JsonNode n, String field) throws ApiException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw ApiException.badParameter(
          "invalid JSON: json: cannot unmarshal "
              + v.getNodeType().name().toLowerCase(Locale.ROOT)
              + " into field "
              + field
              + " of type []string");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      out.add(e.asText());
    }
    return out;
  }
}
