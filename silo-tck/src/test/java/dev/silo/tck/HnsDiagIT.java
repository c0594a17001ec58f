package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dist/bin/hnsdiag over a store of its own: every verb, --json, tables, and bad input. */
class HnsDiagIT extends ContainerTestSupport {
  @SuppressWarnings("NullAway.Init") // set before each test
  private HnsFixture hns;

  @BeforeEach
  void openStore() throws Exception {
    hns = new HnsFixture(cli, Files.createTempDirectory(temp, "hns"));
  }

  @AfterEach
  void clearStore() {
    hns.clear();
    hns.close();
  }

  @Test
  void createListAttachShowDetachDelete() {
    String net = hns.natNetwork("it-nat", "10.97.1").get("ID").asText();
    JsonNode ep = hns.endpoint("it-web", net);
    String epId = ep.get("ID").asText();
    assertThat(ep.at("/IpConfigurations/0/IpAddress").asText()).isEqualTo("10.97.1.2");

    List<String> table = hns.run("list", "networks").ok().out().lines().toList();
    assertThat(table.get(0).trim().split("\\s+")).containsExactly("ID", "NAME", "TYPE", "SUBNETS");
    assertThat(table).anyMatch(l -> l.startsWith(net) && l.contains("it-nat") && l.contains("NAT"));

    String ns = hns.create("namespace", "{}").get("ID").asText();
    Path netns = hns.netnsOf(ns);
    assertThat(netns).exists();
    JsonNode attached = HnsFixture.parse(hns.run("attach", "it-web", ns, "--json").ok().out());
    assertThat(attached.at("/Resources/0/Data/ID").asText()).isEqualToIgnoringCase(epId);

    JsonNode all = hns.all();
    assertThat(all.at("/endpoints/0/HostComputeNamespace").asText()).isEqualTo(ns);
    assertThat(all.path("networks")).hasSize(1);

    JsonNode shown = HnsFixture.parse(hns.run("show", epId, "--json").ok().out());
    assertThat(shown.get("Kind").asText()).isEqualTo("endpoint");
    assertThat(shown.at("/Kernel/Netns/Inode").asLong()).isEqualTo(HnsFixture.inode(netns));
    assertThat(hns.run("show", ns).ok().out()).contains("namespace:", "kernel:", ns);

    String refused = oneLine(hns.run("delete", "namespace", ns));
    assertThat(refused).contains("HCN_E_ENTITY_HAS_REFERENCES");
    hns.run("detach", "it-web").ok();
    assertThat(hns.all().at("/endpoints/0/HostComputeNamespace").isMissingNode()).isTrue();
    hns.run("delete", "namespace", ns).ok();
    assertThat(netns).doesNotExist();
    hns.run("delete", "endpoint", "it-web", "--json").ok();
    hns.run("delete", "network", net).ok();
    hns.all().fields().forEachRemaining(e -> assertThat(e.getValue()).as(e.getKey()).isEmpty());
  }

  @Test
  void badInputFailsWithOneLineAndLeavesNothing() {
    Path bad = hns.file("{\"Name\": \"x\", ");
    assertThat(oneLine(hns.run("create", "network", bad.toString())))
        .contains("HCN_E_INVALID_JSON");
    Path unknownField = hns.file("{\"Name\": \"x\", \"Colour\": \"red\"}");
    assertThat(oneLine(hns.run("create", "network", unknownField.toString())))
        .contains("HCN_E_INVALID_JSON", "Colour");
    Path orphan = hns.file("{\"Name\": \"e\", \"HostComputeNetwork\": \"" + newGuid() + "\"}");
    assertThat(oneLine(hns.run("create", "endpoint", orphan.toString(), "--json")))
        .contains("NOT_FOUND");
    assertThat(oneLine(hns.run("delete", "network", newGuid()))).contains("0x");
    assertThat(oneLine(hns.run("show", "nope", "--json"))).contains("nope");
    assertThat(oneLine(hns.run("attach", "nope", newGuid()))).contains("HCN_E_ENDPOINT_NOT_FOUND");
    assertThat(oneLine(hns.run("create", "widget", bad.toString()))).contains("unknown kind");
    hns.all().fields().forEachRemaining(e -> assertThat(e.getValue()).as(e.getKey()).isEmpty());
  }

  @Test
  void everyHelpEndsWithAnExample() {
    for (String verb : List.of("list", "create", "delete", "attach", "detach", "show")) {
      List<String> lines = cli.hnsdiag(verb, "--help").ok().out().strip().lines().toList();
      assertThat(lines.get(lines.size() - 2)).as(verb).isEqualTo("Example:");
      assertThat(lines.getLast()).as(verb).startsWith("  hnsdiag " + verb);
    }
  }

  private static String newGuid() {
    return java.util.UUID.randomUUID().toString();
  }

  /** Asserts exit 1, nothing on stdout and one stderr line {@code hnsdiag: …}; returns it. */
  private static String oneLine(Cli.Result r) {
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1);
    assertThat(r.err()).startsWith("hnsdiag: ");
    return r.err().strip();
  }
}
