package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An HNS store of one test class driven through dist/bin/hnsdiag: documents written to files,
 * objects created and read back as JSON, and everything removed afterwards.
 */
final class HnsFixture {
  private final Cli cli;
  private final Path store;
  private final Path dir;
  private int files;

  private final String hostNetns;

  /**
   * A store in {@code dir} whose HNS host is a network namespace of its own (one store per host
   * netns), so the test never programs the machine's own namespace.
   */
  HnsFixture(Cli cli, Path dir) {
    this.dir = dir;
    this.store = dir.resolve("hns.db");
    this.hostNetns = "silotck-h" + Long.toHexString(System.nanoTime() & 0xffffffL);
    ip("netns", "add", hostNetns);
    ip("-n", hostNetns, "link", "set", "lo", "up");
    this.cli =
        cli.withEnv(Map.of("SILO_HNS_STORE", store.toString(), "SILO_HNS_HOST_NETNS", hostNetns));
  }

  /** The HNS host's network namespace (under /run/netns). */
  String hostNetns() {
    return hostNetns;
  }

  /** The CLI with this store and host netns in its environment (for runhcs). */
  Cli cli() {
    return cli;
  }

  /** The nsfs file of HCN namespace {@code namespaceId} on this host. */
  Path netnsOf(String namespaceId) {
    return Path.of("/run/netns", hostNetns + "-" + namespaceId.toLowerCase(Locale.ROOT));
  }

  /** Removes the host netns (after {@link #clear}). */
  void close() {
    ip("netns", "delete", hostNetns);
  }

  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Path store() {
    return store;
  }

  /** {@code hnsdiag VERB --store STORE --host-netns HOST args...}. */
  Cli.Result run(String verb, String... args) {
    List<String> all =
        new ArrayList<>(List.of(verb, "--store", store.toString(), "--host-netns", hostNetns));
    all.addAll(List.of(args));
    return cli.hnsdiag(all.toArray(String[]::new));
  }

  /** Writes {@code json} to a new file and returns its path. */
  Path file(String json) {
    try {
      return Files.writeString(dir.resolve("doc-" + files++ + ".json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code hnsdiag create KIND FILE --json}, returning the created object. */
  JsonNode create(String kind, String json) {
    return parse(run("create", kind, file(json).toString(), "--json").ok().out());
  }

  /** A NAT network on {@code prefix}.0/24 with its gateway at .1. */
  JsonNode natNetwork(String name, String prefix) {
    return create(
        "network",
        """
        {"Name": "%s", "Type": "NAT", "SchemaVersion": {"Major": 2, "Minor": 0},
         "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "%s.0/24",
           "Routes": [{"NextHop": "%s.1", "DestinationPrefix": "0.0.0.0/0"}]}]}]}
        """
            .formatted(name, prefix, prefix));
  }

  JsonNode endpoint(String name, String networkId) {
    return create(
        "endpoint",
        """
        {"Name": "%s", "HostComputeNetwork": "%s", "SchemaVersion": {"Major": 2, "Minor": 0}}
        """
            .formatted(name, networkId));
  }

  /** {@code hnsdiag list all --json}. */
  JsonNode all() {
    return parse(run("list", "all", "--json").ok().out());
  }

  /** Deletes every object of the store (namespaces first, with their endpoints detached). */
  void clear() {
    JsonNode all = all();
    for (String kind : List.of("loadbalancer", "namespace", "endpoint", "network")) {
      for (JsonNode o : all.path(kind + "s")) {
        run("delete", kind, o.get("ID").asText(), "--cascade").ok();
      }
    }
    JsonNode after = all();
    after.fields().forEachRemaining(e -> assertThat(e.getValue()).as(e.getKey()).isEmpty());
  }

  static JsonNode parse(String json) {
    try {
      return Bundles.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The inode of a namespace file (nsfs), following /proc/PID/ns links. */
  static long inode(Path nsFile) {
    try {
      return ((Number) Files.getAttribute(nsFile, "unix:ino")).longValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
