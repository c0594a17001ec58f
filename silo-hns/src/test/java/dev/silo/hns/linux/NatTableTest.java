package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.OutboundNatPolicySetting;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nat driver's names and nft elements, without a kernel. */
class NatTableTest {
  static final String EP = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
  static final String LOWER = EP.toLowerCase(java.util.Locale.ROOT);

  static HostComputeEndpoint endpoint(EndpointPolicy... policies) {
    return HostComputeEndpoint.of("ep", "net")
        .withId(EP)
        .withAddressing(List.of(new IpConfig("172.31.77.2", 24)), null, List.of())
        .withPolicies(List.of(policies));
  }

  @Test
  void linkNamesAreDeterministicAndFitIfnamsiz() {
    assertThat(Names.hostVeth(EP)).isEqualTo("silov3f2504e04f").hasSize(15);
    assertThat(Names.bridge(EP.toLowerCase(java.util.Locale.ROOT))).isEqualTo("silob3f2504e04f");
    assertThat(Names.netns("silo", EP)).isEqualTo("silo-3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assertThat(Names.namespaceIdOf("silo", Names.netns("silo", EP))).isEqualTo(EP.toLowerCase());
    assertThat(Names.namespaceIdOf("silo", "silo-notaguid")).isNull();
    assertThat(Names.namespaceIdOf("other", Names.netns("silo", EP))).isNull();
  }

  @Test
  void portMappingsAndExceptionsBecomeElements() throws DataplaneException {
    HostComputeEndpoint ep =
        endpoint(
            EndpointPolicy.of(new PortMappingPolicySetting(6, 80, 18080, null, null)),
            EndpointPolicy.of(new PortMappingPolicySetting(17, 53, 5353, "10.0.0.5", null)),
            EndpointPolicy.of(
                new OutboundNatPolicySetting(null, List.of("10.1.2.3/8"), List.of(), null, null)));
    assertThat(NatTable.elements(ep))
        .extracting(NatTable.Element::add)
        .containsExactly(
            "add element ip silo ports { tcp . 18080 comment \"ep:"
                + LOWER
                + "\" : 172.31.77.2 . 80 }\n",
            "add element ip silo vports { 10.0.0.5 . udp . 5353 comment \"ep:"
                + LOWER
                + "\" : 172.31.77.2 . 53 }\n",
            "add element ip silo natexcept { 172.31.77.2 . 10.0.0.0/8 comment \"ep:"
                + LOWER
                + "\" }\n");
    assertThat(NatTable.elements(ep).iterator().next().delete())
        .isEqualTo("delete element ip silo ports { tcp . 18080 }\n");
  }

  @Test
  void scriptInjectionAndUnknownProtocolsAreRefused() {
    assertThatThrownBy(
            () ->
                NatTable.elements(
                    endpoint(
                        EndpointPolicy.of(
                            new PortMappingPolicySetting(
                                6, 80, 1, "1.2.3.4 }; flush ruleset", null)))))
        .isInstanceOf(DataplaneException.class);
    assertThatThrownBy(
            () ->
                NatTable.elements(
                    endpoint(
                        EndpointPolicy.of(new PortMappingPolicySetting(1, 80, 1, null, null)))))
        .isInstanceOf(DataplaneException.class)
        .hasMessageContaining("Protocol 1");
    assertThatThrownBy(
            () ->
                NatTable.elements(
                    endpoint(
                        EndpointPolicy.of(
                            new OutboundNatPolicySetting(
                                null, List.of("10.0.0.0/8 }; flush"), List.of(), null, null)))))
        .isInstanceOf(DataplaneException.class);
  }

  @Test
  void ownedElementsAreReadBackFromNftJsonAsDeletes() {
    String json =
        """
        {"nftables": [{"metainfo": {"version": "1.0.6"}}, {"table": {"family": "ip", "name": "silo"}},
         {"set": {"family": "ip", "name": "natexcept", "table": "silo", "elem": [{"elem": {"val":
          {"concat": ["172.31.77.2", {"prefix": {"addr": "10.0.0.0", "len": 8}}]}, "comment": "ep:abc"}}]}},
         {"map": {"family": "ip", "name": "ports", "table": "silo", "elem": [[{"elem": {"val":
          {"concat": ["tcp", 18080]}, "comment": "ep:abc"}}, {"concat": ["172.31.77.2", 80]}],
          [{"elem": {"val": {"concat": ["udp", 53]}, "comment": "ep:def"}}, {"concat": ["172.31.77.3", 53]}]]}}]}
        """;
    assertThat(OwnedElements.parse(json))
        .containsEntry(
            "abc",
            List.of(
                "delete element ip silo natexcept { 172.31.77.2 . 10.0.0.0/8 }\n",
                "delete element ip silo ports { tcp . 18080 }\n"))
        .containsEntry("def", List.of("delete element ip silo ports { udp . 53 }\n"));
  }

  @Test
  void ensureIsOneIdempotentScript() {
    String s = NatTable.ensure();
    assertThat(s).contains("flush chain ip silo postrouting").contains("fib daddr type local");
    assertThat(s.indexOf("@natexcept return")).isLessThan(s.indexOf("masquerade"));
  }
}
