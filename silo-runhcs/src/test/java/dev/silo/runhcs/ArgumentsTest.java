package dev.silo.runhcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * runc-style flag parsing: the flag forms of urfave/cli and Go's flag package, and where flags
 * stop.
 */
class ArgumentsTest {
  static final List<Flag> FLAGS =
      List.of(
          Flag.value("DIR", "bundle", "bundle", "b"),
          Flag.value("K=V", "env", "env", "e"),
          Flag.bool("detach", "detach", "d"),
          Flag.value("N", "pids", "pids-limit"));

  static Arguments parse(String... args) throws UsageException {
    return Arguments.parse(FLAGS, List.of(args), false);
  }

  @Test
  void longFlagWithSeparateValue() throws UsageException {
    Arguments a = parse("--bundle", "/b", "c1");

    assertThat(a.value("bundle")).isEqualTo("/b");
    assertThat(a.positionals()).containsExactly("c1");
  }

  @Test
  void longFlagWithEqualsValueKeepsFurtherEquals() throws UsageException {
    assertThat(parse("--env=A=1=2").value("env")).isEqualTo("A=1=2");
    assertThat(parse("--bundle=").value("bundle")).isEmpty();
  }

  @Test
  void singleDashLongFlagAsGoAccepts() throws UsageException {
    assertThat(parse("-bundle", "/b").value("bundle")).isEqualTo("/b");
    assertThat(parse("-bundle=/c").value("bundle")).isEqualTo("/c");
  }

  @Test
  void shortAliasStoresUnderTheLongName() throws UsageException {
    Arguments a = parse("-b", "/b", "-d", "c1");

    assertThat(a.value("bundle")).isEqualTo("/b");
    assertThat(a.bool("detach")).isTrue();
    assertThat(a.has("b")).isFalse();
  }

  @Test
  void boolFlagsTakeNoValueButAcceptAnExplicitOne() throws UsageException {
    assertThat(parse("--detach", "c1").bool("detach")).isTrue();
    assertThat(parse("--detach", "c1").positionals()).containsExactly("c1");
    assertThat(parse("--detach=false").bool("detach")).isFalse();
    assertThat(parse("--detach=false").has("detach")).isTrue();
    assertThat(parse("c1").bool("detach")).isFalse();
    assertThatThrownBy(() -> parse("--detach=yes"))
        .isInstanceOf(UsageException.class)
        .hasMessage("invalid boolean value \"yes\" for -detach");
  }

  @Test
  void repeatedFlagsKeepEveryValueAndTheLastWins() throws UsageException {
    Arguments a = parse("-e", "A=1", "--env", "B=2", "--bundle", "x", "--bundle", "y");

    assertThat(a.all("env")).containsExactly("A=1", "B=2");
    assertThat(a.value("bundle")).isEqualTo("y");
    assertThat(a.all("detach")).isEmpty();
    assertThat(a.value("pids-limit", "fallback")).isEqualTo("fallback");
  }

  @Test
  void doubleDashEndsFlags() throws UsageException {
    Arguments a = parse("--detach", "--", "--bundle", "-d");

    assertThat(a.bool("detach")).isTrue();
    assertThat(a.has("bundle")).isFalse();
    assertThat(a.positionals()).containsExactly("--bundle", "-d");
  }

  @Test
  void aLoneDashIsAPositional() throws UsageException {
    assertThat(parse("-").positionals()).containsExactly("-");
  }

  @Test
  void unknownFlagIsGosErrorText() {
    assertThatThrownBy(() -> parse("--nope", "c1"))
        .isInstanceOf(UsageException.class)
        .hasMessage("flag provided but not defined: -nope");
    assertThatThrownBy(() -> parse("-x=1"))
        .isInstanceOf(UsageException.class)
        .hasMessage("flag provided but not defined: -x");
  }

  @Test
  void aValueFlagAtTheEndIsMissingItsArgument() {
    assertThatThrownBy(() -> parse("--bundle"))
        .isInstanceOf(UsageException.class)
        .hasMessage("flag needs an argument: -bundle");
  }

  @Test
  void withoutInterspersingTheFirstPositionalEndsFlags() throws UsageException {
    Arguments a = parse("c1", "--pids-limit", "42");

    assertThat(a.has("pids-limit")).isFalse();
    assertThat(a.positionals()).containsExactly("c1", "--pids-limit", "42");
  }

  @Test
  void interspersedFlagsMayFollowPositionals() throws UsageException {
    Arguments a = Arguments.parse(FLAGS, List.of("c1", "--pids-limit", "42", "x"), true);

    assertThat(a.value("pids-limit")).isEqualTo("42");
    assertThat(a.positionals()).containsExactly("c1", "x");
  }

  @Test
  void execKeepsTheProcessFlagsAfterTheCommand() throws UsageException {
    Arguments a =
        Arguments.parse(
            new ExecVerb().flags(), List.of("-d", "c1", "sh", "-c", "x", "--tty"), false);

    assertThat(a.bool("detach")).isTrue();
    assertThat(a.has("cap")).as("-c is exec's --cap alias, but it belongs to sh here").isFalse();
    assertThat(a.bool("tty")).isFalse();
    assertThat(a.positionals()).containsExactly("c1", "sh", "-c", "x", "--tty");
  }

  @Test
  void requireOneAndRequireFirstCountPositionals() throws UsageException {
    assertThat(parse("c1").requireOne("state", "container id")).isEqualTo("c1");
    assertThatThrownBy(() -> parse().requireOne("state", "container id"))
        .isInstanceOf(UsageException.class)
        .hasMessage("\"state\" requires exactly 1 argument (container id), got 0");
    assertThatThrownBy(() -> parse("a", "b").requireOne("state", "container id"))
        .hasMessage("\"state\" requires exactly 1 argument (container id), got 2");
    assertThat(parse("c1", "sh").requireFirst("exec", "container id")).isEqualTo("c1");
    assertThatThrownBy(() -> parse().requireFirst("exec", "container id"))
        .isInstanceOf(UsageException.class)
        .hasMessage("\"exec\" requires a minimum of 1 argument (container id)");
  }

  @Test
  void usageLinesShowShortAndLongNames() {
    assertThat(FLAGS.getFirst().usageLine()).startsWith("   --bundle, -b DIR").endsWith(" bundle");
    assertThat(FLAGS.get(2).usageLine()).startsWith("   --detach, -d ");
  }
}
