package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.daemon.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container records on disk: atomic writes, reload, lookup as dockerd's GetContainer. */
class ContainerStoreTest {
  @TempDir Path dir;

  private static ContainerRecord record(String id, String name) {
    return new ContainerRecord(
        id,
        name,
        "2026-12-07T00:00:00Z",
        "busybox",
        "sha256:1",
        Json.object().put("Tty", false),
        Json.object(),
        "nat",
        "n1",
        "e1",
        "ns1",
        "172.17.0.2",
        "172.17.0.1",
        "",
        List.of(new ContainerRecord.PortBinding(80, "tcp", "127.0.0.1", 8080)),
        ContainerRecord.ZERO_TIME,
        ContainerRecord.ZERO_TIME,
        0,
        0,
        false,
        false);
  }

  @Test
  void recordsSurviveAReopenWithoutTemporaryFiles() throws Exception {
    List<String> warnings = new ArrayList<>();
    ContainerStore s = ContainerStore.open(dir, warnings::add);
    ContainerRecord r = record("a".repeat(64), "/web");
    s.put(r);
    s.put(r.started("2026-12-07T00:00:01Z", false).withRestarts(2, true));

    ContainerStore again = ContainerStore.open(dir, warnings::add);
    assertThat(again.list()).hasSize(1);
    ContainerRecord back = again.find("web");
    assertThat(back.startedAt()).isEqualTo("2026-12-07T00:00:01Z");
    assertThat(back.hasRun()).isTrue();
    assertThat(back.restartCount()).isEqualTo(2);
    assertThat(back.manuallyStopped()).as("HasBeenManuallyStopped is kept").isTrue();
    assertThat(back.started("2026-12-07T00:00:02Z", false))
        .as("a start by the user")
        .extracting(ContainerRecord::restartCount, ContainerRecord::manuallyStopped)
        .containsExactly(0, false);
    assertThat(back.ports())
        .containsExactly(new ContainerRecord.PortBinding(80, "tcp", "127.0.0.1", 8080));
    assertThat(back.config().path("Tty").asBoolean(true)).isFalse();
    try (Stream<Path> files = Files.list(dir.resolve("a".repeat(64)))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("config.v2.json", "scratch");
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aDirectoryWithoutARecordIsACrashedCreateAndGoes() throws Exception {
    Files.createDirectories(dir.resolve("b".repeat(64)).resolve("scratch/upper"));
    List<String> warnings = new ArrayList<>();
    ContainerStore s = ContainerStore.open(dir, warnings::add);
    assertThat(s.list()).isEmpty();
    assertThat(dir.resolve("b".repeat(64))).doesNotExist();
    assertThat(warnings).singleElement().asString().contains("dropping container directory");
  }

  @Test
  void findsByIdNameAndUniquePrefix() throws Exception {
    ContainerStore s = ContainerStore.open(dir, w -> {});
    s.put(record("abc1" + "0".repeat(60), "/one"));
    s.put(record("abc2" + "0".repeat(60), "/two"));
    assertThat(s.find("/two").name()).isEqualTo("/two");
    assertThat(s.find("abc1").name()).isEqualTo("/one");
    assertThatThrownBy(() -> s.find("abc"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("Multiple IDs found with provided prefix: abc");
    assertThatThrownBy(() -> s.find("zzz"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage("No such container: zzz");
    s.remove("abc1" + "0".repeat(60));
    assertThat(dir.resolve("abc1" + "0".repeat(60))).doesNotExist();
    assertThat(s.find("abc").name()).isEqualTo("/two");
  }
}
