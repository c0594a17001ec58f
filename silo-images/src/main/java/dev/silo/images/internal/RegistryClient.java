package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Docker Registry HTTP API v2 client for one repository (distribution's {@code /v2/<name>/…}
 * routes): manifests by tag or digest, blobs, monolithic uploads, anonymous bearer tokens. HTTPS,
 * except plain HTTP for a registry on loopback.
 */
public final class RegistryClient {
  private static final Duration CONNECT = Duration.ofSeconds(10);
  private static final Duration SMALL_REQUEST = Duration.ofSeconds(60);
  private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http;
  private final ImageReference ref;
  private final String host;
  private final URI base;
  private @Nullable String authorization;

  public RegistryClient(ImageReference ref) {
    this.ref = ref;
    this.host =
        ref.domain().equals(ImageReference.DEFAULT_DOMAIN) ? "registry-1.docker.io" : ref.domain();
    String scheme = ref.isLoopbackRegistry() ? "http" : "https";
    this.base = URI.create(scheme + "://" + host + "/v2/" + ref.path() + "/");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** A manifest or index as the registry sent it, with its media type and verified digest. */
  public record Fetched(byte[] body, String mediaType, String digest, JsonNode doc) {}

  /** GET {@code /manifests/<tag or digest>}; a digest reference is verified against the body. */
  public Fetched manifest(String reference) throws ImageException {
    HttpRequest.Builder rb =
        request(base.resolve("manifests/" + reference), SMALL_REQUEST)
            .header("Accept", Manifests.ACCEPT)
            .GET();
    HttpResponse<byte[]> r =
        send(rb, HttpResponse.BodyHandlers.ofByteArray(), "manifest " + reference);
    if (r.statusCode() == 404) {
      throw new ImageException(
          ImageException.Kind.NOT_FOUND,
          "manifest for " + display(reference) + " not found: " + errorText(r.body()));
    }
    expect(r.statusCode(), 200, r.body(), "fetching manifest " + display(reference));
    byte[] body = r.body();
    String digest = Digests.of(body);
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "manifest " + display(reference) + " has digest " + digest + " (does not match)");
    }
    JsonNode doc;
    try {
      doc = ImageStore.JSON.readTree(body);
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "manifest " + display(reference) + " is not JSON: " + e.getMessage(),
          e);
    }
    String mt = Manifests.mediaType(doc, r.headers().firstValue("Content-Type").orElse(null));
    return new Fetched(body, mt, digest, doc);
  }

  /** An open blob stream and its length (-1 when unknown); the caller verifies the digest. */
  public record Blob(InputStream body, long length) {}

  public Blob blob(String digest) throws ImageException {
    HttpRequest.Builder rb = request(base.resolve("blobs/" + digest), null).GET();
    HttpResponse<InputStream> r = send(rb, HttpResponse.BodyHandlers.ofInputStream(), "blob");
    if (r.statusCode() != 200) {
      byte[] err;
      try (InputStream in = r.body()) {
        err = in.readNBytes(4096);
      } catch (IOException e) {
        err = new byte[0];
      }
      if (r.statusCode() == 404) {
        throw new ImageException(
            ImageException.Kind.NOT_FOUND,
            "blob " + digest + " of " + ref.name() + " not found: " + errorText(err));
      }
      expect(r.statusCode(), 200, err, "fetching blob " + digest);
    }
    return new Blob(r.body(), r.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  /** HEAD {@code /blobs/<digest>}: whether the registry already has it. */
  public boolean hasBlob(String digest) throws ImageException {
    HttpRequest.Builder rb =
        request(base.resolve("blobs/" + digest), SMALL_REQUEST)
            .method("HEAD", HttpRequest.BodyPublishers.noBody());
    HttpResponse<Void> r = send(rb, HttpResponse.BodyHandlers.discarding(), "blob");
    return r.statusCode() == 200;
  }

  /** POST an upload session, then PUT the whole blob with its digest (monolithic upload). */
  public void upload(String digest, Path file) throws ImageException {
    HttpRequest.Builder start =
        request(base.resolve("blobs/uploads/"), SMALL_REQUEST)
            .POST(HttpRequest.BodyPublishers.noBody());
    HttpResponse<byte[]> s = send(start, HttpResponse.BodyHandlers.ofByteArray(), "upload");
    expect(s.statusCode(), 202, s.body(), "starting the upload of " + digest);
    String location =
        s.headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new ImageException(
                        ImageException.Kind.REGISTRY,
                        "registry " + host + " started an upload without a Location"));
    URI loc = base.resolve(location);
    String sep = loc.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(loc + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot read blob " + digest, e);
    }
    HttpRequest.Builder pb =
        request(put, null).header("Content-Type", "application/octet-stream").PUT(body);
    HttpResponse<byte[]> p = send(pb, HttpResponse.BodyHandlers.ofByteArray(), "upload");
    expect(p.statusCode(), 201, p.body(), "uploading blob " + digest);
  }

  /** PUT {@code /manifests/<tag>}; answers the digest the registry gave it. */
  public String putManifest(String tag, byte[] body, String mediaType) throws ImageException {
    HttpRequest.Builder rb =
        request(base.resolve("manifests/" + tag), SMALL_REQUEST)
            .header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> r = send(rb, HttpResponse.BodyHandlers.ofByteArray(), "manifest");
    expect(r.statusCode(), 201, r.body(), "putting manifest " + display(tag));
    return r.headers().firstValue("Docker-Content-Digest").orElse(Digests.of(body));
  }

  private HttpRequest.Builder request(URI uri, @Nullable Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private <T> HttpResponse<T> send(
      HttpRequest.Builder rb, HttpResponse.BodyHandler<T> handler, String what)
      throws ImageException {
    HttpResponse<T> r = exchange(rb.build(), handler, what);
    if (r.statusCode() == 401 && authorization == null) {
      String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
      if (challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
        authorization = "Bearer " + token(challenge.substring(7));
        if (r.body() instanceof InputStream in) {
          try {
            in.close();
          } catch (IOException ignored) {
            // the retry below is what matters
          }
        }
        rb.setHeader("Authorization", authorization);
        r = exchange(rb.build(), handler, what);
      }
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "registry "
              + host
              + " refused access to "
              + ref.name()
              + " (HTTP "
              + r.statusCode()
              + ")");
    }
    return r;
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) throws ImageException {
    try {
      return http.send(req, handler);
    } catch (ConnectException e) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "cannot reach registry " + host + " for " + ref.name() + ": connection refused",
          e);
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "registry " + host + " failed (" + what + " of " + ref.name() + "): " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageException(
          ImageException.Kind.REGISTRY, "interrupted talking to registry " + host, e);
    }
  }

  /** An anonymous token from the challenge's realm (distribution's token auth spec). */
  private String token(String params) throws ImageException {
    Map<String, String> p = new LinkedHashMap<>();
    Matcher m = AUTH_PARAM.matcher(params);
    while (m.find()) {
      p.put(m.group(1), m.group(2));
    }
    String realm = p.getOrDefault("realm", "");
    URI realmUri = URI.create(realm.isEmpty() ? "invalid:" : realm);
    boolean loopback = ref.isLoopbackRegistry();
    if (!"https".equals(realmUri.getScheme())
        && !(loopback && "http".equals(realmUri.getScheme()))) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "registry " + host + " asks for a token from \"" + realm + "\" (not https)");
    }
    StringBuilder q = new StringBuilder();
    for (String k : new String[] {"service", "scope"}) {
      if (p.containsKey(k)) {
        q.append(q.isEmpty() ? "?" : "&")
            .append(k)
            .append('=')
            .append(URLEncoder.encode(p.get(k), StandardCharsets.UTF_8));
      }
    }
    HttpResponse<byte[]> r =
        exchange(
            HttpRequest.newBuilder(URI.create(realm + q)).timeout(SMALL_REQUEST).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray(),
            "token");
    expect(r.statusCode(), 200, r.body(), "getting a token from " + realm);
    try {
      JsonNode t = ImageStore.JSON.readTree(r.body());
      String token = t.path("token").asText(t.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new ImageException(
            ImageException.Kind.REGISTRY, "token service " + realm + " answered no token");
      }
      return token;
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.REGISTRY, "token service " + realm + " answered no JSON", e);
    }
  }

  private void expect(int status, int wanted, byte[] body, String what) throws ImageException {
    if (status != wanted) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          "registry "
              + host
              + " answered HTTP "
              + status
              + " "
              + what
              + " of "
              + ref.name()
              + ": "
              + errorText(body));
    }
  }

  private String display(String reference) {
    return ref.familiarName() + (reference.startsWith("sha256:") ? "@" : ":") + reference;
  }

  /** The first {@code errors[].message} of a registry error body, else the body's start. */
  static String errorText(byte[] body) {
    try {
      JsonNode e = ImageStore.JSON.readTree(body).path("errors").path(0);
      if (e.isObject()) {
        String code = e.path("code").asText("");
        String msg = e.path("message").asText("");
        return code.isEmpty()
            ? msg
            : code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + msg;
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: show the text
    }
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? "(no body)" : s;
  }
}
