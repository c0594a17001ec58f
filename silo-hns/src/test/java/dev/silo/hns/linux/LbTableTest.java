package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.linux.net.NftConcat;
import dev.silo.linux.net.NftSetElements;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The load balancer table's elements, variant maps and batches, without a kernel. */
class LbTableTest {
  static final String LB = "AB2504E0-4F89-11D3-9A0C-0305E82C3301";
  static final String OWNER = "lb:ab2504e0-4f89-11d3-9a0c-0305e82c3301";
  static final String C = " comment \"" + OWNER + "\"";

  static HostComputeEndpoint backend(String ip) {
    return HostComputeEndpoint.of("ep", "net")
        .withId("00000000-0000-0000-0000-00000000000" + ip.charAt(ip.length() - 1))
        .withAddressing(List.of(new IpConfig(ip, 24)), null, List.of());
  }

  static HostComputeLoadBalancer lb(int flags, Integer distribution, String... vips) {
    return new HostComputeLoadBalancer(
        LB,
        List.of(),
        null,
        List.of(vips),
        List.of(new LoadBalancerPortMapping(6, 8080, 80, distribution, 0)),
        null,
        flags);
  }

  @Test
  void frontendIsClaimedAndSlotsGoToTheMapOfItsVariant() throws DataplaneException {
    Set<LbTable.Element> els =
        LbTable.elements(
            lb(0, 0, "10.96.0.10"), List.of(backend("172.31.77.2"), backend("172.31.77.3")));
    assertThat(els)
        .extracting(LbTable.Element::add)
        .containsExactly(
            "create element ip silolb fronts { 10.96.0.10 . tcp . 80" + C + " }\n",
            "create element ip silolb r2 { 10.96.0.10 . tcp . 80 . 0"
                + C
                + " : 172.31.77.2 . 8080 }\n",
            "create element ip silolb r2 { 10.96.0.10 . tcp . 80 . 1"
                + C
                + " : 172.31.77.3 . 8080 }\n");
    assertThat(els.iterator().next().delete())
        .isEqualTo("delete element ip silolb fronts { 10.96.0.10 . tcp . 80 }\n");
    assertThat(LbTable.variants(els)).containsExactly(new LbTable.Variant(2, false, false));
  }

  @Test
  void variantsPickBySourceHashAndSkipTheSnatMarkForDsr() throws DataplaneException {
    Set<LbTable.Element> els =
        LbTable.elements(lb(LbTable.FLAG_DSR, 2, "10.96.0.10"), List.of(backend("172.31.77.2")));
    assertThat(LbTable.variants(els)).containsExactly(new LbTable.Variant(1, true, true));
    assertThat(new LbTable.Variant(1, true, true).ensure())
        .isEqualTo(
            "add map ip silolb hd1 { typeof ip daddr . meta l4proto . th dport"
                + " . numgen random mod 1 : ip daddr . th dport; }\n"
                + "add rule ip silolb prerouting dnat ip to ip daddr . meta l4proto . th dport"
                + " . jhash ip saddr mod 1 seed 0x5110 map @hd1\n"
                + "add rule ip silolb output dnat ip to ip daddr . meta l4proto . th dport"
                + " . jhash ip saddr mod 1 seed 0x5110 map @hd1\n");
    assertThat(new LbTable.Variant(3, false, false).ensure())
        .contains(
            "add rule ip silolb output ct mark set 0x5110b000 dnat ip to ip daddr . meta l4proto"
                + " . th dport . numgen random mod 3 map @r3\n");
    assertThat(LbTable.create())
        .contains("add rule ip silolb postrouting ct mark 0x5110b000 masquerade\n")
        .contains(
            "add rule ip silolb prerouting ip daddr . meta l4proto . th dport @nobackend drop")
        .contains("hook output priority -105")
        .doesNotContain("vmap", "goto", "jump");
    assertThat(LbTable.Variant.of("hd12")).isEqualTo(new LbTable.Variant(12, true, true));
    assertThat(LbTable.Variant.of("r3")).isEqualTo(new LbTable.Variant(3, false, false));
    assertThat(LbTable.Variant.of("fronts")).isNull();
    assertThat(LbTable.Variant.of("r0")).isNull();
  }

