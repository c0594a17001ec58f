package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.images.ImageException;
import dev.silo.images.ImageService;
import dev.silo.images.ImageSummary;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /containers/prune}, {@code POST /images/prune}, {@code GET /system/df} and an empty
 * {@code POST /build/prune} (silod has no build cache; {@code docker system prune} asks): what
 * dockerd's prune and disk-usage routes answer, with sizes measured on disk (a container's scratch
 * upper directory, an image's unpacked layer folders, a volume's data). Nothing a running container
 * or any container's image uses is removed.
 */
public final class PruneApi {
  private static final Set<String> CONTAINER_FILTERS = Set.of("label", "label!", "until");
  private static final Set<String> IMAGE_FILTERS = Set.of("dangling", "label", "label!", "until");
  private static final Pattern DURATION =
      Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");

  /** Removes a container as {@code docker rm} does. */
  @FunctionalInterface
  public interface Remover {
    void remove(ContainerRecord c) throws ApiException;
  }

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final Remover remover;
  private final ImageService images;
  private final Predicate<String> imageInUse;
  private final VolumeStore volumes;
  private final EventLog events;

  public PruneApi(
      ContainerStore store,
      ContainerRuntime runtime,
      Remover remover,
      ImageService images,
      Predicate<String> imageInUse,
      VolumeStore volumes,
      EventLog events) {
    this.store = store;
    this.runtime = runtime;
    this.remover = remover;
    this.images = images;
    this.imageInUse = imageInUse;
    this.volumes = volumes;
    this.events = events;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("POST", "/containers/prune", this::pruneContainers);
    r.add("POST", "/images/prune", this::pruneImages);
    r.add("GET", "/system/df", this::diskUsage);
    // silod builds nothing, so there is no build cache: docker system prune asks anyway
    r.add(
        "POST",
        "/build/prune",
        req -> {
          ObjectNode out = Json.object();
          out.putNull("CachesDeleted");
          out.put("SpaceReclaimed", 0);
          return Json.reply(200, out);
        });
  }

