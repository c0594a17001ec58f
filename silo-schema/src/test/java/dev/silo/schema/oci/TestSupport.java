package dev.silo.schema.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Test resources and a null check that reads well inside assertion chains. */
final class TestSupport {
  private TestSupport() {}

  static String resource(String name) throws IOException {
    try (InputStream in = TestSupport.class.getResourceAsStream("/oci/" + name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The value, which the test expects to be present. */
  static <T> T nn(@Nullable T value) {
    assertThat(value).as("expected a value").isNotNull();
    return Objects.requireNonNull(value);
  }
}
