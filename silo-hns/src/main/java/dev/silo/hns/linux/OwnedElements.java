package dev.silo.hns.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code ip silo} table's JSON ({@code nft -j list table}) back into the set and map
 * elements each endpoint owns (by their {@code ep:ID} comment), as delete commands: what inventory
 * reports and what orphan removal deletes after a crash between kernel change and commit.
 */
final class OwnedElements {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OwnedElements() {}

  /** Endpoint id to the delete commands of its elements. */
  static Map<String, List<String>> parse(String tableJson) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    JsonNode root;
    try {
      root = JSON.readTree(tableJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("nft JSON: " + e.getOriginalMessage(), e);
    }
    for (JsonNode item : root.path("nftables")) {
      JsonNode set = item.has("map") ? item.get("map") : item.path("set");
      String name = set.path("name").asText("");
      for (JsonNode e : set.path("elem")) {
        // a map element is [key, value]; a set element is the key alone
        JsonNode key = e.isArray() ? e.path(0) : e;
        JsonNode elem = key.path("elem");
        String comment = elem.path("comment").asText("");
        if (comment.startsWith(NatTable.OWNER) && !name.isEmpty()) {
          String owner = comment.substring(NatTable.OWNER.length());
          String cmd = "delete element ip silo " + name + " { " + text(elem.path("val")) + " }\n";
          out.computeIfAbsent(owner, k -> new ArrayList<>()).add(cmd);
        }
      }
    }
    return out;
  }

  /** Whether the table's {@code natnets} set still holds a subnet, i.e. a nat network is left. */
  static boolean hasNatSubnets(String tableJson) {
    try {
      for (JsonNode item : JSON.readTree(tableJson).path("nftables")) {
        JsonNode set = item.path("set");
        if ("natnets".equals(set.path("name").asText()) && !set.path("elem").isEmpty()) {
          return true;
        }
      }
      return false;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("nft JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** An nft JSON expression as script text: concatenations, prefixes, plain values. */
  private static String text(JsonNode v) {
    if (v.has("concat")) {
      List<String> parts = new ArrayList<>();
      v.get("concat").forEach(p -> parts.add(text(p)));
      return String.join(" . ", parts);
    }
    if (v.has("prefix")) {
      JsonNode p = v.get("prefix");
      return p.path("addr").asText() + "/" + p.path("len").asInt();
    }
    if (v.has("range")) {
      return text(v.get("range").path(0)) + "-" + text(v.get("range").path(1));
    }
    return v.asText();
  }
}
