package dev.silo.hns;

import static dev.silo.hns.TestHns.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NamespaceResource;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A dataplane failing at any step leaves neither a store row nor kernel state behind. */
class RollbackTest {
  @TempDir Path dir;
  TestHns t;
  HostNetworkService hns;

  @BeforeEach
  void open() throws Exception {
    t = new TestHns(dir);
    hns = t.open();
  }

  private void assertFailsCleanly(String step, ThrowingCall call) throws Exception {
    Map<String, Integer> rows = t.rows();
    Map<String, String> kernel = Map.copyOf(t.dataplane.kernel);
    long generation = hns.generation();
    t.dataplane.failAt = step;

    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            HnsException.Failure.class, e -> assertThat(e.hresult()).isEqualTo(HResult.E_FAIL))
        .hasMessageContaining("dataplane: injected failure at " + step);

    t.dataplane.failAt = null;
    assertThat(t.rows()).isEqualTo(rows);
    assertThat(t.dataplane.kernel).isEqualTo(kernel);
    assertThat(hns.generation()).isEqualTo(generation);
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void networkCreate() throws Exception {
    assertFailsCleanly("createNetwork", () -> hns.createNetwork(TestHns.nat("n", "10.0.0.0/24")));
    assertThat(hns.listNetworks(null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"createEndpoint", "applyEndpointPolicies"})
  void endpointCreateFailingAtEachStep(String step) throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("n", "10.0.0.0/24"));
    HostComputeEndpoint ep =
        TestHns.endpoint("e", n)
            .withPolicies(
                List.of(EndpointPolicy.of(new PortMappingPolicySetting(6, 80, 8080, null, null))));

    assertFailsCleanly(step, () -> hns.createEndpoint(ep));

    // The address, MAC and port were not kept: the next endpoint gets them.
    HostComputeEndpoint again = hns.createEndpoint(ep);
    assertThat(again.ipConfigurations().get(0).ipAddress()).isEqualTo("10.0.0.2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"createNamespace", "attachEndpoint"})
  void namespaceCreateWithEndpointFailingAtEachStep(String step) throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("n", "10.0.0.0/24"));
    HostComputeEndpoint ep = hns.createEndpoint(TestHns.endpoint("e", n));
    HostComputeNamespace ns =
        HostComputeNamespace.host().withResources(List.of(NamespaceResource.endpoint(id(ep))));

    assertFailsCleanly(step, () -> hns.createNamespace(ns));

    assertThat(hns.getEndpointById(id(ep)).hostComputeNamespace()).isNull();
  }

  @Test
  void attachFailure() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("n", "10.0.0.0/24"));
    HostComputeEndpoint ep = hns.createEndpoint(TestHns.endpoint("e", n));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());

    assertFailsCleanly("attachEndpoint", () -> hns.addNamespaceEndpoint(id(ns), id(ep)));

    assertThat(hns.getNamespaceById(id(ns)).resources()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"detachEndpoint", "deleteEndpoint"})
  void endpointDeleteOfAnAttachedEndpointFailingAtEachStep(String step) throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("n", "10.0.0.0/24"));
    HostComputeEndpoint ep = hns.createEndpoint(TestHns.endpoint("e", n));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(id(ns), id(ep));

    assertFailsCleanly(step, () -> hns.deleteEndpoint(id(ep)));

    assertThat(hns.getEndpointById(id(ep)).hostComputeNamespace()).isEqualTo(id(ns));
    assertThat(hns.getNamespaceById(id(ns)).endpointIds()).containsExactly(id(ep));
  }

  @Test
  void networkDeleteAndLoadBalancerFailures() throws Exception {
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("n", "10.0.0.0/24"));
    assertFailsCleanly("deleteNetwork", () -> hns.deleteNetwork(id(n)));

    HostComputeEndpoint ep = hns.createEndpoint(TestHns.endpoint("e", n));
    HostComputeLoadBalancer lb =
        new HostComputeLoadBalancer(
            null, List.of(id(ep)), null, List.of("10.96.0.1"), List.of(), null, null);
    assertFailsCleanly("programLoadBalancer", () -> hns.createLoadBalancer(lb));
    HostComputeLoadBalancer created = hns.createLoadBalancer(lb);
    assertFailsCleanly("removeLoadBalancer", () -> hns.deleteLoadBalancer(id(created)));
  }
}
