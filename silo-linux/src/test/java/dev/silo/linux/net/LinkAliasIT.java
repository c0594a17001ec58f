package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Link aliases (IFLA_IFALIAS): how HNS tags links with ids longer than a link name. */
class LinkAliasIT {
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  @Test
  void aliasIsSetAndListedByName() {
    NetNs ns = net.netns("alias");
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      rt.links().addBridge("br-alias");
      rt.links().addBridge("br-plain");
      String id = "silo:network:3f2504e0-4f89-11d3-9a0c-0305e82c3301";
      rt.links().setAlias("br-alias", id);
      assertThat(rt.links().aliases()).containsExactly(java.util.Map.entry("br-alias", id));
      assertThat(NetFixture.ipLinks(ns)).contains("br-alias", "br-plain");
      assertThatThrownBy(() -> rt.links().setAlias("br-alias", ""))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
