package dev.silo.hns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.HostComputeEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoded endpoints are reused only while their stored text is unchanged. */
class DocCacheTest {
  static final String ID = "0000000a-0000-0000-0000-000000000001";

  @Test
  void aChangedOrDeletedRowIsNeverServedFromTheCache(@TempDir Path dir) throws Exception {
    DocCache<HostComputeEndpoint> cache =
        new DocCache<>(ObjectKind.ENDPOINT, HostComputeEndpoint.class, 2);
    try (Store store = new Store(dir.resolve("hns.db"))) {
      HostComputeEndpoint a = HostComputeEndpoint.of("a", "net").withId(ID);
      store.write(
          "t",
          ID,
          tx -> {
            tx.insert(ObjectKind.ENDPOINT, ID, "a", "net", true, HcnCodec.write(a));
            return true;
          });
      HostComputeEndpoint first = store.read("t", ID, tx -> cache.load("t", tx, ID));
      // same text: the same decoded record, ids compare ignoring case
      HostComputeEndpoint again = store.read("t", ID, tx -> cache.load("t", tx, ID.toUpperCase()));
      assertThat(again).isSameAs(first);
      // another writer (another process shares the file) changes the document
      HostComputeEndpoint b = a.withNamespace("ns-b");
      store.write(
          "t",
          ID,
          tx -> {
            tx.replace(ObjectKind.ENDPOINT, ID, HcnCodec.write(b));
            return true;
          });
      HostComputeEndpoint changed = store.read("t", ID, tx -> cache.load("t", tx, ID));
      assertThat(changed.hostComputeNamespace()).isEqualTo("ns-b");
      store.write(
          "t",
          ID,
          tx -> {
            tx.delete(ObjectKind.ENDPOINT, ID);
            return true;
          });
      assertThatThrownBy(() -> store.read("t", ID, tx -> cache.load("t", tx, ID)))
          .isInstanceOfSatisfying(
              HnsException.class,
              e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENDPOINT_NOT_FOUND))
          .hasMessageContaining("Endpoint ID " + ID + " not found");
      assertThat(cache.size()).isZero();
    }
  }
}
