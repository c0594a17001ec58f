package dev.silo.daemon.docker;

import dev.silo.daemon.http.ApiException;
import dev.silo.linux.net.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Host ports for published container ports, chosen as libnetwork's portallocator does: a fixed port
 * as asked, else the next free one of the asked range or of the kernel's ephemeral range ({@code
 * net.ipv4.ip_local_port_range} of the HNS host netns; dockerd's fallback 49153–65535), skipping
 * ports other containers publish and ports something in the HNS host already holds (a test bind).
 * The caller serializes calls (create holds its lock).
 */
final class HostPorts {
  /** dockerd's range when the kernel's cannot be read. */
  static final int FALLBACK_START = 49153;

  static final int FALLBACK_END = 65535;

  static final Path RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private final @Nullable String hostNetns;
  private final Map<String, Integer> last = new HashMap<>();

  HostPorts(@Nullable String hostNetns) {
    this.hostNetns = hostNetns;
  }

  /** The bindings for {@code requests}, every chosen port free of {@code others}. */
  List<ContainerRecord.PortBinding> allocate(
      List<PortBindings.Request> requests, List<ContainerRecord> others) throws ApiException {
    List<ContainerRecord.PortBinding> taken = new ArrayList<>();
    for (ContainerRecord c : others) {
      taken.addAll(c.ports());
    }
    List<ContainerRecord.PortBinding> out = new ArrayList<>();
    for (PortBindings.Request r : requests) {
      if (r.fixed()) {
        for (ContainerRecord.PortBinding o : taken) {
          if (PortBindings.clash(r.type(), r.hostIp(), r.from(), o)) {
            throw PortBindings.allocated(r.hostIp(), Integer.toString(r.from()));
          }
        }
        out.add(new ContainerRecord.PortBinding(r.privatePort(), r.type(), r.hostIp(), r.from()));
      } else {
        ContainerRecord.PortBinding b =
            new ContainerRecord.PortBinding(
                r.privatePort(), r.type(), r.hostIp(), choose(r, taken));
        out.add(b);
      }
      taken.add(out.getLast());
    }
    return out;
  }

  private int choose(PortBindings.Request r, List<ContainerRecord.PortBinding> taken)
      throws ApiException {
    int found = inHostNetns(() -> search(r, taken));
    if (found == 0) {
      throw r.from() == 0
          ? new ApiException(500, "all ports are allocated")
          : PortBindings.allocated(r.hostIp(), r.from() + "-" + r.to());
    }
    if (r.from() == 0) {
      last.put(r.type(), found);
    }
    return found;
  }

  /** The first free port after the last one chosen (ephemeral) or from the range's start. */
  private int search(PortBindings.Request r, List<ContainerRecord.PortBinding> taken) {
    int[] range = r.from() == 0 ? ephemeralRange() : new int[] {r.from(), r.to()};
    int size = range[1] - range[0] + 1;
    int start = range[0];
    Integer prev = last.get(r.type());
    if (r.from() == 0 && prev != null && prev >= range[0] && prev < range[1]) {
      start = prev + 1;
    }
    for (int i = 0; i < size; i++) {
      int p = range[0] + Math.floorMod(start - range[0] + i, size);
      boolean used = false;
      for (ContainerRecord.PortBinding o : taken) {
        used |= PortBindings.clash(r.type(), r.hostIp(), p, o);
      }
      if (!used && bindable(r.type(), r.hostIp(), p)) {
        return p;
      }
    }
    return 0;
  }

  /** The kernel's ephemeral range of the current netns, or dockerd's fallback. */
  static int[] ephemeralRange() {
    // readLine, not Files.readString: the latter returns a truncated value for this procfs file
    try (BufferedReader r = Files.newBufferedReader(RANGE_FILE)) {
      String line = r.readLine();
      String[] f = (line == null ? "" : line).trim().split("\\s+", -1);
      int start = Integer.parseInt(f[0]);
      int end = Integer.parseInt(f[1]);
      if (start > 0 && start <= end && end <= 65535) {
        return new int[] {start, end};
      }
    } catch (IOException | RuntimeException e) {
      // dockerd logs and falls back too
    }
    return new int[] {FALLBACK_START, FALLBACK_END};
  }

  /** Whether a socket of {@code type} can bind the address now (nothing else holds it). */
  private static boolean bindable(String type, String hostIp, int port) {
    try (NetworkChannel ch =
        type.equals("udp") ? DatagramChannel.open() : ServerSocketChannel.open()) {
      InetAddress ip = InetAddress.getByName(hostIp.isEmpty() ? "0.0.0.0" : hostIp);
      ch.bind(new InetSocketAddress(ip, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private interface Task {
    int run();
  }

  private int inHostNetns(Task t) throws ApiException {
    if (hostNetns == null) {
      return t.run();
    }
    try {
      return NetNs.run(NetNs.open(hostNetns), t::run);
    } catch (RuntimeException e) {
      throw ApiException.internal(
          "cannot choose a host port in netns " + hostNetns + ": " + e.getMessage(), e);
    }
  }
}