  @Test
  void noBackendsDropsAndTwoVipsGetTheirOwnElements() throws DataplaneException {
    assertThat(LbTable.elements(lb(0, 0, "10.96.0.10", "10.96.0.11"), List.of()))
        .extracting(e -> e.map() + " " + e.key())
        .containsExactly(
            "fronts 10.96.0.10 . tcp . 80",
            "nobackend 10.96.0.10 . tcp . 80",
            "fronts 10.96.0.11 . tcp . 80",
            "nobackend 10.96.0.11 . tcp . 80");
  }

  @Test
  void aChangedBackendIsOneSlotElementAndEncodesAsNftDoes() throws DataplaneException {
    List<LbTable.Element> old =
        List.copyOf(LbTable.elements(lb(0, 0, "10.96.0.10"), List.of(backend("172.31.77.2"))));
    List<LbTable.Element> now =
        List.copyOf(LbTable.elements(lb(0, 0, "10.96.0.10"), List.of(backend("172.31.77.3"))));
    assertThat(old.get(0)).isEqualTo(now.get(0));
    assertThat(old.get(1)).isNotEqualTo(now.get(1));
    NftSetElements.Element slot = now.get(1).nft();
    assertThat(slot.set()).isEqualTo("r1");
    assertThat(slot.text())
        .isEqualTo("10.96.0.10 . tcp . 80 . 0 comment \"" + OWNER + "\" : 172.31.77.3 . 8080");
    assertThat(slot.key()).isEqualTo(NftConcat.of().ipv4("10.96.0.10").proto(6).port(80).u32(0));
    assertThat(now.get(0).nft().data()).isNull();
    assertThat(new LbTable.Element("fronts", "10.96.0.10 . 17 . 53", "", "x").nft().text())
        .isEqualTo("10.96.0.10 . udp . 53 comment \"lb:x\"");
    assertThatThrownBy(() -> new LbTable.Element("r1", "10.96.0.10 . tcp", "", "x").nft())
        .hasMessage("load balancer element '10.96.0.10 . tcp': malformed");
  }

  @Test
  void rejectsWhatWouldInjectOrCannotBeProgrammed() {
    assertThatThrownBy(() -> LbTable.elements(lb(0, 0, "10.96.0.10; flush ruleset"), List.of()))
        .isInstanceOf(DataplaneException.class)
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> LbTable.elements(lb(LbTable.FLAG_IPV6, 0, "10.96.0.10"), List.of()))
        .hasMessageContaining("IPv6");
    assertThatThrownBy(() -> LbTable.elements(lb(0, 0), List.of()))
        .hasMessageContaining("no FrontendVIPs");
    assertThatThrownBy(() -> LbTable.owner("x\" } flush ruleset"))
        .hasMessageContaining("not a GUID");
    HostComputeEndpoint noIp = HostComputeEndpoint.of("ep", "net").withId(LB);
    assertThatThrownBy(() -> LbTable.elements(lb(0, 0, "10.96.0.10"), List.of(noIp)))
        .hasMessageContaining("no IPv4 address");
  }

  @Test
  void kernelJsonParsesBackToTheSameElements() throws DataplaneException {
    String json =
        """
        {"nftables": [{"metainfo": {"version": "1.0.6"}},
         {"set": {"family": "ip", "name": "fronts", "table": "silolb", "elem": [
           {"elem": {"val": {"concat": ["10.96.0.10", "tcp", 80]}, "comment": "%1$s"}},
           {"elem": {"val": {"concat": ["10.96.0.11", "tcp", 80]}, "comment": "lb:other"}}]}},
         {"map": {"family": "ip", "name": "r1", "table": "silolb", "elem": [
           [{"elem": {"val": {"concat": ["10.96.0.10", "tcp", 80, 0]}, "comment": "%1$s"}},
            {"concat": ["172.31.77.2", 8080]}]]}},
         {"map": {"family": "ip", "name": "hd4", "table": "silolb"}}]}
        """
            .formatted(OWNER);
    Set<LbTable.Element> expected =
        LbTable.elements(lb(0, 0, "10.96.0.10"), List.of(backend("172.31.77.2")));
    var root = LbDriver.tree(json);
    assertThat(LbDriver.parse(root).get(OWNER.substring(3))).containsExactlyElementsOf(expected);
    assertThat(LbDriver.parse(root).get("other"))
        .extracting(LbTable.Element::map)
        .containsExactly("fronts");
    assertThat(LbDriver.variants(root))
        .containsExactlyInAnyOrder(
            new LbTable.Variant(1, false, false), new LbTable.Variant(4, true, true));
  }
}
