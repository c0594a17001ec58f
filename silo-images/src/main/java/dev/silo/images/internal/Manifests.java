package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.ImageException;
import dev.silo.images.Platform;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Media types and readers of OCI / Docker v2 schema 2 manifests and indexes. */
public final class Manifests {
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** What a registry client accepts, manifests and indexes of both families. */
  public static final String ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private Manifests() {}

  /** A content descriptor: media type, digest, size. */
  public record Descriptor(String mediaType, String digest, long size) {}

  /** The document's own {@code mediaType}, else the transport's, else guessed from its shape. */
  public static String mediaType(JsonNode doc, @Nullable String header) {
    String own = doc.path("mediaType").asText("");
    if (!own.isEmpty()) {
      return own;
    }
    if (header != null && !header.isBlank()) {
      return header.split(";")[0].trim();
    }
    return doc.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
  }

  public static boolean isIndex(String mediaType) {
    return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
  }

  public static boolean isManifest(String mediaType) {
    return mediaType.equals(OCI_MANIFEST) || mediaType.equals(DOCKER_MANIFEST);
  }

  /**
   * Picks {@code platform}'s manifest from an index (OCI index or Docker manifest list).
   *
   * @throws ImageException NOT_FOUND naming the platforms the index does have
   */
  public static Descriptor pick(JsonNode index, Platform platform, String what)
      throws ImageException {
    List<String> offered = new ArrayList<>();
    for (JsonNode m : index.path("manifests")) {
      JsonNode p = m.path("platform");
      String os = p.path("os").asText("");
      String arch = p.path("architecture").asText("");
      String variant = p.path("variant").asText("");
      offered.add(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
      if (os.equals(platform.os())
          && arch.equals(platform.architecture())
          && (platform.variant() == null || platform.variant().equals(variant))) {
        return descriptor(m, what);
      }
    }
    throw new ImageException(
        ImageException.Kind.NOT_FOUND,
        "no matching manifest for "
            + platform
            + " in the manifest list entries of "
            + what
            + " (it has: "
            + (offered.isEmpty() ? "none" : String.join(", ", offered))
            + ")");
  }

  public static Descriptor config(JsonNode manifest, String what) throws ImageException {
    JsonNode c = manifest.path("config");
    if (!c.isObject()) {
      throw new ImageException(
          ImageException.Kind.BAD_ARCHIVE, "manifest of " + what + " has no config descriptor");
    }
    return descriptor(c, what);
  }

  public static List<Descriptor> layers(JsonNode manifest, String what) throws ImageException {
    List<Descriptor> out = new ArrayList<>();
    for (JsonNode l : manifest.path("layers")) {
      out.add(descriptor(l, what));
    }
    return out;
  }

  static Descriptor descriptor(JsonNode d, String what) throws ImageException {
    String digest = Digests.require(d.path("digest").asText(""), "descriptor in " + what);
    return new Descriptor(d.path("mediaType").asText(""), digest, d.path("size").asLong(-1));
  }

  /** The config's {@code rootfs.diff_ids}, checked against the manifest's layer count. */
  public static List<String> diffIds(JsonNode config, int layerCount, String what)
      throws ImageException {
    List<String> out = new ArrayList<>();
    for (JsonNode d : config.path("rootfs").path("diff_ids")) {
      out.add(Digests.require(d.asText(""), "rootfs.diff_ids of " + what));
    }
    if (out.size() != layerCount) {
      throw new ImageException(
          ImageException.Kind.BAD_ARCHIVE,
          "config of "
              + what
              + " lists "
              + out.size()
              + " diff_ids but the manifest has "
              + layerCount
              + " layers");
    }
    return out;
  }
}
