package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.images.internal.LayerUnpacker;
import dev.silo.images.internal.LayerUnpacker.Whiteout;
import org.junit.jupiter.api.Test;

/** The name mapping of layer whiteouts; the kernel side is in {@code LayerUnpackIT}. */
class WhiteoutTest {
  @Test
  void classifiesAufsWhiteouts() {
    assertThat(LayerUnpacker.classify("etc/.wh.passwd"))
        .isEqualTo(new Whiteout.Remove("etc/passwd"));
    assertThat(LayerUnpacker.classify(".wh.tmp")).isEqualTo(new Whiteout.Remove("tmp"));
    assertThat(LayerUnpacker.classify("var/cache/.wh..wh..opq"))
        .isEqualTo(new Whiteout.Opaque("var/cache"));
    assertThat(LayerUnpacker.classify(".wh..wh..opq")).isEqualTo(new Whiteout.Opaque(""));
    assertThat(LayerUnpacker.classify("etc/passwd")).isEqualTo(new Whiteout.None());
    assertThat(LayerUnpacker.classify("etc/.wh.")).isEqualTo(new Whiteout.None());
    assertThat(LayerUnpacker.classify("etc/x.wh.y")).isEqualTo(new Whiteout.None());
  }

  @Test
  void normalisesEntryNames() throws ImageException {
    assertThat(LayerUnpacker.normalise("./etc/passwd", "l")).isEqualTo("etc/passwd");
    assertThat(LayerUnpacker.normalise("/bin/", "l")).isEqualTo("bin");
    assertThat(LayerUnpacker.normalise("./", "l")).isEmpty();
    assertThat(LayerUnpacker.normalise("a//./b", "l")).isEqualTo("a/b");
  }

  @Test
  void refusesToClimbOut() {
    assertThatThrownBy(() -> LayerUnpacker.normalise("../../etc/shadow", "layer sha256:1"))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.BAD_ARCHIVE))
        .hasMessageContaining("layer sha256:1")
        .hasMessageContaining("../../etc/shadow");
  }
}
