package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.schema.json.Json;
import dev.silo.schema.oci.Hooks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs OCI hooks with the container's state JSON on stdin and their timeouts. Runtime-namespace
 * hooks (prestart, createRuntime, poststart, poststop) run as they are; container-namespace hooks
 * (createContainer, startContainer) run through nsenter into the init's namespaces. This is the one
 * place in the service that starts host processes with ProcessBuilder: hooks are rare, so its cost
 * is off the common path.
 */
final class HookRunner {
  private static final String NSENTER = "/usr/bin/nsenter";
  private static final String BASH = "/bin/bash";

  private HookRunner() {}

  /** The state document a hook reads on stdin. */
  static Map<String, Object> state(
      String id, String status, int pid, String bundle, Map<String, String> annotations) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ociVersion", "1.0.2-dev");
    m.put("id", id);
    m.put("status", status);
    m.put("pid", pid);
    m.put("bundle", bundle);
    if (!annotations.isEmpty()) {
      m.put("annotations", new LinkedHashMap<>(annotations));
    }
    return m;
  }

  /**
   * Runs each hook in order; the first failure stops them and is returned as an HcsException naming
   * the hook kind, its index and why ("error running createRuntime hook #0: exit status 1, stderr:
   * …").
   *
   * @param nsPid run inside this process's namespaces (container hooks), or null in the host's
   */
  static void run(
      String op,
      String id,
      String kind,
      List<Hooks.Hook> hooks,
      Map<String, Object> state,
      @Nullable Integer nsPid,
      @Nullable Path cwd)
      throws HcsException {
    byte[] input = Json.write(state).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < hooks.size(); i++) {
      String why = runOne(hooks.get(i), input, nsPid, cwd);
      if (why != null) {
        throw new HcsException(
            op,
            id,
            HResult.E_FAIL,
            "error running " + kind + " hook #" + i + " (" + hooks.get(i).path() + "): " + why);
      }
    }
  }

  private static @Nullable String runOne(
      Hooks.Hook h, byte[] input, @Nullable Integer nsPid, @Nullable Path cwd) {
    List<String> cmd = new ArrayList<>();
    if (nsPid != null) {
      cmd.addAll(List.of(NSENTER, "-t", Integer.toString(nsPid), "-m", "-u", "-i", "-n", "-p"));
      if (cwd != null) {
        cmd.add("--wd=" + cwd);
      }
      cmd.add("--");
    }
    // OCI: args[0] is the program's argv[0]. ProcessBuilder cannot set it apart from the path, so
    // a different one goes through bash's `exec -a`: dockerd's hook is /proc/<dockerd>/exe with
    // argv[0] "libnetwork-setkey", and with argv[0] = path it would start a second daemon.
    if (!h.args().isEmpty() && !h.args().getFirst().equals(h.path())) {
      cmd.addAll(List.of(BASH, "-c", "exec -a \"$0\" \"$@\"", h.args().getFirst()));
    }
    cmd.add(h.path());
    if (h.args().size() > 1) {
      cmd.addAll(h.args().subList(1, h.args().size()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    for (String e : h.env()) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      java.lang.Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(input);
      } catch (IOException e) {
        // A hook that does not read its stdin is fine.
      }
      long timeout = h.timeout() == null || h.timeout() <= 0 ? 120 : h.timeout();
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timeout after " + timeout + "s";
      }
      if (p.exitValue() != 0) {
        String err = new String(p.getErrorStream().readNBytes(512), StandardCharsets.UTF_8).strip();
        return "exit status " + p.exitValue() + (err.isEmpty() ? "" : ", stderr: " + err);
      }
      return null;
    } catch (IOException e) {
      return String.valueOf(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
