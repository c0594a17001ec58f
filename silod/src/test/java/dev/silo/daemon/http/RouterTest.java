package dev.silo.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static Handler named(String name) {
    return r -> ApiResponse.text(200, name);
  }

  private Router.Match match(String method, String path) {
    Router.Match m = router.match(method, path);
    assertThat(m).as(method + " " + path).isNotNull();
    return java.util.Objects.requireNonNull(m);
  }

  private static String body(Router.Match m) throws ApiException {
    ApiResponse.Full f = (ApiResponse.Full) m.handler().handle(request());
    return new String(f.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static ApiRequest request() {
    return new ApiRequest("GET", "/", "", Map.of(), Map.of(), new byte[0], Map.of());
  }

  private final Router router =
      new Router()
          .add("GET", "/networks", named("list"))
          .add("POST", "/networks/create", named("create"))
          .add("GET", "/networks/{id}", named("inspect"))
          .add("DELETE", "/networks/{id}", named("remove"))
          .add("GET", "/files/{path:*}", named("files"));

  @Test
  void literalSegmentsWinInTheOrderRoutesWereAdded() throws ApiException {
    Router.Match m = match("POST", "/networks/create");
    assertThat(body(m)).isEqualTo("create");
  }

  @Test
  void variablesAreBound() throws ApiException {
    Router.Match m = match("DELETE", "/networks/n1");
    assertThat(m.vars()).containsExactly(Map.entry("id", "n1"));
    assertThat(body(m)).isEqualTo("remove");
  }

  @Test
  void aTrailingSlashIsTheSameRoute() {
    assertThat(router.match("GET", "/networks/")).isNotNull();
  }

  @Test
  void headIsAnsweredByGetRoutes() throws ApiException {
    Router.Match m = match("HEAD", "/networks");
    assertThat(body(m)).isEqualTo("list");
  }

  @Test
  void unknownPathsAndMethodsDoNotMatch() {
    assertThat(router.match("GET", "/nothing")).isNull();
    assertThat(router.match("PUT", "/networks")).isNull();
    assertThat(router.match("GET", "/networks/n1/extra")).isNull();
  }

  @Test
  void aStarVariableTakesTheRestOfThePath() {
    Router.Match m = match("GET", "/files/a/b/c");
    assertThat(m.vars()).containsEntry("path", "a/b/c");
  }
}
