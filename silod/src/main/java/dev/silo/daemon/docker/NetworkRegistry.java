package dev.silo.daemon.docker;

import dev.silo.api.HnsException;
import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.hns.HostNetworkService;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.Subnet;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Docker networks over HNS networks: each Docker network is one HNS network plus a {@link
 * NetworkRecord} file. A create makes the HNS network first and removes it again if the record
 * cannot be written; a remove deletes the HNS network first, so a record never outlives its network
 * by more than a crash (records of missing networks are dropped at start).
 */
public final class NetworkRegistry {
  /** The predefined network's name (Docker on Windows calls it nat). */
  public static final String DEFAULT = "nat";

  /** Docker's name for the default network, an alias of {@link #DEFAULT}. */
  public static final String DEFAULT_ALIAS = "bridge";

  static final String OPT_INTERFACE = "com.docker.network.windowsshim.interface";
  static final String OPT_VSID = "com.docker.network.windowsshim.vsid";
  static final String OPT_VLAN = "com.docker.network.windowsshim.vlanid";
  static final String OPT_HNS_NAME = "com.docker.network.windowsshim.networkname";
  static final String OPT_HNS_ID = "com.docker.network.windowsshim.hnsid";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final HostNetworkService hns;
  private final Log log;
  private final Map<String, NetworkRecord> records = new LinkedHashMap<>();
  private volatile Watcher watcher = new Watcher() {};

  /** Told of every network made or removed after it is recorded (the embedded DNS server). */
  public interface Watcher {
    default void created(NetworkRecord n) {}

    default void removed(NetworkRecord n) {}
  }

  private NetworkRegistry(Path dir, HostNetworkService hns, Log log) {
    this.dir = dir;
    this.hns = hns;
    this.log = log;
  }

  /** Sets the one watcher of network creation and removal. */
  public void watch(Watcher w) {
    this.watcher = w;
  }