  private synchronized ApiResponse pruneContainers(ApiRequest req) throws ApiException {
    Filters f = Filters.parse(req.param("filters"), CONTAINER_FILTERS);
    Instant until = until(f);
    ArrayNode deleted = Json.MAPPER.createArrayNode();
    long reclaimed = 0;
    for (ContainerRecord c : store.list()) {
      if (runtime.state(c).running()
          || (until != null && Instant.parse(c.created()).isAfter(until))
          || !f.labels("label", labels(c))
          || !f.notLabels("label!", labels(c))) {
        continue;
      }
      // under the lock start takes: a container started meanwhile is left alone
      synchronized (runtime.live(c.id()).lock) {
        ContainerRecord now = store.get(c.id());
        if (now == null || runtime.state(now).running()) {
          continue;
        }
        long size = size(store.scratch(c.id()).resolve("upper"));
        remover.remove(now);
        reclaimed += size;
        deleted.add(c.id());
      }
    }
    events.publish("container", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
    ObjectNode out = Json.object();
    if (deleted.isEmpty()) {
      out.putNull("ContainersDeleted"); // Go's nil slice, as dockerd answers
    } else {
      out.set("ContainersDeleted", deleted);
    }
    out.put("SpaceReclaimed", reclaimed);
    return Json.reply(200, out);
  }

  private synchronized ApiResponse pruneImages(ApiRequest req) throws ApiException {
    Filters f = Filters.parse(req.param("filters"), IMAGE_FILTERS);
    boolean danglingOnly = true;
    for (String d : f.get("dangling")) {
      danglingOnly =
          switch (d.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badParameter("invalid filter 'dangling=" + d + "'");
          };
    }
    Instant until = until(f);
    ArrayNode deleted = Json.MAPPER.createArrayNode();
    try {
      List<ImageSummary> all = images.list();
      Map<Path, Long> before = layerSizes(all);
      for (ImageSummary s : all) {
        if (imageInUse.test(s.id())
            || (danglingOnly && !s.repoTags().isEmpty())
            || (until != null && Instant.ofEpochSecond(s.created()).isAfter(until))
            || !f.labels("label", s.labels())
            || !f.notLabels("label!", s.labels())) {
          continue;
        }
        for (String line : images.remove(s.id(), true)) {
          int colon = line.indexOf(": ");
          String key = line.substring(0, colon);
          deleted.addObject().put(key, line.substring(colon + 2));
          events.publish("image", key.equals("Deleted") ? "delete" : "untag", s.id(), Map.of());
        }
      }
      Set<Path> kept = new HashSet<>(); // the folders still used: no second size walk
      for (ImageSummary s : images.list()) {
        kept.addAll(images.layerFolders(s.id()));
      }
      long reclaimed = 0;
      for (Map.Entry<Path, Long> e : before.entrySet()) {
        if (!kept.contains(e.getKey())) {
          reclaimed += e.getValue();
        }
      }
      events.publish("image", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
      ObjectNode out = Json.object();
      if (deleted.isEmpty()) {
        out.putNull("ImagesDeleted");
      } else {
        out.set("ImagesDeleted", deleted);
      }
      out.put("SpaceReclaimed", reclaimed);
      return Json.reply(200, out);
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
  }

  private ApiResponse diskUsage(ApiRequest req) throws ApiException {
    List<String> types = req.query().getOrDefault("type", List.of());
    for (String t : types) {
      if (!Set.of("container", "image", "volume", "build-cache").contains(t)) {
        throw ApiException.badParameter("unknown object type: " + t);
      }
    }
    ObjectNode out = Json.object();
    List<ContainerRecord> containers = store.list();
    try {
      List<ImageSummary> all = images.list();
      Layers layers = Layers.of(images, all);
      if (types.isEmpty() || types.contains("image")) {
        out.put("LayersSize", layers.total());
        ArrayNode imgs = out.putArray("Images");
        for (ImageSummary s : all) {
          ObjectNode o = Json.MAPPER.valueToTree(s);
          o.put("Size", layers.size(s.id())).put("SharedSize", layers.shared(s.id()));
          o.put("Containers", containers.stream().filter(c -> c.imageId().equals(s.id())).count());
          imgs.add(o);
        }
      }
      if (types.isEmpty() || types.contains("container")) {
        ArrayNode cs = out.putArray("Containers");
        for (ContainerRecord c : containers) {
          ObjectNode o = ContainerViews.summary(c, runtime.state(c), runtime);
          long rw = size(store.scratch(c.id()).resolve("upper"));
          o.put("SizeRw", rw).put("SizeRootFs", rw + layers.size(c.imageId()));
          cs.add(o);
        }
      }
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
    if (types.isEmpty() || types.contains("volume")) {
      out.set("Volumes", volumeUsage(containers));
    }
    if (types.isEmpty() || types.contains("build-cache")) {
      out.putArray("BuildCache");
    }
    return Json.reply(200, out);
  }

  private ArrayNode volumeUsage(List<ContainerRecord> containers) throws ApiException {
    ArrayNode vs = Json.MAPPER.createArrayNode();
    VolumeApi view = new VolumeApi(volumes, events);
    for (VolumeRecord v : volumes.list()) {
      ObjectNode o = view.inspect(v);
      long refs = containers.stream().filter(c -> ContainerMounts.uses(c, v.name())).count();
      o.putObject("UsageData")
          .put("Size", size(volumes.mountpoint(v.name())))
          .put("RefCount", refs);
      vs.add(o);
    }
    return vs;
  }

  /** The images' layer folders measured once: sizes, which image has which, how many share one. */
  private record Layers(
      Map<Path, Long> bytes, Map<String, Set<Path>> of, Map<Path, Integer> users) {
    static Layers of(ImageService images, List<ImageSummary> all) throws ImageException {
      Map<Path, Long> bytes = new HashMap<>();
      Map<String, Set<Path>> of = new HashMap<>();
      Map<Path, Integer> users = new HashMap<>();
      for (ImageSummary s : all) {
        Set<Path> layers = new HashSet<>(images.layerFolders(s.id()));
        of.put(s.id(), layers);
        for (Path l : layers) {
          bytes.computeIfAbsent(l, PruneApi::size);
          users.merge(l, 1, Integer::sum);
        }
      }
      return new Layers(bytes, of, users);
    }

    long total() {
      return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    long size(String imageId) {
      return of.getOrDefault(imageId, Set.of()).stream()
          .mapToLong(l -> bytes.getOrDefault(l, 0L))
          .sum();
    }

    /** The bytes of the image's layers that other images use too. */
    long shared(String imageId) {
      return of.getOrDefault(imageId, Set.of()).stream()
          .filter(l -> users.getOrDefault(l, 0) > 1)
          .mapToLong(l -> bytes.getOrDefault(l, 0L))
          .sum();
    }
  }

  /** The unpacked size of every layer folder the images use. */
  private Map<Path, Long> layerSizes(List<ImageSummary> all) throws ImageException {
    Map<Path, Long> out = new HashMap<>();
    for (ImageSummary s : all) {
      for (Path l : images.layerFolders(s.id())) {
        out.computeIfAbsent(l, PruneApi::size);
      }
    }
    return out;
  }

  private static Map<String, String> labels(ContainerRecord c) {
    Map<String, String> m = new TreeMap<>();
    c.config().path("Labels").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /** The {@code until} filter: a Go duration before now, RFC 3339, or Unix seconds. */
  static @Nullable Instant until(Filters f) throws ApiException {
    Set<String> values = f.get("until");
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiException.badParameter("more than one until filter specified");
    }
    String v = values.iterator().next();
    Long nanos = goDuration(v);
    if (nanos != null) {
      return Instant.now().minusNanos(nanos);
    }
    long ts = SystemApi.timestamp(v, "until");
    return Instant.ofEpochSecond(ts / 1_000_000_000L, ts % 1_000_000_000L);
  }

  /** A Go {@code time.ParseDuration} value in nanoseconds ("90s", "1h30m"), or null. */
  static @Nullable Long goDuration(String s) {
    if (s.isEmpty() || s.equals("0") || !s.matches("([0-9]*(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+")) {
      return null;
    }
    Matcher m = DURATION.matcher(s);
    double total = 0;
    while (m.find()) {
      if (m.group(1).isEmpty() || m.group(1).equals(".")) {
        return null;
      }
      double n = Double.parseDouble(m.group(1));
      total +=
          n
              * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
    }
    return (long) total;
  }

  /**
   * The bytes of the regular files under {@code dir} (0 when it is missing), symlinks not followed.
   */
  static long size(Path dir) {
    long[] total = {0};
    if (!Files.exists(dir)) {
      return 0;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                total[0] += attrs.size();
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // a size is an estimate: what could be read is counted
    }
    return total[0];
  }
}
