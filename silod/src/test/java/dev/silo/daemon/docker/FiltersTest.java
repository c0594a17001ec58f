package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {
  @Test
  void bothWireFormsParse() throws Exception {
    Filters a = Filters.parse("{\"name\":{\"n1\":true}}", Set.of("name"));
    Filters b = Filters.parse("{\"name\":[\"n1\"]}", Set.of("name"));
    assertThat(a.get("name")).containsExactly("n1");
    assertThat(b.get("name")).containsExactly("n1");
    assertThat(a.contains("name", "xn1y")).isTrue();
    assertThat(a.contains("name", "n2")).isFalse();
  }

  @Test
  void unknownKeysAreRejectedAsDockerdDoes() {
    assertThatThrownBy(() -> Filters.parse("{\"colour\":[\"red\"]}", Set.of("name")))
        .hasMessage("invalid filter 'colour'");
  }

  @Test
  void labelsMatchByKeyOrKeyAndValue() throws Exception {
    Filters f = Filters.parse("{\"label\":[\"a\",\"b=2\"]}", Set.of("label"));
    assertThat(f.labels("label", Map.of("a", "1", "b", "2"))).isTrue();
    assertThat(f.labels("label", Map.of("a", "1", "b", "3"))).isFalse();
  }

  @Test
  void eventTimestampsParseAsTheCliSendsThem() throws Exception {
    assertThat(SystemApi.timestamp("1700000000.5", "since")).isEqualTo(1_700_000_000_500_000_000L);
    assertThat(SystemApi.timestamp("1700000000", "since")).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(SystemApi.timestamp("2023-11-14T22:13:20Z", "since"))
        .isEqualTo(1_700_000_000_000_000_000L);
    assertThatThrownBy(() -> SystemApi.timestamp("yesterday", "since"))
        .hasMessage("failed to parse value yesterday as a since timestamp");
  }

  @Test
  void notLabelsRejectsAnyKeyOrKeyAndValue() throws Exception {
    Filters f = Filters.parse("{\"label!\":[\"a\",\"b=2\"]}", Set.of("label!"));
    assertThat(f.notLabels("label!", Map.of("c", "1", "b", "3"))).isTrue();
    assertThat(f.notLabels("label!", Map.of("a", "1"))).isFalse();
    assertThat(f.notLabels("label!", Map.of("b", "2"))).isFalse();
    assertThat(Filters.parse("{}", Set.of("label!")).notLabels("label!", Map.of("a", "1")))
        .isTrue();
  }
}
