package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A netlink wait is bounded: no reply is an error after the socket's timeout, never a hang. */
class NetlinkTimeoutTest {
  @Test
  void aReceiveWithNothingToReadFailsAfterTheTimeout() {
    try (NetlinkSocket s = NetlinkSocket.openNetfilter()) {
      s.timeout(200, "NETLINK_NETFILTER");
      assertThat(s.receiveQueued("op", "x")).isEmpty(); // nothing queued: no wait at all
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> s.receiveNext("nft", "batch"))
          .isInstanceOf(NetException.class)
          .hasMessage("nft batch: no reply from the kernel within 200 ms");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isBetween(150L, 10_000L);
    }
  }
}
