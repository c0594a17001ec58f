package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Busybox bundles for end-to-end tests: one rootfs per test class (built by
 * tools/busybox-rootfs.sh) and one bundle directory per container whose config.json starts from
 * {@code runhcs spec} and points at that rootfs by absolute path, patched as JSON.
 */
final class Bundles {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path rootfs;
  private final ObjectNode template;

  private Bundles(Path dir, Path rootfs, ObjectNode template) {
    this.dir = dir;
    this.rootfs = rootfs;
    this.template = template;
  }

  /**
   * Builds the shared rootfs and the template config under {@code dir} with the runhcs of {@code
   * cli}.
   */
  static Bundles create(Path dir, Cli cli) {
    Path rootfs = dir.resolve("rootfs");
    runTool(Cli.repo().resolve("tools/busybox-rootfs.sh").toString(), rootfs.toString());
    Path specDir = dir.resolve("spec");
    try {
      Files.createDirectories(specDir);
      cli.runhcsRaw(specDir, "spec").ok();
      ObjectNode t = (ObjectNode) JSON.readTree(specDir.resolve("config.json").toFile());
      // runc's spec makes the root read-only; the tests share one rootfs and write marker files
      // into it.
      ((ObjectNode) t.get("root")).put("path", rootfs.toString()).put("readonly", false);
      ((ObjectNode) t.get("process")).put("terminal", false);
      return new Bundles(dir, rootfs, t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path rootfs() {
    return rootfs;
  }

  /** The template config (runhcs spec's output as patched here); callers must not modify it. */
  ObjectNode template() {
    return template;
  }

  /** A bundle for {@code id} running {@code args}, with {@code patch} applied to its config. */
  Path bundle(String id, Consumer<ObjectNode> patch, String... args) {
    ObjectNode c = template.deepCopy();
    ArrayNode a = ((ObjectNode) c.get("process")).putArray("args");
    for (String s : args) {
      a.add(s);
    }
    patch.accept(c);
    return write(id, c);
  }

  /** A bundle for {@code id} running {@code args} with the default config. */
  Path bundle(String id, String... args) {
    return bundle(id, c -> {}, args);
  }

  /** A bundle whose config.json is exactly {@code text}. */
  Path bundleWithText(String id, String text) {
    Path b = dir.resolve("bundles").resolve(id);
    try {
      Files.createDirectories(b);
      Files.writeString(b.resolve("config.json"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b;
  }

  private Path write(String id, JsonNode config) {
    try {
      return bundleWithText(id, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code config.process}, for patches. */
  static ObjectNode process(ObjectNode config) {
    return (ObjectNode) config.get("process");
  }

  /** {@code config.linux}, for patches. */
  static ObjectNode linux(ObjectNode config) {
    return (ObjectNode) config.get("linux");
  }

  private static void runTool(String... cmd) {
    try {
      java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
