package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchTest {
  private final Router docker =
      new Router()
          .add("GET", "/echo", r -> ApiResponse.text(200, r.apiVersion() + " " + r.path()))
          .add(
              "GET",
              "/conflict/{id}",
              r -> {
                throw ApiException.conflict("thing " + r.var("id") + " is taken");
              });
  private final Router rest =
      new Router().add("GET", "/hns/v2/networks", r -> ApiResponse.text(200, "rest"));
  private final Dispatch dispatch =
      new Dispatch(
          docker, rest, new Log("error", new PrintStream(new ByteArrayOutputStream(), true)));

  private static ApiRequest get(String path) {
    return new ApiRequest("GET", path, "", Map.of(), Map.of(), new byte[0], Map.of());
  }

  private static String body(ApiResponse r) {
    return new String(((ApiResponse.Full) r).body(), StandardCharsets.UTF_8);
  }

  @Test
  void versionedAndUnversionedPathsReachTheSameRouteWithTheirVersion() {
    assertThat(body(dispatch.dispatch(get("/v1.44/echo")))).isEqualTo("1.44 /echo");
    assertThat(body(dispatch.dispatch(get("/echo")))).isEqualTo("1.47 /echo");
  }

  @Test
  void everyDockerAnswerCarriesTheVersionHeaders() {
    ApiResponse r = dispatch.dispatch(get("/echo"));
    assertThat(r.headers())
        .containsEntry("API-Version", "1.47")
        .containsEntry("OSType", "linux")
        .containsKey("Server");
  }

  @Test
  void anOldVersionIs400WithDockerdsMessage() {
    ApiResponse r = dispatch.dispatch(get("/v1.12/echo"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(body(r))
        .isEqualTo(
            "{\"message\":\"client version 1.12 is too old. Minimum supported API version is 1.41,"
                + " please upgrade your client to a newer version\"}");
  }

  @Test
  void unknownRoutesAre404PageNotFound() {
    ApiResponse r = dispatch.dispatch(get("/v1.45/nothing"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(body(r)).isEqualTo("{\"message\":\"page not found\"}");
  }

  @Test
  void handlerErrorsBecomeTheirStatusAndMessage() {
    ApiResponse r = dispatch.dispatch(get("/conflict/n1"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(body(r)).isEqualTo("{\"message\":\"thing n1 is taken\"}");
  }

  @Test
  void restPathsSkipVersioningAndAnswerHresultErrors() {
    assertThat(body(dispatch.dispatch(get("/hns/v2/networks")))).isEqualTo("rest");
    ApiResponse r = dispatch.dispatch(get("/hns/v2/nothing"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(body(r))
        .contains("\"Error\":" + dev.silo.api.HResult.HCN_E_REQUEST_UNSUPPORTED.code())
        .contains("\"ErrorMessage\":\"GET /hns/v2/nothing is not supported\"");
    assertThat(r.headers()).doesNotContainKey("API-Version");
  }
}
