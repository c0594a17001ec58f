package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProbeOutputTest {
  @Test
  void keepsEverythingUpTo4KiB() {
    ProbeOutput out = new ProbeOutput();
    out.drain(new ByteArrayInputStream("ok\n".getBytes(StandardCharsets.UTF_8)));
    out.drain(new ByteArrayInputStream("err\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(out.text()).isEqualTo("ok\nerr\n");
  }

  @Test
  void cutsAt4KiBAndSaysSoWithThreeDots() {
    ProbeOutput out = new ProbeOutput();
    out.drain(new ByteArrayInputStream("x".repeat(5000).getBytes(StandardCharsets.UTF_8)));
    assertThat(out.text()).isEqualTo("x".repeat(ProbeOutput.MAX_OUTPUT) + "...");
    ProbeOutput exact = new ProbeOutput();
    exact.drain(new ByteArrayInputStream("y".repeat(4096).getBytes(StandardCharsets.UTF_8)));
    assertThat(exact.text()).isEqualTo("y".repeat(4096));
  }
}
