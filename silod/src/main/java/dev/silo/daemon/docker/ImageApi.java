package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.images.ImageDetails;
import dev.silo.images.ImageException;
import dev.silo.images.ImageService;
import dev.silo.images.ImageSummary;
import dev.silo.images.Progress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /images}: load, list, inspect, tag, remove, history, save and pull over the {@link
 * ImageService}, with dockerd's answers (JSON-lines streams for load and pull).
 */
public final class ImageApi {
  private final ImageService images;
  private final EventLog events;
  private final Predicate<String> inUse;

  /**
   * @param inUse whether a container uses the image with this id (removal then needs force)
   */
  public ImageApi(ImageService images, EventLog events, Predicate<String> inUse) {
    this.images = images;
    this.events = events;
    this.inUse = inUse;
  }

  /** Adds the routes. Image names hold slashes, so one route per method takes the rest. */
  public void register(Router r) {
    r.add("GET", "/images/json", this::list);
    r.add("POST", "/images/load", this::load);
    r.add("POST", "/images/create", this::pull);
    r.add("GET", "/images/get", req -> save(req.query().getOrDefault("names", List.of())));
    r.add("GET", "/images/{rest:*}", this::get);
    r.add("POST", "/images/{rest:*}", this::post);
    r.add("DELETE", "/images/{rest:*}", this::remove);
  }

  /** The status of an image error as dockerd's errdefs class it. */
  public static ApiException error(ImageException e) {
    int status =
        switch (e.kind()) {
          case NOT_FOUND -> 404;
          case INVALID_REFERENCE, BAD_ARCHIVE, IMAGE_MISMATCH -> 400;
          case CONFLICT -> 409;
          default -> 500;
        };
    return new ApiException(status, String.valueOf(e.getMessage()), e);
  }

  private ApiResponse list(ApiRequest req) throws ApiException {
    Filters f =
        Filters.parse(req.param("filters"), java.util.Set.of("reference", "dangling", "label"));
    try {
      List<ImageSummary> all = new ArrayList<>();
      for (ImageSummary listed : images.list()) {
        ImageSummary s = listed;
        if (f.has("reference")) {
          // dockerd answers only the tags that matched, so the CLI shows one row per match
          List<String> tags =
              s.repoTags().stream()
                  .filter(t -> f.get("reference").stream().anyMatch(r -> matches(t, r)))
                  .toList();
          if (tags.isEmpty()) {
            continue;
          }
          s =
              new ImageSummary(
                  s.id(),
                  s.parentId(),
                  tags,
                  s.repoDigests(),
                  s.created(),
                  s.size(),
                  s.sharedSize(),
                  s.labels(),
                  s.containers());
        }
        if (f.has("dangling") && !f.exact("dangling", String.valueOf(s.repoTags().isEmpty()))) {
          continue;
        }
        if (!f.labels("label", s.labels())) {
          continue;
        }
        all.add(s);
      }
      return Json.reply(200, all);
    } catch (ImageException e) {
      throw error(e);
    }
  }

  private ApiResponse get(ApiRequest req) throws ApiException {
    String rest = req.var("rest");
    try {
      if (rest.endsWith("/json")) {
        return Json.reply(200, images.inspect(strip(rest, "/json")));
      }
      if (rest.endsWith("/history")) {
        return Json.reply(200, images.history(strip(rest, "/history")));
      }
      if (rest.endsWith("/get")) {
        return save(List.of(strip(rest, "/get")));
      }
    } catch (ImageException e) {
      throw error(e);
    }
    throw ApiException.notFound("page not found");
  }

  private ApiResponse post(ApiRequest req) throws ApiException {
    String rest = req.var("rest");
    if (!rest.endsWith("/tag")) {
      throw ApiException.notFound("page not found");
    }
    String src = strip(rest, "/tag");
    String repo = req.param("repo");
    String tag = req.param("tag");
    if (repo == null || repo.isEmpty()) {
      throw ApiException.badParameter("repository name (repo parameter) is required");
    }
    String dst = repo + ":" + (tag == null || tag.isEmpty() ? "latest" : tag);
    try {
      ImageDetails d = images.inspect(src);
      images.tag(src, dst);
      events.publish("image", "tag", d.id(), Map.of("name", dst));
    } catch (ImageException e) {
      throw error(e);
    }
    return ApiResponse.empty(201);
  }

