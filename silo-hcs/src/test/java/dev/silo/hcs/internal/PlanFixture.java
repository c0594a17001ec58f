package dev.silo.hcs.internal;

import static dev.silo.hcs.internal.SpecJson.object;

import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A bundle with an empty rootfs and a state directory in a temp dir, for plan compiler tests. */
abstract class PlanFixture {
  Path bundle;
  Path rootfs;
  Path state;
  String r;

  @BeforeEach
  void layout(@TempDir Path tmp) throws IOException {
    bundle = Files.createDirectories(tmp.resolve("bundle"));
    rootfs = Files.createDirectories(bundle.resolve("rootfs"));
    state = Files.createDirectories(tmp.resolve("state/c1"));
    r = rootfs.toString();
  }

  /** Whether the specs of this test keep runc's {@code process.terminal: true}. */
  boolean terminal() {
    return true;
  }

  /** runc's default spec with root.path on the temp rootfs, then {@code change} applied. */
  Spec edit(Consumer<Map<String, Object>> change) {
    return SpecJson.edit(
        OciSpecs.defaultSpec(),
        j -> {
          object(j, "root").put("path", r);
          if (!terminal()) {
            object(j, "process").put("terminal", false);
          }
          change.accept(j);
        });
  }
}
