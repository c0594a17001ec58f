package dev.silo.schema.oci;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry points for the OCI documents of a bundle: read {@code config.json} and {@code
 * process.json}, write a config as {@code runc spec} does, and build runc's default and rootless
 * specs.
 *
 * <p>Reading follows runtime-spec: unknown fields are ignored, wrong types are errors naming the
 * field path. Semantic rules are checked separately by {@link SpecChecks}.
 */
public final class OciSpecs {
  static final String CONFIG = "config.json";
  static final String PROCESS = "process.json";

  private OciSpecs() {}

  /** Reads {@code config.json} of a bundle; errors start with {@code config.json: }. */
  public static Spec readConfig(Path bundleDir) throws IOException, JsonException {
    return parseConfig(Files.readString(bundleDir.resolve(CONFIG)));
  }

  /** Parses the text of a {@code config.json}; errors start with {@code config.json: }. */
  public static Spec parseConfig(String text) throws JsonException {
    JsonObject o = Json.parseObject(text, CONFIG);
    try {
      return Spec.fromJson(o);
    } catch (JsonException e) {
      throw new JsonException(CONFIG + ": " + e.getMessage());
    }
  }

  /**
   * Reads a process document ({@code runc exec --process}); errors start with {@code process.json:
   * }.
   */
  public static Process readProcess(Path file) throws IOException, JsonException {
    return parseProcess(Files.readString(file));
  }

  /** Parses the text of a process document; errors start with {@code process.json: }. */
  public static Process parseProcess(String text) throws JsonException {
    JsonObject o = Json.parseObject(text, PROCESS);
    try {
      return Process.fromJson(o);
    } catch (JsonException e) {
      throw new JsonException(PROCESS + ": " + e.getMessage());
    }
  }

  /** The config as {@code runc spec} writes it: Go's MarshalIndent with tabs, no final newline. */
  public static String writeConfig(Spec spec) {
    return Json.writeGoIndented(spec.toJson());
  }

  /** Writes {@code config.json} into a bundle directory, as {@code runc spec --bundle} does. */
  public static void writeConfig(Path bundleDir, Spec spec) throws IOException {
    Files.writeString(bundleDir.resolve(CONFIG), writeConfig(spec));
  }

  /** Exactly the config {@code runc spec} of runc 1.1 writes. */
  public static Spec defaultSpec() {
    return RuncDefaults.spec();
  }

  /** runc's {@code ToRootless} for the effective uid and gid of this process. */
  public static Spec rootless(Spec spec) {
    long[] ids;
    try {
      ids = RuncDefaults.effectiveIds(Path.of("/proc/self/status"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rootless(spec, ids[0], ids[1]);
  }

  /**
   * runc's {@code ToRootless}: a user namespace mapping {@code uid}/{@code gid} to root, no netns.
   */
  public static Spec rootless(Spec spec, long uid, long gid) {
    return RuncDefaults.rootless(spec, uid, gid);
  }
}
