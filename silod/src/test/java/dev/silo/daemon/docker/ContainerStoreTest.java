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
        "ns1",
        List.of(
            new ContainerRecord.Endpoint(
                "nat", "n1", "e1", "172.17.0.2", 16, "172.17.0.1", "", "", List.of())),
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
  void aRecordOfTheSingleNetworkFormatLoadsAsOneNetworkAndIsWrittenInTheNewOne() throws Exception {
    // config.v2.json as silod wrote it before containers could be on several networks
    String id = "c".repeat(64);
    Files.createDirectories(dir.resolve(id).resolve("scratch"));
    Files.writeString(
        dir.resolve(id).resolve("config.v2.json"),
        """
        {"ID":"%s","Name":"/old","Created":"2026-12-06T10:00:00Z","Image":"busybox",
         "ImageID":"sha256:1","Config":{"Tty":false},"HostConfig":{"NetworkMode":"n1"},
         "NetworkName":"n1","NetworkID":"%s","EndpointID":"E1","NamespaceID":"NS1",
         "IPAddress":"10.96.1.2","Gateway":"10.96.1.1","MacAddress":"00-15-5D-00-00-02",
         "Ports":[],"StartedAt":"2026-12-06T10:00:01Z","FinishedAt":"0001-01-01T00:00:00Z",
         "ExitCode":0,"RestartCount":0,"HasRun":true}
        """
            .formatted(id, "f".repeat(64)));
    List<String> warnings = new ArrayList<>();
    ContainerRecord old = ContainerStore.open(dir, warnings::add).find("old");
    assertThat(warnings).isEmpty();
    assertThat(old.namespaceId()).isEqualTo("NS1");
    assertThat(old.networks())
        .containsExactly(
            new ContainerRecord.Endpoint(
                "n1",
                "f".repeat(64),
                "E1",
                "10.96.1.2",
                0,
                "10.96.1.1",
                "00-15-5D-00-00-02",
                "",
                List.of()));
    assertThat(old.primary()).isEqualTo(old.networks().get(0));
    assertThat(old.endpointIds()).containsExactly("E1");

    ContainerStore s = ContainerStore.open(dir, warnings::add);
    s.put(old.started("2026-12-07T00:00:00Z", false));
    String written = Files.readString(dir.resolve(id).resolve("config.v2.json"));
    assertThat(written).contains("\"Networks\":[{");
    for (String field : List.of("NetworkID", "EndpointID", "IPAddress", "Gateway", "MacAddress")) {
      assertThat(Json.MAPPER.readTree(written).has(field)).as(field + " at the top").isFalse();
    }
    assertThat(ContainerStore.open(dir, warnings::add).find("old").networks())
        .isEqualTo(old.networks());
  }

  @Test
  void aNoneModeRecordOfTheOldFormatHasNoNetworks() throws Exception {
    String id = "d".repeat(64);
    Files.createDirectories(dir.resolve(id).resolve("scratch"));
    Files.writeString(
        dir.resolve(id).resolve("config.v2.json"),
        """
        {"ID":"%s","Name":"/quiet","Created":"","Image":"busybox","ImageID":"sha256:1",
         "Config":{},"HostConfig":{},"NetworkName":"none","NetworkID":"","EndpointID":"",
         "NamespaceID":"","IPAddress":"","Gateway":"","MacAddress":"","Ports":[],
         "StartedAt":"","FinishedAt":"","ExitCode":0,"RestartCount":0,"HasRun":false}
        """
            .formatted(id));
    ContainerRecord r = ContainerStore.open(dir, w -> {}).find("quiet");
    assertThat(r.networks()).isEmpty();
    assertThat(r.primary()).isNull();
  }

  @Test
  void networksAreReplacedAppendedAndRemovedByNetworkId() {
    ContainerRecord r = record("e".repeat(64), "/multi");
    ContainerRecord.Endpoint n2 =
        new ContainerRecord.Endpoint("n2", "N2", "", "", 0, "", "", "10.96.2.9", List.of("db"));
    ContainerRecord two = r.withNetwork(n2);
    assertThat(two.networks())
        .extracting(ContainerRecord.Endpoint::network)
        .containsExactly("nat", "n2");
    assertThat(two.endpointIds()).containsExactly("e1");
    ContainerRecord made = two.withNetwork(n2.madeAs("E2", "10.96.2.9", 24, "m"));
    assertThat(made.endpointIds()).containsExactly("e1", "E2");
    assertThat(made.network("n2")).isNotNull();
    assertThat(made.withoutNetwork("n1").networks())
        .extracting(ContainerRecord.Endpoint::network)
        .containsExactly("n2");
    assertThat(made.withoutNetwork("n1").primary()).isNull();
  }

  @Test
  void anUpdateChangesTheCurrentRecordAndLeavesARemovedOneRemoved() throws Exception {
    ContainerStore s = ContainerStore.open(dir, w -> {});
    String id = "f".repeat(64);
    ContainerRecord stale = record(id, "/one");
    s.put(stale);
    s.update(id, r -> r.withName("/two")); // e.g. a rename
    // a writer that read the record before the rename (an exit) changes only its own fields
    s.update(stale.id(), r -> r.finished("2026-12-07T01:00:00Z", 3));
    ContainerRecord now =
        java.util.Objects.requireNonNull(ContainerStore.open(dir, w -> {}).get(id));
    assertThat(now.name()).isEqualTo("/two");
    assertThat(now.exitCode()).isEqualTo(3);

    s.remove(id);
    assertThat(s.update(id, r -> r.finished("2026-12-07T02:00:00Z", 4))).isNull();
    assertThat(s.get(id)).isNull();
    assertThat(dir.resolve(id)).doesNotExist();
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
  void anUnreadableRecordKeepsItsDirectory() throws Exception {
    Path d = dir.resolve("9".repeat(64));
    Files.createDirectories(d.resolve("scratch/upper"));
    Files.writeString(d.resolve("config.v2.json"), "{not json");
    List<String> warnings = new ArrayList<>();
    ContainerStore s = ContainerStore.open(dir, warnings::add);
    assertThat(s.list()).isEmpty();
    assertThat(d.resolve("scratch/upper")).as("the writable layer is kept").isDirectory();
    assertThat(warnings).singleElement().asString().contains("skipping container directory");
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
