package dev.silo.tck;

import static dev.silo.tck.Bundles.process;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.silo.images.ImageService;
import dev.silo.images.Isolation;
import dev.silo.images.OsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An image from the image store runs under dist/bin/runhcs: silo-images builds the busybox base
 * image, checks it against the host version, and its unpacked layers are the bundle's {@code
 * windows.layerFolders}; the container writes only into its scratch folder.
 */
class RunhcsImageIT extends ContainerTestSupport {
  @Test
  void containerRunsFromAStoredImage() throws Exception {
    ImageService images = ImageService.open(temp.resolve("image-store"), OsVersion.WS2022);
    images.buildBusybox("silo/busybox:tck");
    images.checkCompatible("silo/busybox:tck", Isolation.PROCESS);
    String id = newId();
    Path scratch = Files.createDirectories(temp.resolve("scratch-" + id));
    List<Path> folders = images.ociLayerFolders("silo/busybox:tck", scratch);
    KernelSnapshot before = snapshot();
    Path bundle =
        bundles.bundle(
            id,
            c -> {
              c.remove("root");
              process(c).put("terminal", false);
              ArrayNode f = c.putObject("windows").putArray("layerFolders");
              folders.forEach(p -> f.add(p.toString()));
            },
            "sh",
            "-c",
            "head -1 /etc/passwd; echo from-image > /tmp/out; cat /tmp/out");

    Cli.Result r = cli.runhcs("run", "--bundle", bundle.toString(), id).ok();

    assertThat(r.out().lines().toList())
        .containsExactly("root:x:0:0:root:/root:/bin/sh", "from-image");
    assertThat(scratch.resolve("upper/tmp/out")).hasContent("from-image");
    Path layer = images.layerFolders("silo/busybox:tck").getFirst();
    assertThat(layer.resolve("tmp/out")).as("the image layer is read-only").doesNotExist();
    assertThat(snapshot()).isEqualTo(before);
  }
}
