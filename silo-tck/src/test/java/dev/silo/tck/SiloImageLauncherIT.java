package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code dist/bin/silo-image} (offline, no daemon): its archive, written to a file or
 * piped, is {@code docker load}ed into a {@code dist/bin/silod} and runs; the os.version it was
 * asked for reaches the daemon's compatibility check; bad input is one line and leaves no file.
 */
class SiloImageLauncherIT {
  @Test
  void itsArchiveLoadsIntoSilodAndRuns() throws Exception {
    Path siloImage = Cli.dist().resolve("bin/silo-image");
    assertThat(DistSilod.run(List.of(siloImage.toString(), "busybox", "--help"), Map.of()).out())
        .contains("--os-version", "--output", "NAME[:TAG]");

    try (DistSilod d = DistSilod.start("si")) {
      // bad input first: one line, exit 1, no archive and no temporary file in the directory
      Path out = Files.createDirectory(d.base.resolve("out"));
      DistSilod.Result bad =
          DistSilod.run(
              List.of(
                  siloImage.toString(),
                  "busybox",
                  "--os-version",
                  "10.0",
                  "x",
                  "-o",
                  out.resolve("x.tar").toString()),
              Map.of());
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.err())
          .isEqualTo(
              "silo-image: --os-version: invalid OS version \"10.0\":"
                  + " expected major.minor.build[.revision]\n");
      try (Stream<Path> s = Files.list(out)) {
        assertThat(s.toList()).isEmpty();
      }

      Path archive = out.resolve("busybox.tar");
      DistSilod.Result built =
          DistSilod.run(
              List.of(siloImage.toString(), "busybox", "silo/busybox:it", "-o", archive.toString()),
              Map.of());
      assertThat(built.exit()).as(built.err()).isZero();
      assertThat(built.err()).contains("built silo/busybox:it sha256:", "10.0.20348.1");
      DistSilod.Result newer =
          DistSilod.run(
              List.of(
                  "sh",
                  "-c",
                  "\"$0\" busybox --os-version 10.0.26100.1 silo/busybox:ltsc2025 > \"$1\"",
                  siloImage.toString(),
                  out.resolve("ltsc2025.tar").toString()),
              Map.of());
      assertThat(newer.exit()).as(newer.err()).isZero();
      try (Stream<Path> s = Files.list(out)) {
        assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly("busybox.tar", "ltsc2025.tar");
      }

      DistSilod.Result load = d.docker("load", "-i", archive.toString());
      assertThat(load.out()).as(load.err()).contains("Loaded image: silo/busybox:it");
      DistSilod.Result piped =
          DistSilod.run(
              List.of(
                  "sh",
                  "-c",
                  "\"$0\" load < \"$1\"",
                  DistSilod.DOCKER,
                  out.resolve("ltsc2025.tar").toString()),
              d.env);
      assertThat(piped.out()).as(piped.err()).contains("Loaded image: silo/busybox:ltsc2025");
      assertThat(d.docker("image", "inspect", "-f", "{{.OsVersion}}", "silo/busybox:it").out())
          .isEqualTo("10.0.20348.1\n");

      DistSilod.Result hi =
          d.docker(
              "run",
              "--rm",
              "--network",
              "none",
              "silo/busybox:it",
              "sh",
              "-c",
              "cat /etc/hosts | head -n 1; ls /bin/busybox");
      assertThat(hi.exit()).as(hi.err()).isZero();
      assertThat(hi.out()).isEqualTo("127.0.0.1\tlocalhost\n/bin/busybox\n");

      // silod's host is WS2022 (10.0.20348): a 2025 image may not run with process isolation
      DistSilod.Result mismatch =
          d.docker("run", "--rm", "--network", "none", "silo/busybox:ltsc2025", "true");
      assertThat(mismatch.exit()).isNotZero();
      assertThat(mismatch.err())
          .contains("The container operating system does not match the host operating system");
      assertThat(d.docker("ps", "-aq").out()).isEmpty();

      d.stop();
    }
  }
}
