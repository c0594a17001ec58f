package dev.silo.hns.linux;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.LoadBalancerBackends;
import dev.silo.hns.spi.Undo;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Programs load balancers into {@link LbTable}: every call diffs the load balancer's elements
 * against what is programmed and applies only the difference in one atomic batch, so a modify never
 * deletes and re-creates a load balancer and costs O(changed backends), not O(load balancers).
 *
 * <p>What is programmed is remembered per load balancer in memory; the first call of a process, and
 * every {@link #owners} (inventory), reads it back from the kernel by the elements' {@code lb:ID}
 * comments instead, so a restart or a change behind HNS's back is diffed against the kernel's
 * truth. Not thread-safe: the dataplane serializes calls.
 */
final class LbDriver {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Host host;
  private final Map<String, Set<LbTable.Element>> programmed = new HashMap<>();

  /** Variants whose map and rules are in the kernel. */
  private final Set<LbTable.Variant> ensured = new HashSet<>();

  private boolean tableExists;
  private boolean loaded;

  LbDriver(Host host) {
    this.host = host;
  }

  /** Programs (or re-programs in place) a load balancer over its backends. */
  Undo program(HostComputeLoadBalancer lb, List<HostComputeEndpoint> backends)
      throws DataplaneException {
    String id = LbTable.owner(lb.id());
    return change(id, LbTable.elements(lb, backends), "program load balancer " + id);
  }

  /**
   * Programs many load balancers in one atomic batch: the differences of all of them against what
   * is programmed, applied together (a 10 000-LB full sync is one nft transaction).
   */
  Undo programAll(List<LoadBalancerBackends> lbs) throws DataplaneException {
    if (!loaded) {
      load();
    }
    Map<String, Set<LbTable.Element>> before = new HashMap<>();
    Map<String, Set<LbTable.Element>> after = new HashMap<>();
    Set<LbTable.Element> gone = new LinkedHashSet<>();
    Set<LbTable.Element> added = new LinkedHashSet<>();
    Map<HostComputeEndpoint, String> addresses = new java.util.IdentityHashMap<>();
    for (LoadBalancerBackends lb : lbs) {
      String id = LbTable.owner(lb.loadBalancer().id());
      Set<LbTable.Element> old = programmed.getOrDefault(id, Set.of());
      Set<LbTable.Element> now = LbTable.elements(lb.loadBalancer(), lb.backends(), addresses);
      before.put(id, old);
      after.put(id, now);
      gone.addAll(minus(old, now));
      added.addAll(minus(now, old));
    }
    if (gone.isEmpty() && added.isEmpty()) {
      return Undo.NONE;
    }
    String what = "program " + lbs.size() + " load balancers";
    return Steps.run(
        what,
        s -> {
          apply(gone, added);
          after.forEach(this::remember);
          s.add(
              () ->
                  Steps.check(
                      "undo " + what,
                      x -> {
                        elements(added, gone);
                        before.forEach(this::remember);
                      }));
        });
  }

  /** Deletes every element of the load balancer. */
  Undo remove(HostComputeLoadBalancer lb) throws DataplaneException {
    String id = LbTable.owner(lb.id());
    return change(id, Set.of(), "remove load balancer " + id);
  }

  /** Ids of the load balancers with elements in the kernel (re-read, the cache refreshed). */
  Set<String> owners() {
    load();
    return Set.copyOf(programmed.keySet());
  }

  /** Deletes the elements of a load balancer the store does not know (found by its comment). */
  void removeOrphan(String id) {
    load();
    // no GUID check: the id and the delete commands both come from the kernel's own comments
    String owner = id.toLowerCase(Locale.ROOT);
    Set<LbTable.Element> old = programmed.getOrDefault(owner, Set.of());
    if (!old.isEmpty()) {
      elements(old, Set.of());
    }
    programmed.remove(owner);
  }

  private Undo change(String id, Set<LbTable.Element> now, String what) throws DataplaneException {
    if (!loaded) {
      load();
    }
    Set<LbTable.Element> old = programmed.getOrDefault(id, Set.of());
    Set<LbTable.Element> gone = minus(old, now);
    Set<LbTable.Element> added = minus(now, old);
    if (gone.isEmpty() && added.isEmpty()) {
      return Undo.NONE;
    }
    return Steps.run(
        what,
        s -> {
          apply(gone, added);
          remember(id, now);
          s.add(
              () ->
                  Steps.check(
                      "undo " + what,
                      x -> {
                        elements(added, gone);
                        remember(id, old);
                      }));
        });
  }

  /**
   * Applies the diff, creating the table and the variant maps it uses first when needed: those by
   * nft script, then the elements as one netlink transaction. A failed element batch leaves the new
   * maps behind, empty, which is what a later call would create anyway.
   */
  private void apply(Set<LbTable.Element> gone, Set<LbTable.Element> added) {
    StringBuilder b = new StringBuilder();
    if (!tableExists) {
      b.append(LbTable.create());
    }
    Set<LbTable.Variant> variants = LbTable.variants(added);
    variants.removeAll(ensured);
    variants.forEach(v -> b.append(v.ensure()));
    if (!b.isEmpty()) {
      host.nft().apply(b.toString());
      tableExists = true;
      ensured.addAll(variants);
    }
    elements(gone, added);
  }

  /** Deletes {@code gone} and creates {@code added} in one kernel transaction. */
  private void elements(Collection<LbTable.Element> gone, Collection<LbTable.Element> added) {
    host.elements().apply("ip", "silolb", LbTable.nft(gone), LbTable.nft(added));
  }

  private void remember(String id, Set<LbTable.Element> now) {
    if (now.isEmpty()) {
      programmed.remove(id);
    } else {
      programmed.put(id, now);
    }
  }

  /** Replaces the cache with the kernel's elements; a missing table means nothing is programmed. */
  private void load() {
    String json = tableJson();
    programmed.clear();
    ensured.clear();
    tableExists = json != null;
    if (json != null) {
      JsonNode root = tree(json);
      programmed.putAll(parse(root));
      ensured.addAll(variants(root));
    }
    loaded = true;
  }

  private @Nullable String tableJson() {
    try {
      return host.nft().listTableJson("ip", "silolb");
    } catch (RuntimeException e) {
      return null; // no such table
    }
  }

  /** {@code a} without {@code b}; not to be modified (it may be {@code a} itself). */
  private static Set<LbTable.Element> minus(Set<LbTable.Element> a, Set<LbTable.Element> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a; // a full sync: nothing programmed before, every element is new
    }
    Set<LbTable.Element> out = new LinkedHashSet<>(a);
    out.removeAll(b);
    return out;
  }

  /** The table's JSON ({@code nft -j list table ip silolb}) as elements by owner. */
  static Map<String, Set<LbTable.Element>> parse(String tableJson) {
    return parse(tree(tableJson));
  }

  static JsonNode tree(String tableJson) {
    try {
      return JSON.readTree(tableJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("nft JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The parsed table as elements by owner. */
  static Map<String, Set<LbTable.Element>> parse(JsonNode root) {
    Map<String, Set<LbTable.Element>> out = new HashMap<>();
    for (JsonNode item : root.path("nftables")) {
      JsonNode set = item.has("map") ? item.get("map") : item.path("set");
      String name = set.path("name").asText("");
      for (JsonNode e : set.path("elem")) {
        // a map element is [key, value]; a set element is the key alone
        JsonNode elem = (e.isArray() ? e.path(0) : e).path("elem");
        String comment = elem.path("comment").asText("");
        if (comment.startsWith(LbTable.OWNER) && !name.isEmpty()) {
          String owner = comment.substring(LbTable.OWNER.length());
          String value = e.isArray() ? text(e.path(1)) : "";
          LbTable.Element el = new LbTable.Element(name, text(elem.path("val")), value, owner);
          out.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(el);
        }
      }
    }
    return out;
  }

  /** The variants whose maps are in the table's JSON. */
  static Set<LbTable.Variant> variants(JsonNode root) {
    Set<LbTable.Variant> out = new HashSet<>();
    for (JsonNode item : root.path("nftables")) {
      LbTable.Variant v = LbTable.Variant.of(item.path("map").path("name").asText(""));
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  /** An nft JSON value as script text: concatenations and plain values. */
  private static String text(JsonNode v) {
    if (v.has("concat")) {
      List<String> parts = new ArrayList<>();
      v.get("concat").forEach(p -> parts.add(text(p)));
      return String.join(" . ", parts);
    }
    return v.asText();
  }
}
