package dev.silo.hns.internal;

import dev.silo.api.HnsException;
import dev.silo.hns.spi.ObjectKind;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded documents of one kind by id, reused while the stored text is unchanged: a load balancer
 * change loads its ten backend endpoints, and decoding their JSON cost more than the rest of the
 * store work. The row is still read in the call's transaction, so a change made by another process
 * (runhcs, hnsdiag share the store) is a different text and is decoded again: nothing stale is
 * served. Bounded (least recently used out); the decoded records are immutable.
 */
final class DocCache<T> {
  private final ObjectKind kind;
  private final Class<T> type;
  private final Map<String, Decoded<T>> byId;

  private record Decoded<T>(String doc, T value) {}

  DocCache(ObjectKind kind, Class<T> type, int max) {
    this.kind = kind;
    this.type = type;
    this.byId =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Decoded<T>> eldest) {
            return size() > max;
          }
        };
  }

  /** The object stored under {@code id}; a missing one is the NotFound of {@link Objects#load}. */
  synchronized T load(String op, Tx tx, String id) throws HnsException, SQLException {
    String key = Objects.id(id);
    Tx.Row row = tx.get(kind, key);
    if (row == null) {
      byId.remove(key);
      return Objects.load(op, tx, kind, id, type); // throws the NotFound
    }
    Decoded<T> e = byId.get(key);
    if (e != null && e.doc().equals(row.doc())) {
      return e.value();
    }
    T value = HcnCodec.read(op, id, row.doc(), type);
    byId.put(key, new Decoded<>(row.doc(), value));
    return value;
  }

  synchronized int size() {
    return byId.size();
  }
}
