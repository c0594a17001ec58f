package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.daemon.http.ApiException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Host-port choice in the test's own netns: ranges, other containers' ports, held sockets. */
class HostPortsTest {
  private static ContainerRecord holding(ContainerRecord.PortBinding... ports) {
    return new ContainerRecord(
        "a".repeat(64),
        "/other",
        "",
        "",
        "",
        Json.object(),
        Json.object(),
        "",
        "",
        List.of(),
        List.of(ports),
        "",
        "",
        0,
        0,
        false,
        false);
  }

  @Test
  void aRangeGivesItsFirstPortNoContainerOrSocketHolds() throws Exception {
    try (ServerSocketChannel held = ServerSocketChannel.open()) {
      held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int p = ((InetSocketAddress) held.getLocalAddress()).getPort();
      HostPorts hp = new HostPorts(null);
      // p-1 belongs to another container, p is held by a socket on 127.0.0.1
      List<ContainerRecord.PortBinding> got =
          hp.allocate(
              List.of(new PortBindings.Request(80, "tcp", "127.0.0.1", p - 1, p + 1)),
              List.of(holding(new ContainerRecord.PortBinding(80, "tcp", "", p - 1))));
      assertThat(got)
          .containsExactly(new ContainerRecord.PortBinding(80, "tcp", "127.0.0.1", p + 1));
    }
  }

  @Test
  void ephemeralPortsComeFromTheKernelRangeOneAfterAnother() throws Exception {
    int[] range = HostPorts.ephemeralRange();
    String kernel;
    try (var in = java.nio.file.Files.newInputStream(HostPorts.RANGE_FILE)) {
      kernel = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
    }
    assertThat(range[0] + "\t" + range[1])
        .as("the kernel's range, not the fallback")
        .isEqualTo(kernel);
    HostPorts hp = new HostPorts(null);
    List<ContainerRecord.PortBinding> got =
        hp.allocate(
            List.of(
                new PortBindings.Request(80, "tcp", "", 0, 0),
                new PortBindings.Request(81, "tcp", "", 0, 0)),
            List.of());
    assertThat(got).hasSize(2);
    for (ContainerRecord.PortBinding b : got) {
      assertThat(b.publicPort()).isBetween(range[0], range[1]);
    }
    assertThat(got.get(0).publicPort()).isNotEqualTo(got.get(1).publicPort());
    int next =
        hp.allocate(List.of(new PortBindings.Request(82, "tcp", "", 0, 0)), List.of())
            .get(0)
            .publicPort();
    assertThat(next).as("the allocator moves on").isNotEqualTo(got.get(1).publicPort());
  }

  @Test
  void aFixedPortAnotherContainerPublishesIsRefusedAndAFullRangeToo() throws Exception {
    HostPorts hp = new HostPorts(null);
    ContainerRecord other =
        holding(
            new ContainerRecord.PortBinding(80, "tcp", "", 18081),
            new ContainerRecord.PortBinding(81, "tcp", "", 18082));
    assertThatThrownBy(
            () -> hp.allocate(List.of(request("127.0.0.1", 18081, 18081)), List.of(other)))
        .isInstanceOf(ApiException.class)
        .hasMessage("Bind for 127.0.0.1:18081 failed: port is already allocated");
    assertThatThrownBy(() -> hp.allocate(List.of(request("", 18081, 18082)), List.of(other)))
        .hasMessage("Bind for 0.0.0.0:18081-18082 failed: port is already allocated");
    assertThatThrownBy(
            () ->
                hp.allocate(
                    List.of(request("", 18090, 18090), request("", 18090, 18090)), List.of()))
        .as("two bindings of one create")
        .hasMessage("Bind for 0.0.0.0:18090 failed: port is already allocated");
    assertThat(
            hp.allocate(
                List.of(new PortBindings.Request(80, "udp", "", 18081, 18081)), List.of(other)))
        .as("udp is another port space")
        .containsExactly(new ContainerRecord.PortBinding(80, "udp", "", 18081));
  }

  private static PortBindings.Request request(String ip, int from, int to) {
    return new PortBindings.Request(80, "tcp", ip, from, to);
  }
}