  /** Loads the records under {@code dir}, dropping those whose HNS network is gone. */
  public static NetworkRegistry open(Path dir, HostNetworkService hns, Log log) throws IOException {
    Files.createDirectories(dir);
    NetworkRegistry r = new NetworkRegistry(dir, hns, log);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        NetworkRecord rec = Json.MAPPER.readValue(f.toFile(), NetworkRecord.class);
        try {
          hns.getNetworkById(rec.hnsId());
          r.records.put(rec.id(), rec);
        } catch (HnsException.NotFound e) {
          log.warn("network " + rec.name() + " has no HNS network " + rec.hnsId() + "; dropped");
          Files.deleteIfExists(f);
        } catch (HnsException e) {
          throw new IOException("cannot check network " + rec.name() + ": " + e.getMessage(), e);
        }
      }
    }
    return r;
  }

  /** Makes the default {@code nat} network unless it exists (adopting an HNS one of that name). */
  public synchronized NetworkRecord ensureDefault() throws ApiException {
    NetworkRecord have = byName(DEFAULT);
    if (have != null) {
      return have;
    }
    try {
      HostComputeNetwork n = hns.getNetworkByName(DEFAULT);
      return persist(record(newId(), DEFAULT, "nat", n, Map.of(), Map.of(), false, false, true), n);
    } catch (HnsException.NotFound e) {
      return create(new Spec(DEFAULT, "nat", List.of(), Map.of(), Map.of(), false, false), true);
    } catch (HnsException e) {
      throw NetworkApi.hnsError(e);
    }
  }

  /**
   * What {@code docker network create} asks for.
   *
   * @param name network name
   * @param driver Docker driver
   * @param ipam requested IPAM blocks
   * @param options driver options
   * @param labels labels
   * @param internal --internal
   * @param attachable --attachable
   */
  public record Spec(
      String name,
      String driver,
      List<NetworkRecord.IpamBlock> ipam,
      Map<String, String> options,
      Map<String, String> labels,
      boolean internal,
      boolean attachable) {}

  /** Creates the HNS network and the record; nothing is left behind on failure. */
  public synchronized NetworkRecord create(Spec spec, boolean predefined) throws ApiException {
    if (byName(spec.name()) != null
        || (spec.name().equals(DEFAULT_ALIAS) && byName(DEFAULT) != null)) {
      throw ApiException.conflict("network with name " + spec.name() + " already exists");
    }
    NetworkType type = NetworkApi.type(spec.driver());
    List<NetworkRecord.IpamBlock> ipam = spec.ipam();
    if (ipam.isEmpty() && type == NetworkType.NAT) {
      ipam = List.of(new NetworkRecord.IpamBlock(freeNatSubnet(), "", ""));
    }
    String hnsName = spec.options().getOrDefault(OPT_HNS_NAME, spec.name());
    HostComputeNetwork wanted = NetworkDocument.of(hnsName, type, ipam, spec.options());
    HostComputeNetwork made;
    try {
      made = hns.createNetwork(wanted);
    } catch (HnsException e) {
      throw NetworkApi.hnsError(e);
    }
    NetworkRecord rec =
        record(
            newId(),
            spec.name(),
            spec.driver(),
            made,
            spec.options(),
            spec.labels(),
            spec.internal(),
            spec.attachable(),
            predefined);
    return persist(rec, made);
  }

  private NetworkRecord persist(NetworkRecord rec, HostComputeNetwork made) throws ApiException {
    try {
      Path tmp = dir.resolve("." + rec.id() + ".tmp");
      Json.MAPPER.writeValue(tmp.toFile(), rec);
      try {
        Files.move(tmp, file(rec.id()), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(rec.id()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        hns.deleteNetwork(String.valueOf(made.id()));
      } catch (HnsException undo) {
        e.addSuppressed(undo);
      }
      throw ApiException.internal("cannot record network " + rec.name() + ": " + e.getMessage(), e);
    }
    records.put(rec.id(), rec);
    watcher.created(rec);
    return rec;
  }

  private static NetworkRecord record(
      String id,
      String name,
      String driver,
      HostComputeNetwork n,
      Map<String, String> options,
      Map<String, String> labels,
      boolean internal,
      boolean attachable,
      boolean predefined) {
    List<NetworkRecord.IpamBlock> blocks = new ArrayList<>();
    for (Subnet s : n.subnets()) {
      String gw = "";
      for (Route r : s.routes()) {
        if ("0.0.0.0/0".equals(r.destinationPrefix()) && r.nextHop() != null) {
          gw = r.nextHop();
        }
      }
      blocks.add(new NetworkRecord.IpamBlock(String.valueOf(s.ipAddressPrefix()), gw, ""));
    }
    Map<String, String> opts = new java.util.TreeMap<>(options);
    opts.put(OPT_HNS_ID, String.valueOf(n.id()));
    return new NetworkRecord(
        id,
        name,
        String.valueOf(n.id()),
        driver,
        Instant.now().toString(),
        labels,
        opts,
        blocks,
        internal,
        attachable,
        predefined);
  }

  /** A free /16 of 172.17–31 (then /20s of 192.168) that no NAT network of the host uses. */
  private String freeNatSubnet() throws ApiException {
    List<Cidr4> used = new ArrayList<>();
    try {
      for (HostComputeNetwork n : hns.listNetworks((HostComputeQuery) null)) {
        for (Subnet s : n.subnets()) {
          Cidr4 c = Cidr4.parse(String.valueOf(s.ipAddressPrefix()));
          if (c != null) {
            used.add(c);
          }
        }
      }
    } catch (HnsException e) {
      throw NetworkApi.hnsError(e);
    }
    List<Cidr4> pool = new ArrayList<>();
    for (int b = 17; b <= 31; b++) {
      pool.add(new Cidr4((172 << 24) | (b << 16), 16));
    }
    for (int c = 0; c < 256; c += 16) {
      pool.add(new Cidr4((192 << 24) | (168 << 16) | (c << 8), 20));
    }
    for (Cidr4 candidate : pool) {
      if (used.stream().noneMatch(candidate::overlaps)) {
        return candidate.toString();
      }
    }
    throw ApiException.forbidden(
        "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
  }

  /**
   * The network named by a full id, a name ({@code bridge} is {@code nat}) or a unique id prefix,
   * as dockerd's FindNetwork.
   */
  public synchronized NetworkRecord find(String term) throws ApiException {
    NetworkRecord r = records.get(term);
    if (r != null) {
      return r;
    }
    r = byName(term.equals(DEFAULT_ALIAS) ? DEFAULT : term);
    if (r != null) {
      return r;
    }
    List<NetworkRecord> prefixed =
        records.values().stream().filter(x -> !term.isEmpty() && x.id().startsWith(term)).toList();
    if (prefixed.size() == 1) {
      return prefixed.get(0);
    }
    if (prefixed.size() > 1) {
      throw ApiException.badParameter(
          "network "
              + term
              + " is ambiguous ("
              + prefixed.size()
              + " matches found based on ID prefix)");
    }
    throw ApiException.notFound("network " + term + " not found");
  }

  public synchronized List<NetworkRecord> list() {
    return List.copyOf(records.values());
  }

  /** The HNS network behind a record (null when it vanished under us). */
  public @Nullable HostComputeNetwork hnsNetwork(NetworkRecord r) {
    try {
      return hns.getNetworkById(r.hnsId());
    } catch (HnsException e) {
      return null;
    }
  }

  /** Removes the HNS network, then the record. */
  public synchronized void remove(NetworkRecord r) throws ApiException {
    if (r.predefined()) {
      throw ApiException.forbidden(r.name() + " is a pre-defined network and cannot be removed");
    }
    try {
      hns.deleteNetwork(r.hnsId());
    } catch (HnsException.NotFound e) {
      log.warn("network " + r.name() + ": HNS network " + r.hnsId() + " was already gone");
    } catch (HnsException.Conflict e) {
      throw ApiException.forbidden(
          "error while removing network: network "
              + r.name()
              + " id "
              + r.id()
              + " has active endpoints");
    } catch (HnsException e) {
      throw NetworkApi.hnsError(e);
    }
    try {
      Files.deleteIfExists(file(r.id()));
    } catch (IOException e) {
      throw ApiException.internal("cannot remove record of " + r.name() + ": " + e.getMessage(), e);
    }
    records.remove(r.id());
    watcher.removed(r);
  }

  /** Whether HNS has endpoints on the network (prune keeps such networks). */
  public boolean inUse(NetworkRecord r) throws ApiException {
    try {
      return hns.listEndpoints(null).stream()
          .anyMatch(e -> r.hnsId().equalsIgnoreCase(String.valueOf(e.hostComputeNetwork())));
    } catch (HnsException e) {
      throw NetworkApi.hnsError(e);
    }
  }

  private @Nullable NetworkRecord byName(String name) {
    for (NetworkRecord r : records.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private Path file(String id) {
    return dir.resolve(id + ".json");
  }

  static String newId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
