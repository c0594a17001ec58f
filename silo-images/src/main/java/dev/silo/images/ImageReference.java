package dev.silo.images;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A normalised image reference, as Docker's {@code reference.ParseNormalizedNamed} makes it: {@code
 * busybox} is {@code docker.io/library/busybox:latest}; {@code host:5000/a/b@sha256:…} keeps its
 * registry and digest.
 *
 * @param domain the registry ({@code docker.io} for Docker Hub)
 * @param path the repository path ({@code library/busybox})
 * @param tag the tag, or null when the reference names a digest only
 * @param digest {@code sha256:…}, or null
 */
public record ImageReference(
    String domain, String path, @Nullable String tag, @Nullable String digest) {
  /** Docker Hub's name in references. */
  public static final String DEFAULT_DOMAIN = "docker.io";

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
              + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
              + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final Pattern ID = Pattern.compile("(?:sha256:)?[a-f0-9]{12,64}");

  /**
   * Parses and normalises {@code text}.
   *
   * @throws ImageException {@code INVALID_REFERENCE} with Docker's wording and the text
   */
  public static ImageReference parse(String text) throws ImageException {
    if (text.isEmpty()) {
      throw invalid(text, "empty reference");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(text, "digest \"" + digest + "\" is not sha256:<64 hex digits>");
      }
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, "tag \"" + tag + "\" is not valid");
      }
    }
    String domain = DEFAULT_DOMAIN;
    String path = rest;
    int first = rest.indexOf('/');
    if (first >= 0) {
      String head = rest.substring(0, first);
      if (head.contains(".")
          || head.contains(":")
          || head.equals("localhost")
          || !head.toLowerCase(Locale.ROOT).equals(head)) {
        domain = head;
        path = rest.substring(first + 1);
        if (!DOMAIN.matcher(domain).matches()) {
          throw invalid(text, "registry \"" + domain + "\" is not a host[:port]");
        }
      }
    }
    if (domain.equals("index.docker.io")) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
      path = "library/" + path;
    }
    if (!path.toLowerCase(Locale.ROOT).equals(path)) {
      throw invalid(text, "repository name (" + path + ") must be lowercase");
    }
    if (!PATH.matcher(path).matches()) {
      throw invalid(text, "repository name \"" + path + "\" is not valid");
    }
    if (domain.length() + 1 + path.length() > 255) {
      throw invalid(text, "repository name must not be more than 255 characters");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(domain, path, tag, digest);
  }

  /** Whether {@code text} is an image id or a unique-looking prefix of one (12+ hex digits). */
  public static boolean looksLikeId(String text) {
    return ID.matcher(text).matches();
  }

  private static ImageException invalid(String text, String why) {
    return new ImageException(
        ImageException.Kind.INVALID_REFERENCE,
        "invalid reference format: " + why + " (in \"" + text + "\")");
  }

  /** {@code domain/path}: the repository's full name. */
  public String name() {
    return domain + "/" + path;
  }

  /** The name as Docker shows it: {@code busybox}, {@code user/app}, {@code host:5000/app}. */
  public String familiarName() {
    if (!domain.equals(DEFAULT_DOMAIN)) {
      return name();
    }
    return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
  }

  /** {@code familiarName:tag} (what {@code RepoTags} holds), or the familiar name alone. */
  public String familiar() {
    return familiarName() + (tag == null ? "" : ":" + tag);
  }

  /** The same repository with {@code newTag} and no digest. */
  public ImageReference withTag(String newTag) {
    return new ImageReference(domain, path, newTag, null);
  }

  /** The same repository with {@code newDigest} and no tag. */
  public ImageReference withDigest(String newDigest) {
    return new ImageReference(domain, path, null, newDigest);
  }

  /** Whether the registry is on this machine (plain HTTP is allowed only there). */
  public boolean isLoopbackRegistry() {
    String host = domain.replaceFirst(":[0-9]+$", "");
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  @Override
  public String toString() {
    return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
