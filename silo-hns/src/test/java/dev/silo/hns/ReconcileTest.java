package dev.silo.hns;

import static dev.silo.hns.TestHns.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.Ipam;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.SchemaVersion;
import dev.silo.schema.hcn.Subnet;
import dev.silo.schema.hcn.SubnetPolicy;
import dev.silo.schema.hcn.VsidPolicySetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconcile on open: orphans removed, missing objects re-created, non-persistent ones dropped. */
class ReconcileTest {
  @TempDir Path dir;
  TestHns t;

  @BeforeEach
  void setUp() throws Exception {
    t = new TestHns(dir);
  }

  @Test
  void firstOpenRecordsTheBootAndFindsNothingToDo() throws Exception {
    HostNetworkService hns = t.open();

    assertThat(hns.openReport().bootChanged()).isTrue();
    assertThat(hns.openReport().clean()).isTrue();
    assertThat(hns.openReport().bootId()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(t.open().openReport().bootChanged()).isFalse();
  }

  @Test
  void aNewStoreLeavesKernelObjectsOfOtherStoresAlone() throws Exception {
    t.dataplane.kernel.put("Network 0123abcd", "another store's bridge");

    ReconcileReport r = t.open().openReport();

    assertThat(r.orphansRemoved()).isEmpty();
    assertThat(t.dataplane.kernel).containsKey("Network 0123abcd");
  }

  @Test
  void orphansAreRemovedAndMissingObjectsRecreated() throws Exception {
    HostNetworkService hns = t.open();
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("nat", "10.0.0.0/24"));
    HostComputeEndpoint ep = hns.createEndpoint(TestHns.endpoint("e", n));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(id(ns), id(ep));
    HostComputeLoadBalancer lb =
        hns.createLoadBalancer(
            new HostComputeLoadBalancer(
                null, List.of(id(ep)), null, List.of("10.96.0.1"), List.of(), null, null));
    var expected = java.util.Map.copyOf(t.dataplane.kernel);
    // Out-of-band damage: the endpoint and LB vanish from the kernel, a crash left an orphan.
    t.dataplane.kernel.remove("Endpoint " + id(ep));
    t.dataplane.kernel.remove("Attached " + id(ep));
    t.dataplane.kernel.remove("LoadBalancer " + id(lb));
    t.dataplane.kernel.put("Endpoint deadbeef", "leaked veth");

    ReconcileReport r = t.open().openReport();

    assertThat(r.bootChanged()).isFalse();
    assertThat(r.orphansRemoved()).containsExactly("Endpoint deadbeef");
    assertThat(r.recreated()).containsExactly("Endpoint " + id(ep), "LoadBalancer " + id(lb));
    assertThat(r.failed()).isEmpty();
    assertThat(t.dataplane.kernel).isEqualTo(expected);
    assertThat(t.open().openReport().clean()).isTrue();
  }

  @Test
  void aNewBootDropsNonPersistentNetworksAndRecreatesTheRest() throws Exception {
    HostNetworkService hns = t.open();
    HostComputeNetwork kept = hns.createNetwork(TestHns.nat("kept", "10.0.0.0/24"));
    HostComputeNetwork flannel =
        hns.createNetwork(
            new HostComputeNetwork(
                null,
                "flannel.4096",
                NetworkType.OVERLAY,
                List.of(),
                null,
                null,
                List.of(
                    new Ipam(
                        "Static",
                        List.of(
                            new Subnet(
                                "10.244.1.0/24",
                                List.of(new SubnetPolicy("VSID", new VsidPolicySetting(4096))),
                                List.of(),
                                null)))),
                HostComputeNetwork.ENABLE_NON_PERSISTENT,
                null,
                SchemaVersion.V2));
    HostComputeEndpoint pod = hns.createEndpoint(TestHns.endpoint("pod", flannel));
    HostComputeEndpoint web = hns.createEndpoint(TestHns.endpoint("web", kept));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(id(ns), id(pod));
    // Reboot: new boot id, empty kernel.
    Files.writeString(t.bootId, "99999999-2222-3333-4444-555555555555\n");
    t.dataplane.kernel.clear();

    HostNetworkService after = t.open();
    ReconcileReport r = after.openReport();

    assertThat(r.bootChanged()).isTrue();
    assertThat(r.dropped()).containsExactly("Endpoint " + id(pod), "Network " + id(flannel));
    assertThat(r.recreated())
        .containsExactly("Network " + id(kept), "Namespace " + id(ns), "Endpoint " + id(web));
    assertThat(after.listNetworks(null)).containsExactly(kept);
    assertThat(after.getNamespaceById(id(ns)).resources()).isEmpty();
    assertThat(t.dataplane.kernel)
        .containsOnlyKeys("Network " + id(kept), "Namespace " + id(ns), "Endpoint " + id(web));
    t.assertRows(3, 1, 1, 0);
  }

  @Test
  void whenBootChangedSkipsReconcileOnTheSameBoot() throws Exception {
    HostNetworkService hns = t.open();
    hns.createNetwork(TestHns.nat("nat", "10.0.0.0/24"));
    t.dataplane.kernel.clear();

    ReconcileReport r =
        HostNetworkService.open(t.options().withReconcile(HnsOptions.Reconcile.WHEN_BOOT_CHANGED))
            .openReport();

    assertThat(r.clean()).isTrue();
    assertThat(t.dataplane.kernel).isEmpty();
    assertThat(hns.reconcile().recreated()).hasSize(1);
  }
}
