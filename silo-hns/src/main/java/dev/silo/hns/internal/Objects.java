package dev.silo.hns.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Typed loading of stored objects, ids, and the server-side filter of list queries. */
public final class Objects {
  private Objects() {}

  /** A new GUID, lower case as hcsshim writes them. */
  static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Ids compare case-insensitively (HNS answers upper case, hcsshim writes lower case). */
  static String id(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  static Class<?> type(ObjectKind kind) {
    return switch (kind) {
      case NETWORK -> HostComputeNetwork.class;
      case ENDPOINT -> HostComputeEndpoint.class;
      case NAMESPACE -> HostComputeNamespace.class;
      case LOAD_BALANCER -> HostComputeLoadBalancer.class;
    };
  }

  static HResult notFound(ObjectKind kind) {
    return switch (kind) {
      case NETWORK -> HResult.HCN_E_NETWORK_NOT_FOUND;
      case ENDPOINT -> HResult.HCN_E_ENDPOINT_NOT_FOUND;
      default -> HResult.ERROR_NOT_FOUND;
    };
  }

  static String label(ObjectKind kind) {
    return switch (kind) {
      case NETWORK -> "Network";
      case ENDPOINT -> "Endpoint";
      case NAMESPACE -> "Namespace";
      case LOAD_BALANCER -> "LoadBalancer";
    };
  }

  /** Loads an object by id; a missing one is a NotFound naming the kind and id. */
  static <T> T load(String op, Tx tx, ObjectKind kind, String id, Class<T> type)
      throws HnsException, SQLException {
    Tx.Row row = tx.get(kind, id(id));
    if (row == null) {
      throw HnsException.of(op, id, notFound(kind), label(kind) + " ID " + id + " not found");
    }
    return HcnCodec.read(op, id, row.doc(), type);
  }

  /** Checks that an object exists, reading its row only (the document is not decoded). */
  static void exists(String op, Tx tx, ObjectKind kind, String id)
      throws HnsException, SQLException {
    if (tx.get(kind, id(id)) == null) {
      throw HnsException.of(op, id, notFound(kind), label(kind) + " ID " + id + " not found");
    }
  }

  /** Loads an object by name; a missing one is a NotFound naming the kind and name. */
  static <T> T loadByName(String op, Tx tx, ObjectKind kind, String name, Class<T> type)
      throws HnsException, SQLException {
    Tx.Row row = tx.byName(kind, name);
    if (row == null) {
      throw HnsException.of(
          op, name, notFound(kind), label(kind) + " name \"" + name + "\" not found");
    }
    return HcnCodec.read(op, name, row.doc(), type);
  }

  /** The network an endpoint belongs to. */
  static HostComputeNetwork networkOf(String op, Tx tx, HostComputeEndpoint ep)
      throws HnsException, SQLException {
    return load(
        op,
        tx,
        ObjectKind.NETWORK,
        String.valueOf(ep.hostComputeNetwork()),
        HostComputeNetwork.class);
  }

  static <T> @Nullable T find(String op, Tx tx, ObjectKind kind, String id, Class<T> type)
      throws HnsException, SQLException {
    Tx.Row row = tx.get(kind, id(id));
    return row == null ? null : HcnCodec.read(op, id, row.doc(), type);
  }

  /** Every object of a kind matching the query's Filter (all when there is none). */
  static <T> List<T> list(
      String op, Tx tx, ObjectKind kind, @Nullable HostComputeQuery query, Class<T> type)
      throws HnsException, SQLException {
    JsonNode filter = null;
    if (query != null && query.filter() != null && !query.filter().isBlank()) {
      filter = HcnCodec.read(op, "", query.filter(), JsonNode.class);
      if (!filter.isObject()) {
        throw HnsException.of(
            op, "", HResult.HCN_E_INVALID_JSON, "query Filter is not a JSON object");
      }
    }
    List<T> out = new ArrayList<>();
    for (Tx.Row row : tx.all(kind)) {
      T value = HcnCodec.read(op, row.id(), row.doc(), type);
      if (filter == null || matches(HcnCodec.tree(value), filter)) {
        out.add(value);
      }
    }
    return out;
  }

  /** Each filter field must equal the object's field; strings compare ignoring case, like ids. */
  static boolean matches(JsonNode object, JsonNode filter) {
    for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode actual = object.get(f.getKey());
      JsonNode wanted = f.getValue();
      if (actual == null) {
        return false;
      }
      boolean same =
          actual.isTextual() && wanted.isTextual()
              ? actual.asText().equalsIgnoreCase(wanted.asText())
              : actual.equals(wanted);
      if (!same) {
        return false;
      }
    }
    return true;
  }
}
