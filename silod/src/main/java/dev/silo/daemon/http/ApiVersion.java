package dev.silo.daemon.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Docker Engine API version negotiation as dockerd does it: a {@code /vX.Y} path prefix names the
 * version, an unversioned path gets the server's default (its maximum), and a version outside
 * [{@link #MIN}, {@link #MAX}] fails with 400 and dockerd's message.
 */
public final class ApiVersion {
  /** The oldest API version served (Docker 20.10). */
  public static final String MIN = "1.41";

  /** The newest API version served, also the default and the {@code API-Version} header. */
  public static final String MAX = "1.47";

  private static final Pattern PREFIX = Pattern.compile("^/v([0-9][0-9.]*)(/.*)?$");

  /** A path split into its version (null when unversioned) and the rest. */
  public record Split(@Nullable String version, String path) {}

  private ApiVersion() {}

  /** Splits {@code /v1.45/networks} into {@code 1.45} and {@code /networks}. */
  public static Split split(String path) {
    Matcher m = PREFIX.matcher(path);
    if (!m.matches()) {
      return new Split(null, path);
    }
    String rest = m.group(2);
    return new Split(m.group(1), rest == null ? "/" : rest);
  }

  /** The version the request runs at; throws 400 for one outside the served range. */
  public static String negotiate(@Nullable String requested) throws ApiException {
    if (requested == null || requested.isEmpty()) {
      return MAX;
    }
    if (compare(requested, MIN) < 0) {
      throw ApiException.badParameter(
          "client version "
              + requested
              + " is too old. Minimum supported API version is "
              + MIN
              + ", please upgrade your client to a newer version");
    }
    if (compare(requested, MAX) > 0) {
      throw ApiException.badParameter(
          "client version " + requested + " is too new. Maximum supported API version is " + MAX);
    }
    return requested;
  }

  /** Compares dotted versions numerically, part by part (missing parts are 0), as moby does. */
  public static int compare(String a, String b) {
    String[] x = a.split("\\.", -1);
    String[] y = b.split("\\.", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? parse(x[i]) : 0;
      int yi = i < y.length ? parse(y[i]) : 0;
      if (xi != yi) {
        return Integer.compare(xi, yi);
      }
    }
    return 0;
  }

  private static int parse(String part) {
    try {
      return part.isEmpty() ? 0 : Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
