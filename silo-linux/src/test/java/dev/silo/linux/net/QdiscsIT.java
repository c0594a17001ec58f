package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real-kernel qdiscs: a root tbf set, read back, checked with the {@code tc} oracle, removed. */
class QdiscsIT {
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  @Test
  void rootTbfIsReplacedReadBackAndDeleted() {
    NetNs a = net.netns("qa");
    NetNs b = net.netns("qb");
    try (Rtnetlink ra = Rtnetlink.open(a)) {
      ra.links().addVeth("veth-qa", "veth-qb", b);
      assertThat(ra.qdiscs().rootKind("veth-qa")).isEmpty();

      ra.qdiscs().replaceRootTbf("veth-qa", 250_000, 70_000, 120_000);
      assertThat(ra.qdiscs().rootKind("veth-qa")).contains("tbf");
      assertThat(ra.qdiscs().rootTbfRate("veth-qa")).contains(250_000L);
      // tc prints the rate in bits per second: 250000 B/s = 2 Mbit
      String shown =
          NetFixture.run("ip", "netns", "exec", a.name(), "tc", "qdisc", "show", "dev", "veth-qa");
      assertThat(shown).contains("tbf").contains("rate 2Mbit").contains("burst 70000b");

      // replace changes the rate in place; above 4 GB/s the 64-bit rate attribute carries it
      ra.qdiscs().replaceRootTbf("veth-qa", 5_000_000_000L, 1 << 20, 2 << 20);
      assertThat(ra.qdiscs().rootTbfRate("veth-qa")).contains(5_000_000_000L);

      ra.qdiscs().deleteRoot("veth-qa");
      assertThat(ra.qdiscs().rootKind("veth-qa")).isEmpty();
      assertThat(
              NetFixture.run(
                  "ip", "netns", "exec", a.name(), "tc", "qdisc", "show", "dev", "veth-qa"))
          .doesNotContain("tbf");
      ra.qdiscs().deleteRoot("veth-qa"); // idempotent
      ra.links().delete("veth-qa");
    }
  }
}
