package dev.silo.images.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Distribution's token flow against a scripted loopback server (the real registry in RegistryIT
 * runs without auth): a 401 Bearer challenge, an anonymous token from the realm, the retry.
 */
class RegistryTokenTest {
  private static final byte[] MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
          .getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  private volatile boolean challengeBasic;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/token",
        ex -> {
          tokenQueries.add(ex.getRequestURI().getRawQuery());
          reply(ex, 200, "{\"token\":\"t0k3n\"}".getBytes(StandardCharsets.UTF_8));
        });
    server.createContext(
        "/v2/silo/app/manifests/1",
        ex -> {
          if ("Bearer t0k3n".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().add("Content-Type", Manifests.OCI_MANIFEST);
            reply(ex, 200, MANIFEST);
            return;
          }
          ex.getResponseHeaders()
              .add(
                  "WWW-Authenticate",
                  challengeBasic
                      ? "Basic realm=\"registry\""
                      : "Bearer realm=\""
                          + base
                          + "/token\",service=\"test-registry\",scope=\"repository:silo/app:pull\"");
          reply(
              ex,
              401,
              "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                  .getBytes(StandardCharsets.UTF_8));
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private ImageReference ref() throws ImageException {
    return ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/silo/app:1");
  }

  @Test
  void fetchesAnAnonymousTokenAndRetries() throws Exception {
    RegistryClient.Fetched f = new RegistryClient(ref()).manifest("1");
    assertThat(f.body()).isEqualTo(MANIFEST);
    assertThat(f.digest()).isEqualTo(Digests.of(MANIFEST));
    assertThat(f.mediaType()).isEqualTo(Manifests.OCI_MANIFEST);
    assertThat(tokenQueries)
        .containsExactly("service=test-registry&scope=repository%3Asilo%2Fapp%3Apull");
  }

  @Test
  void aChallengeItCannotAnswerIsOneClearError() {
    challengeBasic = true;
    assertThatThrownBy(() -> new RegistryClient(ref()).manifest("1"))
        .isInstanceOfSatisfying(
            ImageException.class, e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.REGISTRY))
        .hasMessageContaining("refused access to 127.0.0.1:")
        .hasMessageContaining("HTTP 401");
    assertThat(tokenQueries).isEmpty();
  }
}
