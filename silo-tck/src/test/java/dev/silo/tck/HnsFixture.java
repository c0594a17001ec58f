package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An HNS store of one test class driven through dist/bin/hnsdiag: documents written to files,
 * objects created and read back as JSON, and everything removed afterwards.
 */
final class HnsFixture {
  private final Cli cli;
  private final Path store;
  private final Path dir;
  private int files;

  HnsFixture(Cli cli, Path dir) {
    this.cli = cli;
    this.dir = dir;
    this.store = dir.resolve("hns.db");
  }

  Path store() {
    return store;
  }

  /** {@code hnsdiag VERB --store STORE args...}. */
  Cli.Result run(String verb, String... args) {
    List<String> all = new ArrayList<>(List.of(verb, "--store", store.toString()));
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
