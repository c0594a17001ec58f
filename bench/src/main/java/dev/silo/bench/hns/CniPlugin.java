package dev.silo.bench.hns;

import dev.silo.bench.BenchException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * One CNI plugin call the way a container runtime makes it: the plugin binary with the CNI_*
 * environment and the network config on stdin; its stdout is the result.
 *
 * @param dir directory of the plugin binaries (CNI_PATH)
 * @param netns the container's netns path
 * @param containerId CNI_CONTAINERID
 */
record CniPlugin(Path dir, Path netns, String containerId) {

  /** Runs {@code type} with {@code command} (ADD, DEL) and {@code config}; returns stdout. */
  String call(String type, String command, String config) {
    ProcessBuilder pb = new ProcessBuilder(dir.resolve(type).toString());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns.toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", dir.toString());
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"); // portmap runs iptables
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(config.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new BenchException("CNI " + type + " " + command + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new BenchException("CNI " + type + " " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("CNI " + type + " " + command + ": interrupted", e);
    }
  }
}
