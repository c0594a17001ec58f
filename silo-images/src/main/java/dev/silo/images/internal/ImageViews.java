package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.HistoryEntry;
import dev.silo.images.ImageDetails;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import dev.silo.images.ImageSummary;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read side of the image service: resolving references and the Docker-shaped views. */
public final class ImageViews {
  private final ImageStore store;
  private final Catalog catalog;

  public ImageViews(ImageStore store, Catalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /** One row of {@code docker images}. */
  public ImageSummary summary(String id) throws ImageException {
    StoredImage img = catalog.image(id);
    return new ImageSummary(
        id,
        "",
        tagsOf(id).stream().map(ImageReference::familiar).toList(),
        repoDigests(id),
        createdSeconds(img.config()),
        catalog.size(img),
        -1,
        labels(img.config()),
        -1);
  }

  /** Docker's {@code image history}: newest step first. */
  public List<HistoryEntry> history(String id) throws ImageException {
    StoredImage img = catalog.image(id);
    List<HistoryEntry> steps = new ArrayList<>();
    int layer = 0;
    for (JsonNode h : img.config().path("history")) {
      long size = 0;
      if (!h.path("empty_layer").asBoolean(false) && layer < img.chainIds().size()) {
        size = layerSize(img.chainIds().get(layer++));
      }
      steps.add(
          new HistoryEntry(
              "<missing>",
              seconds(h.path("created").asText("")),
              h.path("created_by").asText(""),
              List.of(),
              size,
              h.path("comment").asText("")));
    }
    if (steps.isEmpty()) {
      steps.add(
          new HistoryEntry(id, createdSeconds(img.config()), "", List.of(), catalog.size(img), ""));
    }
    List<HistoryEntry> out = new ArrayList<>(steps.reversed());
    HistoryEntry top = out.getFirst();
    out.set(
        0,
        new HistoryEntry(
            id,
            top.created(),
            top.createdBy(),
            tagsOf(id).stream().map(ImageReference::familiar).toList(),
            top.size(),
            top.comment()));
    return out;
  }

  /**
   * Resolves a tag, digest reference, full image id or id prefix to an image id.
   *
   * @throws ImageException NOT_FOUND ("No such image: …") or INVALID_REFERENCE
   */
  public String resolve(String ref) throws ImageException {
    ImageStore.Refs refs = store.refs();
    if (ImageReference.looksLikeId(ref)) {
      String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
      List<String> hits =
          refs.images.keySet().stream().filter(id -> Digests.hex(id).startsWith(hex)).toList();
      if (hits.size() == 1) {
        return hits.getFirst();
      }
      if (ref.startsWith("sha256:")) {
        throw new ImageException(ImageException.Kind.NOT_FOUND, "No such image: " + ref);
      }
    }
    ImageReference r = ImageReference.parse(ref);
    String id =
        r.digest() != null
            ? refs.digests.get(r.name() + "@" + r.digest())
            : refs.tags.get(r.toString());
    if (id == null || !refs.images.containsKey(id)) {
      throw new ImageException(
          ImageException.Kind.NOT_FOUND,
          "No such image: " + r.familiar() + (r.digest() != null ? "@" + r.digest() : ""));
    }
    return id;
  }

  public boolean isIdReference(String ref, String id) {
    if (!ImageReference.looksLikeId(ref)) {
      return false;
    }
    String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
    return Digests.hex(id).startsWith(hex) && !store.refs().tags.containsKey(parsedOrEmpty(ref));
  }

  public static String parsedOrEmpty(String ref) {
    try {
      return ImageReference.parse(ref).toString();
    } catch (ImageException e) {
      return "";
    }
  }

  public ImageDetails details(String id) throws ImageException {
    StoredImage img = catalog.image(id);
    JsonNode c = img.config();
    String variant = c.path("variant").asText("");
    String osVersion = c.path("os.version").asText("");
    return new ImageDetails(
        id,
        tagsOf(id).stream().map(ImageReference::familiar).toList(),
        repoDigests(id),
        "",
        c.path("comment").asText(""),
        c.path("created").asText(""),
        c.path("author").asText(""),
        c.has("config") ? c.get("config") : null,
        c.path("architecture").asText(""),
        variant.isEmpty() ? null : variant,
        c.path("os").asText(""),
        osVersion.isEmpty() ? null : osVersion,
        catalog.size(img),
        new ImageDetails.RootFs(c.path("rootfs").path("type").asText("layers"), img.diffIds()));
  }

  public List<ImageReference> tagsOf(String id) {
    List<ImageReference> out = new ArrayList<>();
    store
        .refs()
        .tags
        .forEach(
            (k, v) -> {
              if (v.equals(id)) {
                try {
                  out.add(ImageReference.parse(k));
                } catch (ImageException e) {
                  // the index only holds references that parsed
                }
              }
            });
    return out;
  }

  public List<String> repoDigests(String id) {
    List<String> out = new ArrayList<>();
    store
        .refs()
        .digests
        .forEach(
            (k, v) -> {
              if (v.equals(id)) {
                out.add(familiarDigest(k));
              }
            });
    return out;
  }

  public static String familiarDigest(String key) {
    try {
      ImageReference r = ImageReference.parse(key);
      return r.familiarName() + "@" + r.digest();
    } catch (ImageException e) {
      return key;
    }
  }

  public long layerSize(String chain) {
    try {
      return store.layerSize(chain);
    } catch (IOException e) {
      return 0;
    }
  }

  public static Map<String, String> labels(JsonNode config) {
    Map<String, String> out = new LinkedHashMap<>();
    config
        .path("config")
        .path("Labels")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public static long createdSeconds(JsonNode config) {
    return seconds(config.path("created").asText(""));
  }

  public static long seconds(String rfc3339) {
    if (rfc3339.isEmpty()) {
      return 0;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
