package dev.silo.linux.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-namespace {@code /proc/sys/net} settings (forwarding, reverse-path filter, proxy ARP): the
 * files show the namespace of the thread that opens them, so they are accessed via {@link
 * NetNs#run}.
 */
public final class NetSysctl {
  private NetSysctl() {}

  /** Writes {@code net.KEY} (e.g. {@code ipv4.ip_forward}) in {@code ns}. */
  public static void write(NetNs ns, String key, String value) {
    write(ns, file(key), key, value);
  }

  private static void write(NetNs ns, Path file, String key, String value) {
    NetNs.run(
        ns,
        () -> {
          try {
            Files.writeString(file, value);
          } catch (IOException e) {
            throw new NetException("sysctl -w", "net." + key, 0, String.valueOf(e), e);
          }
          return null;
        });
  }

  /** Reads {@code net.KEY} in {@code ns}, trimmed. */
  public static String read(NetNs ns, String key) {
    Path file = file(key);
    return NetNs.run(
        ns,
        () -> {
          try {
            return Files.readString(file).strip();
          } catch (IOException e) {
            throw new NetException("sysctl", "net." + key, 0, String.valueOf(e), e);
          }
        });
  }

  /** {@code net.ipv4.ip_forward} (routers: nat, l2bridge host endpoints). */
  public static void ipForward(NetNs ns, boolean on) {
    write(ns, "ipv4.ip_forward", on ? "1" : "0");
  }

  /** {@code net.ipv4.conf.DEV.rp_filter}: 0 off, 1 strict, 2 loose; DEV may be {@code all}. */
  public static void rpFilter(NetNs ns, String device, int mode) {
    if (mode < 0 || mode > 2) {
      throw new IllegalArgumentException("rp_filter " + mode + ": must be 0, 1 or 2");
    }
    writeConf(ns, device, "rp_filter", Integer.toString(mode));
  }

  /** {@code net.ipv4.conf.DEV.proxy_arp}. */
  public static void proxyArp(NetNs ns, String device, boolean on) {
    writeConf(ns, device, "proxy_arp", on ? "1" : "0");
  }

  // device names may contain dots (eth0.100), so they are a path element, not a key part
  private static void writeConf(NetNs ns, String device, String name, String value) {
    Path file = Path.of("/proc/sys/net/ipv4/conf", Links.checkName(device), name);
    write(ns, file, "ipv4.conf." + device + "." + name, value);
  }

  private static Path file(String key) {
    if (!key.matches("[A-Za-z0-9_.-]+") || key.contains("..")) {
      throw new IllegalArgumentException("sysctl key 'net." + key + "': bad characters");
    }
    return Path.of("/proc/sys/net", key.replace('.', '/'));
  }
}
