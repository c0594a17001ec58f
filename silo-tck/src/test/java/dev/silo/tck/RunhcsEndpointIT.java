package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dist/bin/runhcs joining HNS endpoints through the {@code dev.silo.endpoint} annotation: the
 * container's network namespace is the HostComputeNamespace's, compared by nsfs inode.
 */
class RunhcsEndpointIT extends ContainerTestSupport {
  @SuppressWarnings("NullAway.Init") // set before each test
  private HnsFixture hns;

  @BeforeEach
  void openStore() throws Exception {
    Path dir = Files.createTempDirectory(temp, "hns");
    hns = new HnsFixture(cli, dir);
    // runhcs finds the store and host netns through the environment (containerd passes none:
    // the defaults).
    cli = hns.cli();
  }

  @AfterEach
  void clearStore() {
    deleteContainers(); // before the store goes: a container may own a namespace
    hns.clear();
    hns.close();
  }

  private Path bundleOn(String id, String endpoint) {
    return bundles.bundle(
        id,
        c -> {
          ObjectNode a =
              c.get("annotations") instanceof ObjectNode o ? o : c.putObject("annotations");
          a.put("dev.silo.endpoint", endpoint);
        },
        "sleep",
        "1000");
  }

  @Test
  void unknownEndpointFailsCleanly() {
    String id = newId();
    Cli.Result r = cli.runhcs("run", "-d", "--bundle", bundleOn(id, "no-such-ep").toString(), id);
    assertThat(r.failsWithOneLine()).contains("HCN_E_ENDPOINT_NOT_FOUND", "no-such-ep");
    assertThat(cli.root().resolve(id)).doesNotExist();
    assertThat(hns.all().path("namespaces")).isEmpty();
  }

  @Test
  void containerJoinsTheEndpointsNamespaceWhichGoesWithIt() {
    String net = hns.natNetwork("it-join", "10.97.2").get("ID").asText();
    String ep = hns.endpoint("it-join-ep", net).get("ID").asText();
    String id = newId();
    long pid = runDetached(id, bundleOn(id, "it-join-ep"));

    JsonNode all = hns.all();
    String ns = all.at("/endpoints/0/HostComputeNamespace").asText();
    assertThat(ns).isNotEmpty();
    assertThat(all.at("/namespaces/0/Resources/0/Data/ID").asText()).isEqualToIgnoringCase(ep);
    Path netns = hns.netnsOf(ns);
    assertThat(HnsFixture.inode(Path.of("/proc", Long.toString(pid), "ns", "net")))
        .isEqualTo(HnsFixture.inode(netns))
        .isNotEqualTo(HnsFixture.inode(Path.of("/proc/self/ns/net")));

    cli.runhcs("delete", "--force", id).ok();
    assertThat(netns).doesNotExist();
    JsonNode after = hns.all();
    assertThat(after.path("namespaces")).isEmpty();
    assertThat(after.at("/endpoints/0/ID").asText()).isEqualTo(ep);
    assertThat(after.at("/endpoints/0/HostComputeNamespace").isMissingNode()).isTrue();
  }

  @Test
  void anAttachedEndpointsNamespaceIsJoinedAndLeftInPlace() {
    String net = hns.natNetwork("it-keep", "10.97.3").get("ID").asText();
    String ep = hns.endpoint("it-keep-ep", net).get("ID").asText();
    String ns = hns.create("namespace", "{}").get("ID").asText();
    hns.run("attach", ep, ns).ok();
    String id = newId();
    long pid = runDetached(id, bundleOn(id, ep));
    Path netns = hns.netnsOf(ns);
    assertThat(HnsFixture.inode(Path.of("/proc", Long.toString(pid), "ns", "net")))
        .isEqualTo(HnsFixture.inode(netns));
    cli.runhcs("delete", "--force", id).ok();
    assertThat(netns).exists();
    assertThat(hns.all().at("/endpoints/0/HostComputeNamespace").asText()).isEqualTo(ns);
  }
}
