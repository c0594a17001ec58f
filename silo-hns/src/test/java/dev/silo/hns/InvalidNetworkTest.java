package dev.silo.hns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.Subnet;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A network the dataplane calls invalid (its uplink is missing) is refused before any write. */
class InvalidNetworkTest {
  @TempDir Path dir;
  TestHns t;
  HostNetworkService hns;

  @BeforeEach
  void open() throws Exception {
    t = new TestHns(dir);
    hns = t.open();
  }

  @Test
  void theDataplanesReasonBecomesHcnInvalidNetworkAndNothingIsWritten() throws Exception {
    t.dataplane.invalid =
        "uplink adapter eth9 (NetAdapterName) is not in the HNS host network namespace";
    HostComputeNetwork n =
        HostComputeNetwork.of("t", NetworkType.TRANSPARENT, Subnet.of("10.1.0.0/24", "10.1.0.2"));
    assertThatThrownBy(() -> hns.createNetwork(n))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> {
              assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_NETWORK);
              assertThat(e.getMessage()).contains("uplink adapter eth9").doesNotContain("\n");
            });
    assertThat(hns.listNetworks(null)).isEmpty();
    assertThat(t.dataplane.calls).noneMatch(c -> c.startsWith("createNetwork"));

    t.dataplane.invalid = null;
    assertThat(hns.createNetwork(n).name()).isEqualTo("t");
  }
}
