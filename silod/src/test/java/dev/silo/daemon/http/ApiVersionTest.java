package dev.silo.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiVersionTest {
  @Test
  void versionedPathsAreSplitIntoVersionAndRoute() {
    assertThat(ApiVersion.split("/v1.45/networks/n1"))
        .isEqualTo(new ApiVersion.Split("1.45", "/networks/n1"));
    assertThat(ApiVersion.split("/v1.47")).isEqualTo(new ApiVersion.Split("1.47", "/"));
    assertThat(ApiVersion.split("/networks")).isEqualTo(new ApiVersion.Split(null, "/networks"));
    assertThat(ApiVersion.split("/volumes/v1.45"))
        .isEqualTo(new ApiVersion.Split(null, "/volumes/v1.45"));
  }

  @Test
  void unversionedRequestsRunAtTheServersVersion() throws ApiException {
    assertThat(ApiVersion.negotiate(null)).isEqualTo(ApiVersion.MAX);
    assertThat(ApiVersion.negotiate("1.41")).isEqualTo("1.41");
    assertThat(ApiVersion.negotiate("1.47")).isEqualTo("1.47");
  }

  @Test
  void tooOldIsDockerdsMessageAnd400() {
    assertThatThrownBy(() -> ApiVersion.negotiate("1.12"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "client version 1.12 is too old. Minimum supported API version is 1.41, please upgrade"
                + " your client to a newer version");
  }

  @Test
  void tooNewIsDockerdsMessageAnd400() {
    assertThatThrownBy(() -> ApiVersion.negotiate("1.50"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("client version 1.50 is too new. Maximum supported API version is 1.47");
  }

  @Test
  void versionsCompareNumericallyPartByPart() {
    assertThat(ApiVersion.compare("1.9", "1.41")).isNegative();
    assertThat(ApiVersion.compare("1.41", "1.41.0")).isZero();
    assertThat(ApiVersion.compare("2.0", "1.47")).isPositive();
  }
}
