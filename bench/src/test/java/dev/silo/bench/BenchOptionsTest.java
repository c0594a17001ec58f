package dev.silo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  private static final String[] BASE = {"--work", "/tmp/w", "--bundle", "/tmp/b"};

  private static String[] with(String... more) {
    String[] all = new String[BASE.length + more.length];
    System.arraycopy(BASE, 0, all, 0, BASE.length);
    System.arraycopy(more, 0, all, BASE.length, more.length);
    return all;
  }

  @Test
  void runtimesKeepTheirOrderAndDefaultsApply() {
    BenchOptions o =
        BenchOptions.parse(
            with("crun=/usr/bin/crun", "runc=/usr/sbin/runc", "runhcs=/w/dist/bin/runhcs"));
    assertThat(o.runtimes())
        .extracting(RuntimeSpec::name)
        .containsExactly("crun", "runc", "runhcs");
    assertThat(o.runtimes().get(2).path()).isEqualTo(Path.of("/w/dist/bin/runhcs"));
    assertThat(o.runs()).isEqualTo(30);
    assertThat(o.warmup()).isEqualTo(3);
    assertThat(o.hideCgroup2()).isNull();
    assertThat(o.out()).isNull();
  }

  @Test
  void referenceIsRuncWhereverItStandsElseTheFirst() {
    assertThat(
            BenchOptions.parse(with("crun=/usr/bin/crun", "runc=/usr/sbin/runc"))
                .reference()
                .name())
        .isEqualTo("runc");
    assertThat(BenchOptions.parse(with("crun=/usr/bin/crun", "x=/bin/x")).reference().name())
        .isEqualTo("crun");
  }

  @Test
  void optionsAreParsed() {
    BenchOptions o =
        BenchOptions.parse(
            with(
                "--runs",
                "20",
                "--warmup",
                "0",
                "--out",
                "/tmp/r.json",
                "--id-prefix",
                "p1",
                "--hide-cgroup2",
                "a,b",
                "a=/bin/a"));
    assertThat(o.runs()).isEqualTo(20);
    assertThat(o.warmup()).isZero();
    assertThat(o.out()).isEqualTo(Path.of("/tmp/r.json"));
    assertThat(o.idPrefix()).isEqualTo("p1");
    assertThat(o.hideCgroup2()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void badArgumentsAreRejectedWithAReason() {
    assertThatThrownBy(() -> BenchOptions.parse(with())).hasMessageContaining("no runtime");
    assertThatThrownBy(() -> BenchOptions.parse(with("runc=relative/runc")))
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> BenchOptions.parse(with("runc")))
        .hasMessageContaining("name=/abs/path");
    assertThatThrownBy(() -> BenchOptions.parse(with("Bad Name=/bin/x")))
        .hasMessageContaining("name must match");
    assertThatThrownBy(() -> BenchOptions.parse(with("a=/bin/a", "a=/bin/b")))
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> BenchOptions.parse(with("--runs", "0", "a=/bin/a")))
        .hasMessageContaining("--runs");
    assertThatThrownBy(() -> BenchOptions.parse(with("--frobnicate", "a=/bin/a")))
        .hasMessageContaining("unknown option");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"a=/bin/a"}))
        .hasMessageContaining("required");
    assertThatThrownBy(() -> BenchOptions.parse(with("--runs")))
        .hasMessageContaining("needs a value");
  }

  @Test
  void crunIsHiddenFromCgroup2OnlyOnHybridHostsUnlessToldOtherwise() {
    BenchOptions auto = BenchOptions.parse(with("runc=/usr/sbin/runc", "c2=/opt/crun"));
    assertThat(RuntimeBench.hidesCgroup2(auto, auto.runtimes().get(1), true)).isTrue();
    assertThat(RuntimeBench.hidesCgroup2(auto, auto.runtimes().get(1), false)).isFalse();
    assertThat(RuntimeBench.hidesCgroup2(auto, auto.runtimes().get(0), true)).isFalse();
    BenchOptions told =
        BenchOptions.parse(
            with("--hide-cgroup2", "runc", "runc=/usr/sbin/runc", "crun=/usr/bin/crun"));
    assertThat(RuntimeBench.hidesCgroup2(told, told.runtimes().get(0), false)).isTrue();
    assertThat(RuntimeBench.hidesCgroup2(told, told.runtimes().get(1), true)).isFalse();
  }
}
