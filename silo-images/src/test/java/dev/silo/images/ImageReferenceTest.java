package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String DIGEST =
      "sha256:6b5e8b7c0b1b0cf1e8f0b9f7d6a3e1f5c2a4b6d8e0f1a3c5e7b9d1f3a5c7e9b1";

  @ParameterizedTest
  @CsvSource({
    "busybox, docker.io/library/busybox:latest, busybox:latest",
    "busybox:1.36, docker.io/library/busybox:1.36, busybox:1.36",
    "library/busybox, docker.io/library/busybox:latest, busybox:latest",
    "docker.io/library/busybox:latest, docker.io/library/busybox:latest, busybox:latest",
    "index.docker.io/library/busybox, docker.io/library/busybox:latest, busybox:latest",
    "user/app:v1, docker.io/user/app:v1, user/app:v1",
    "127.0.0.1:5000/busybox, 127.0.0.1:5000/busybox:latest, 127.0.0.1:5000/busybox:latest",
    "localhost/a/b:x, localhost/a/b:x, localhost/a/b:x",
    "mcr.microsoft.com/windows/nanoserver:ltsc2022, mcr.microsoft.com/windows/nanoserver:ltsc2022,"
        + " mcr.microsoft.com/windows/nanoserver:ltsc2022",
    "Registry/app, Registry/app:latest, Registry/app:latest",
    "a__b/c-d.e, docker.io/a__b/c-d.e:latest, a__b/c-d.e:latest",
  })
  void normalisesLikeDocker(String text, String full, String familiar) throws ImageException {
    ImageReference r = ImageReference.parse(text);
    assertThat(r.toString()).isEqualTo(full);
    assertThat(r.familiar()).isEqualTo(familiar);
  }

  @Test
  void digestReferenceHasNoDefaultTag() throws ImageException {
    ImageReference r = ImageReference.parse("127.0.0.1:5000/busybox@" + DIGEST);
    assertThat(r.tag()).isNull();
    assertThat(r.digest()).isEqualTo(DIGEST);
    assertThat(r.name()).isEqualTo("127.0.0.1:5000/busybox");
    assertThat(r.isLoopbackRegistry()).isTrue();
    ImageReference both = ImageReference.parse("busybox:1.36@" + DIGEST);
    assertThat(both.tag()).isEqualTo("1.36");
    assertThat(both.toString()).isEqualTo("docker.io/library/busybox:1.36@" + DIGEST);
  }

  @Test
  void onlyLoopbackRegistriesAreLoopback() throws ImageException {
    assertThat(ImageReference.parse("localhost:5000/a").isLoopbackRegistry()).isTrue();
    assertThat(ImageReference.parse("busybox").isLoopbackRegistry()).isFalse();
    assertThat(ImageReference.parse("10.0.0.1:5000/a").isLoopbackRegistry()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Busybox",
        "busybox:",
        "busybox:-tag",
        "busybox@sha256:abc",
        "busybox@md5:0123",
        "a//b",
        "/busybox",
        "busy box",
        "docker.io/Library/busybox",
        ":latest",
        "-host.com/x"
      })
  void rejectsBadReferences(String text) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ImageException.Kind.INVALID_REFERENCE);
              assertThat(e.getMessage()).startsWith("invalid reference format").contains(text);
            });
  }

  @Test
  void uppercaseRepositoryIsNamed() {
    assertThatThrownBy(() -> ImageReference.parse("Busybox"))
        .hasMessageContaining("repository name (library/Busybox) must be lowercase");
  }

  @Test
  void tooLongNameIsRejected() {
    assertThatThrownBy(() -> ImageReference.parse("a".repeat(250) + "/b".repeat(5)))
        .hasMessageContaining("must not be more than 255 characters");
  }

  @Test
  void idsLookLikeIds() {
    assertThat(ImageReference.looksLikeId("0123456789ab")).isTrue();
    assertThat(ImageReference.looksLikeId(DIGEST)).isTrue();
    assertThat(ImageReference.looksLikeId("busybox")).isFalse();
    assertThat(ImageReference.looksLikeId("0123")).isFalse();
  }
}
