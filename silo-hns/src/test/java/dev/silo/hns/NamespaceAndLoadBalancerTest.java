package dev.silo.hns;

import static dev.silo.hns.TestHns.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NamespaceResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespace attach/detach and load balancer create/update/delete. */
class NamespaceAndLoadBalancerTest {
  @TempDir Path dir;
  TestHns t;
  HostNetworkService hns;
  HostComputeNetwork nat;
  HostComputeEndpoint ep;

  @BeforeEach
  void open() throws Exception {
    t = new TestHns(dir);
    hns = t.open();
    nat = hns.createNetwork(TestHns.nat("nat", "10.0.0.0/24"));
    ep = hns.createEndpoint(TestHns.endpoint("e", nat));
  }

  @Test
  void attachAndDetachUpdateBothObjectsAndTheKernel() throws Exception {
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    assertThat(ns.namespaceId()).isEqualTo(1L);

    HostComputeNamespace attached = hns.addNamespaceEndpoint(id(ns), id(ep));

    assertThat(attached.resources()).containsExactly(NamespaceResource.endpoint(id(ep)));
    assertThat(hns.getEndpointById(id(ep)).hostComputeNamespace()).isEqualTo(id(ns));
    assertThat(t.dataplane.kernel).containsEntry("Attached " + id(ep), id(ns));
    HostComputeNamespace other = hns.createNamespace(HostComputeNamespace.host());
    assertThatThrownBy(() -> hns.addNamespaceEndpoint(id(other), id(ep)))
        .isInstanceOfSatisfying(
            HnsException.Conflict.class,
            e ->
                assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS));

    hns.modifyNamespace(
        id(ns),
        new ModificationRequest(
            "Endpoint", ModifyRequestType.REMOVE, Map.of("EndpointId", id(ep))));

    assertThat(hns.getNamespaceById(id(ns)).resources()).isEmpty();
    assertThat(hns.getEndpointById(id(ep)).hostComputeNamespace()).isNull();
    assertThat(t.dataplane.kernel).doesNotContainKey("Attached " + id(ep));
    assertThatThrownBy(() -> hns.removeNamespaceEndpoint(id(ns), id(ep)))
        .isInstanceOfSatisfying(
            HnsException.InvalidInput.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENDPOINT_NOT_ATTACHED));
  }

  @Test
  void deletingANamespaceDetachesButKeepsItsEndpoints() throws Exception {
    HostComputeNamespace ns =
        hns.createNamespace(
            HostComputeNamespace.host().withResources(List.of(NamespaceResource.endpoint(id(ep)))));

    hns.deleteNamespace(id(ns));

    assertThat(hns.getEndpointById(id(ep)).hostComputeNamespace()).isNull();
    assertThat(t.dataplane.kernel)
        .containsKey("Endpoint " + id(ep))
        .doesNotContainKey("Namespace " + id(ns));
    assertThatThrownBy(() -> hns.getNamespaceById(id(ns)))
        .isInstanceOf(HnsException.NotFound.class)
        .hasMessageContaining("Namespace ID " + id(ns) + " not found")
        .hasMessageContaining("0x80070490");
  }

  @Test
  void deletingAnAttachedEndpointDetachesItFirst() throws Exception {
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(id(ns), id(ep));

    hns.deleteEndpoint(id(ep));

    assertThat(hns.getNamespaceById(id(ns)).resources()).isEmpty();
    assertThat(t.dataplane.kernel).containsOnlyKeys("Network " + id(nat), "Namespace " + id(ns));
    t.assertRows(2, 0, 0, 0);
  }

  @Test
  void loadBalancerLifecycle() throws Exception {
    HostComputeEndpoint ep2 = hns.createEndpoint(TestHns.endpoint("e2", nat));
    LoadBalancerPortMapping pm = new LoadBalancerPortMapping(6, 8080, 80, 2, null);
    HostComputeLoadBalancer lb =
        hns.createLoadBalancer(
            new HostComputeLoadBalancer(
                null, List.of(id(ep)), null, List.of("10.96.0.1"), List.of(pm), null, 1));

    assertThat(t.dataplane.kernel).containsEntry("LoadBalancer " + id(lb), id(ep));
    assertThatThrownBy(() -> hns.deleteEndpoint(id(ep)))
        .isInstanceOfSatisfying(
            HnsException.Conflict.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENTITY_HAS_REFERENCES));

    HostComputeLoadBalancer updated =
        hns.updateLoadBalancer(
            id(lb),
            new HostComputeLoadBalancer(
                null, List.of(id(ep), id(ep2)), null, List.of("10.96.0.1"), List.of(pm), null, 1));

    assertThat(updated.id()).isEqualTo(lb.id());
    assertThat(t.dataplane.kernel).containsEntry("LoadBalancer " + id(lb), id(ep) + "," + id(ep2));
    assertThat(hns.listLoadBalancers(null)).containsExactly(updated);
    hns.deleteLoadBalancer(id(lb));
    assertThat(t.dataplane.kernel).doesNotContainKey("LoadBalancer " + id(lb));
    hns.deleteEndpoint(id(ep));
  }

  @Test
  void loadBalancerWithUnknownBackendOrBadProtocolIsRejected() throws Exception {
    HostComputeLoadBalancer unknown =
        new HostComputeLoadBalancer(
            null,
            List.of("0bad0000-0000-0000-0000-000000000000"),
            null,
            List.of(),
            List.of(),
            null,
            null);
    HostComputeLoadBalancer icmp =
        new HostComputeLoadBalancer(
            null,
            List.of(),
            null,
            List.of(),
            List.of(new LoadBalancerPortMapping(1, 1, 1, null, null)),
            null,
            null);

    assertThatThrownBy(() -> hns.createLoadBalancer(unknown))
        .isInstanceOfSatisfying(
            HnsException.NotFound.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_ENDPOINT_NOT_FOUND));
    assertThatThrownBy(() -> hns.createLoadBalancer(icmp))
        .isInstanceOf(HnsException.InvalidInput.class);
    assertThat(hns.listLoadBalancers(null)).isEmpty();
    // An LB without backends is valid (kubernetes #106936).
    assertThat(
            hns.createLoadBalancer(
                    new HostComputeLoadBalancer(
                        null, List.of(), null, List.of("10.96.0.9"), List.of(), null, null))
                .hostComputeEndpoints())
        .isEmpty();
  }
}
