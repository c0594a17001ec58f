package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code dist/bin/silod} (jlink'ed runtime, Netty's native epoll transport, the
 * daemon's class path) serving the stock docker CLI in a private HNS host netns, and stopping on
 * SIGTERM with exit 0.
 */
class SilodLauncherIT {
  @Test
  void theLauncherServesDockerAndStopsOnSigterm() throws Exception {
    Path silod = Cli.dist().resolve("bin/silod");
    assertThat(DistSilod.run(List.of(silod.toString(), "--help"), Map.of()).out())
        .contains("--data-root", "--exec-root", "--log-level", "--host-os-version", "-H");

    try (DistSilod d = DistSilod.start("sl")) {
      DistSilod.Result v = d.docker("version", "--format", "{{.Server.Os}} {{.Server.APIVersion}}");
      assertThat(v.out().trim()).isEqualTo("linux 1.47");
      DistSilod.Result c = d.docker("network", "create", "--subnet", "10.93.0.0/24", "l1");
      assertThat(c.exit()).as(c.err()).isZero();
      assertThat(d.docker("network", "ls", "--format", "{{.Name}}").out().lines())
          .contains("l1", "nat");
      assertThat(d.docker("network", "rm", "l1").exit()).isZero();

      // an image loaded and a container run through the launcher: the image store's archive
      // library is on the launcher's class path (a test-scoped silo-images once left it out)
      ImageService store =
          ImageService.open(d.base.resolve("images"), OsVersion.parse("10.0.20348"));
      store.buildBusybox("busybox:latest");
      Path archive = d.base.resolve("busybox.tar");
      try (OutputStream out = Files.newOutputStream(archive)) {
        store.save(List.of("busybox:latest"), out);
      }
      DistSilod.Result load = d.docker("load", "-i", archive.toString());
      assertThat(load.out()).as(load.err()).contains("Loaded image: busybox:latest");
      DistSilod.Result hi =
          d.docker("run", "--rm", "--network", "none", "busybox:latest", "echo", "hi");
      assertThat(hi.out()).as(hi.err()).isEqualTo("hi\n");
      assertThat(hi.exit()).isZero();

      d.stop();
      assertThat(d.socket).doesNotExist();
      assertThat(d.log()).doesNotContain("WARNING").doesNotContain("Exception");
    }
  }
}