  private ApiResponse remove(ApiRequest req) throws ApiException {
    String name = req.var("rest");
    boolean force = req.flag("force");
    try {
      ImageDetails d = images.inspect(name);
      boolean untagOnly =
          !dev.silo.images.ImageReference.looksLikeId(name) && d.repoTags().size() > 1;
      // a container's root is an overlay of this image's layers: they stay while it exists,
      // even with force (dockerd's "cannot be forced" for a running container)
      if (inUse.test(d.id()) && !untagOnly) {
        throw ApiException.conflict(
            "conflict: unable to delete "
                + shortId(d.id())
                + " (cannot be forced) - image is being used by a container");
      }
      ArrayNode out = Json.MAPPER.createArrayNode();
      for (String line : images.remove(name, force)) {
        int colon = line.indexOf(": ");
        String key = line.substring(0, colon);
        String value = line.substring(colon + 2);
        out.addObject().put(key, value);
        events.publish("image", key.equals("Deleted") ? "delete" : "untag", d.id(), Map.of());
      }
      return Json.reply(200, out);
    } catch (ImageException e) {
      throw error(e);
    }
  }

  private ApiResponse save(List<String> names) throws ApiException {
    if (names.isEmpty()) {
      throw ApiException.badParameter("no images specified");
    }
    try {
      for (String n : names) {
        images.inspect(n); // an unknown name is the error answer, before the head is sent
      }
    } catch (ImageException e) {
      throw error(e);
    }
    // streamed: a multi-GB image never sits in the daemon's heap
    return new ApiResponse.Stream(
        200,
        Map.of(),
        "application/x-tar",
        sink -> {
          try (SinkStream out = new SinkStream(sink)) {
            images.save(names, out);
          } catch (IOException | ImageException e) {
            // the head is sent: a broken archive is all the client can be told
          }
        });
  }

  private ApiResponse load(ApiRequest req) throws ApiException {
    boolean quiet = req.flag("quiet");
    List<ImageDetails> loaded;
    try {
      loaded = images.load(new ByteArrayInputStream(req.body()));
    } catch (ImageException e) {
      throw error(e);
    }
    StringBuilder lines = new StringBuilder();
    for (ImageDetails d : loaded) {
      List<String> tags = d.repoTags();
      if (tags.isEmpty()) {
        lines.append(streamLine("Loaded image ID: " + d.id() + "\n"));
      }
      for (String t : tags) {
        lines.append(streamLine("Loaded image: " + t + "\n"));
      }
      events.publish("image", "load", d.id(), Map.of());
    }
    if (quiet && loaded.isEmpty()) {
      lines.append(streamLine(""));
    }
    return ApiResponse.json(200, lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String streamLine(String text) {
    ObjectNode o = Json.object().put("stream", text);
    return o + "\n";
  }

  private ApiResponse pull(ApiRequest req) throws ApiException {
    String from = req.param("fromImage");
    if (from == null || from.isEmpty()) {
      throw ApiException.badParameter("fromImage is required (import is not supported)");
    }
    String tag = req.param("tag");
    String ref = from;
    if (tag != null && !tag.isEmpty()) {
      ref = from + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    } else if (!from.contains("@") && !lastPart(from).contains(":")) {
      ref = from + ":latest";
    }
    String image = ref;
    return new ApiResponse.Stream(
        200,
        Map.of(),
        "application/json",
        sink -> {
          List<String> done = new ArrayList<>();
          try {
            ImageDetails d =
                images.pull(
                    image,
                    p -> {
                      if (sink.isOpen()) {
                        sink.send(progress(p));
                      }
                    });
            done.add(d.id());
            sink.send(line(Json.object().put("status", "Digest: " + d.id())));
            sink.send(
                line(Json.object().put("status", "Status: Downloaded newer image for " + image)));
            events.publish("image", "pull", image, Map.of("name", image));
          } catch (ImageException e) {
            ObjectNode err = Json.object();
            err.putObject("errorDetail").put("message", e.getMessage());
            err.put("error", e.getMessage());
            sink.send(line(err));
          }
        });
  }

  /** The {@code reference} filter: a repository ({@code busybox}) or a tag ({@code busybox:1}). */
  private static boolean matches(String tag, String ref) {
    int colon = tag.lastIndexOf(':');
    String repo = colon < 0 ? tag : tag.substring(0, colon);
    return tag.equals(ref) || repo.equals(ref);
  }

  private static byte[] progress(Progress p) {
    ObjectNode o = Json.object().put("status", p.status());
    if (!p.id().isEmpty()) {
      o.put("id", p.id());
    }
    if (p.total() > 0) {
      o.putObject("progressDetail").put("current", p.current()).put("total", p.total());
    }
    return line(o);
  }

  private static byte[] line(ObjectNode o) {
    return (o + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String lastPart(String ref) {
    int slash = ref.lastIndexOf('/');
    return slash < 0 ? ref : ref.substring(slash + 1);
  }

  private static String strip(String rest, String suffix) {
    return rest.substring(0, rest.length() - suffix.length());
  }

  static String shortId(String id) {
    String hex = id.startsWith("sha256:") ? id.substring(7) : id;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
