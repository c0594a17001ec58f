package dev.silo.images;

import org.jspecify.annotations.Nullable;

/** An OCI platform ({@code os/architecture[/variant]}) to pick from a manifest list. */
public record Platform(String os, String architecture, @Nullable String variant) {
  /** What this host runs: {@code linux/amd64}. */
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);

  /**
   * Parses {@code linux/amd64} or {@code linux/arm64/v8}.
   *
   * @throws IllegalArgumentException naming the text when it has not two or three parts
   */
  public static Platform parse(String text) {
    String[] p = text.split("/", -1);
    if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
      throw new IllegalArgumentException(
          "invalid platform \"" + text + "\": expected os/architecture[/variant]");
    }
    return new Platform(p[0], p[1], p.length == 3 && !p[2].isEmpty() ? p[2] : null);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
