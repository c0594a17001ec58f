package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A container's {@code Config.Healthcheck} (HEALTHCHECK, {@code --health-*}) as dockerd reads it:
 * the probe command ({@code CMD} runs as is, {@code CMD-SHELL} under {@code /bin/sh -c}, {@code
 * NONE} disables the image's) and its timings, with dockerd's defaults for the zero values.
 *
 * @param command the probe's argv
 * @param interval between the end of one probe and the start of the next (and before the first)
 * @param timeout how long one probe may run before it is killed and counted as a failure
 * @param startPeriod failures in this time after the start do not count
 * @param startInterval the interval while starting within the start period
 * @param retries consecutive failures that make the container unhealthy
 */
record HealthCheck(
    List<String> command,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    int retries) {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
  static final int DEFAULT_RETRIES = 3;

  private static final List<String> DURATIONS =
      List.of("Interval", "Timeout", "StartPeriod", "StartInterval");

  HealthCheck {
    command = List.copyOf(command);
  }

  /** The probe of a container's config; null without one, with NONE or with an unknown type. */
  static @Nullable HealthCheck of(JsonNode config) {
    JsonNode h = config.path("Healthcheck");
    List<String> test = new ArrayList<>();
    h.path("Test").forEach(n -> test.add(n.asText()));
    if (test.size() < 2) {
      return null; // none, ["NONE"], or a type without a command
    }
    List<String> cmd = new ArrayList<>();
    switch (test.get(0)) {
      case "CMD" -> cmd.addAll(test.subList(1, test.size()));
      case "CMD-SHELL" -> {
        List<String> shell = new ArrayList<>();
        config.path("Shell").forEach(n -> shell.add(n.asText()));
        cmd.addAll(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
        cmd.addAll(test.subList(1, test.size()));
      }
      default -> {
        return null;
      }
    }
    int retries = h.path("Retries").asInt(0);
    return new HealthCheck(
        cmd,
        nanos(h, "Interval", DEFAULT_INTERVAL),
        nanos(h, "Timeout", DEFAULT_TIMEOUT),
        nanos(h, "StartPeriod", Duration.ZERO),
        nanos(h, "StartInterval", DEFAULT_START_INTERVAL),
        retries <= 0 ? DEFAULT_RETRIES : retries);
  }

  private static Duration nanos(JsonNode h, String field, Duration byDefault) {
    long n = h.path(field).asLong(0);
    return n == 0 ? byDefault : Duration.ofNanos(n);
  }

  /**
   * dockerd's check of a create body: durations of at least 1 ms (or 0 for the default), retries
   * not negative; the message of the first wrong field, or null.
   */
  static @Nullable String invalid(JsonNode body) {
    JsonNode h = body.path("Healthcheck");
    if (!h.isObject()) {
      return null;
    }
    for (String f : DURATIONS) {
      long n = h.path(f).asLong(0);
      if (n != 0 && n < 1_000_000L) {
        return f + " in Healthcheck cannot be less than 1ms";
      }
    }
    if (h.path("Retries").asInt(0) < 0) {
      return "Retries in Healthcheck cannot be negative";
    }
    return null;
  }

  /**
   * The container's config with the image's HEALTHCHECK merged in as dockerd merges it at create:
   * the image's whole check when the body has none, else its fields where the body's are zero.
   */
  static JsonNode withImageCheck(JsonNode config, @Nullable JsonNode imageConfig) {
    JsonNode image = imageConfig == null ? null : imageConfig.get("Healthcheck");
    if (image == null || !image.isObject() || !config.isObject()) {
      return config;
    }
    ObjectNode out = (ObjectNode) config.deepCopy();
    JsonNode mine = config.get("Healthcheck");
    if (mine == null || !mine.isObject()) {
      out.set("Healthcheck", image.deepCopy());
      return out;
    }
    ObjectNode h = (ObjectNode) mine.deepCopy();
    if (h.path("Test").size() == 0 && image.has("Test")) {
      h.set("Test", image.get("Test").deepCopy());
    }
    for (String f : List.of("Interval", "Timeout", "StartPeriod", "StartInterval", "Retries")) {
      if (h.path(f).asLong(0) == 0 && image.has(f)) {
        h.set(f, image.get(f).deepCopy());
      }
    }
    out.set("Healthcheck", h);
    return out;
  }

  /** Go's {@code time.Duration.String()}: 1s, 500ms, 1m30s, 2.5s, 1h0m0s. */
  static String goDuration(Duration d) {
    long ns = d.toNanos();
    if (ns == 0) {
      return "0s";
    }
    if (ns < 1_000) {
      return ns + "ns";
    }
    if (ns < 1_000_000) {
      return fraction(ns, 1_000) + "µs";
    }
    if (ns < 1_000_000_000) {
      return fraction(ns, 1_000_000) + "ms";
    }
    long h = ns / 3_600_000_000_000L;
    long m = ns / 60_000_000_000L % 60;
    String s = fraction(ns % 60_000_000_000L, 1_000_000_000) + "s";
    if (h > 0) {
      return h + "h" + m + "m" + s;
    }
    return m > 0 ? m + "m" + s : s;
  }

  private static String fraction(long value, long unit) {
    long whole = value / unit;
    long rest = value % unit;
    if (rest == 0) {
      return Long.toString(whole);
    }
    String digits = Long.toString(unit + rest).substring(1).replaceAll("0+$", "");
    return whole + "." + digits;
  }

  /** A probe's description for exec events: its argv joined by spaces. */
  String commandLine() {
    return String.join(" ", command);
  }

  static void checkBody(JsonNode body) throws ApiException {
    String bad = invalid(body);
    if (bad != null) {
      throw ApiException.badParameter(bad);
    }
  }
}
