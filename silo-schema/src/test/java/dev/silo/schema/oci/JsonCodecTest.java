package dev.silo.schema.oci;

import static dev.silo.schema.oci.TestSupport.nn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The codec under the OCI records: Silo's own JSON reader/writer and the typed JsonObject. */
class JsonCodecTest {

  @Test
  void readsEveryEscape() throws Exception {
    Object v = Json.parse("\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\\u00e9\\ud83d\\ude00\"");

    assertThat(v).isEqualTo("q\"b\\s/n\nt\tr\rb\bf\fé\uD83D\uDE00");
  }

  @Test
  void writesEscapesAndKeepsUnicode() {
    String s = "q\"b\\n\nt\tc\u0001é☃\uD83D\uDE00";

    String written = Json.write(s);

    assertThat(written).isEqualTo("\"q\\\"b\\\\n\\nt\\tc\\u0001é☃\uD83D\uDE00\"");
  }

  @Test
  void unicodeRoundTrips() throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("ключ", List.of("値", "\uD83D\uDE00", "\u2028", ""));

    assertThat(Json.parse(Json.write(doc))).isEqualTo(doc);
    assertThat(Json.parse(Json.writePretty(doc, 2))).isEqualTo(doc);
  }

  @Test
  void numbersKeepTheirRange() throws Exception {
    List<?> values =
        (List<?>)
            nn(
                Json.parse(
                    "[9223372036854775807, -9223372036854775808, 9223372036854775808, 1.5, 1e3, -0,"
                        + " 0]"));

    assertThat(values)
        .isEqualTo(
            List.of(
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                new BigInteger("9223372036854775808"),
                1.5,
                1000.0,
                0L,
                0L));
  }

  @Test
  void bigUnsignedNumbers() throws Exception {
    JsonObject o =
        Json.parseObject(
            "{\"max\": 18446744073709551615, \"over\": 18446744073709551616, \"neg\":"
                + " -18446744073709551615}",
            "doc");

    assertThat(o.optUnsigned("max")).isEqualTo(-1L);
    assertThat(Long.toUnsignedString(nn(o.optUnsigned("max")))).isEqualTo("18446744073709551615");
    assertThatThrownBy(() -> o.optLong("max"))
        .hasMessage("max: 18446744073709551615 is out of range");
    assertThatThrownBy(() -> o.optUnsigned("over"))
        .hasMessage("over: 18446744073709551616 is out of range");
    assertThatThrownBy(() -> o.optUnsigned("neg"))
        .hasMessage("neg: -18446744073709551615 is out of range");
    assertThat(Json.write(o))
        .isEqualTo(
            "{\"max\":18446744073709551615,\"over\":18446744073709551616,"
                + "\"neg\":-18446744073709551615}");
  }

  @Test
  void nestedPathsInErrors() throws Exception {
    JsonObject o = Json.parseObject("{\"a\": {\"b\": [{\"c\": \"x\"}, {\"c\": 2}]}}", "doc");

    List<JsonObject> items = o.object("a").objects("b");

    assertThat(items.get(1).optLong("c")).isEqualTo(2L);
    assertThat(items.get(1).path()).isEqualTo("a.b[1]");
    assertThatThrownBy(() -> items.get(0).optLong("c"))
        .isInstanceOf(JsonException.class)
        .hasMessage("a.b[0].c: expected an integer, got a string");
    assertThatThrownBy(() -> o.object("a").strings("b"))
        .hasMessage("a.b[0]: expected a string, got an object");
    assertThatThrownBy(() -> o.object("z")).hasMessage("z: required field is missing");
  }

  @Test
  void typedAccessors() throws Exception {
    JsonObject o =
        Json.parseObject(
            "{\"s\": \"v\", \"n\": null, \"t\": true, \"l\": [], \"m\": {\"k\": \"v\"}, \"f\":"
                + " 2.5}",
            "doc");

    assertThat(o.has("s")).isTrue();
    assertThat(o.has("n")).isFalse();
    assertThat(o.optString("n")).isNull();
    assertThat(o.string("missing", "fallback")).isEqualTo("fallback");
    assertThat(o.bool("t", false)).isTrue();
    assertThat(o.hasList("l")).isTrue();
    assertThat(o.hasList("missing")).isFalse();
    assertThat(o.stringMap("m")).containsExactly(Map.entry("k", "v"));
    assertThat(o.strings("missing")).isEmpty();
    assertThatThrownBy(() -> o.bool("s", false)).hasMessage("s: expected a boolean, got a string");
    assertThatThrownBy(() -> o.optLong("f")).hasMessage("f: expected an integer, got a number");
    assertThatThrownBy(() -> o.optObject("l")).hasMessage("l: expected an object, got an array");
    assertThat(o.optInt("absent")).isNull();
  }

  @Test
  void intRangeIsChecked() throws Exception {
    JsonObject o = Json.parseObject("{\"i\": 2147483648}", "doc");

    assertThatThrownBy(() -> o.optInt("i")).hasMessage("i: 2147483648 is out of range");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"a\": \"x| invalid JSON at line 1 column 9: unterminated string",
        "{} x| invalid JSON at line 1 column 4: unexpected 'x' after the document",
        "[\"\\q\"]| invalid JSON at line 1 column 4: bad escape '\\q'",
        "[tru]| invalid JSON at line 1 column 2: unexpected 't'",
        "[-]| invalid JSON at line 1 column 2: bad number '-'",
        "{\"a\" 1}| invalid JSON at line 1 column 6: expected ':'",
        "{1: 2}| invalid JSON at line 1 column 2: expected a string key",
        "[1 2]| invalid JSON at line 1 column 4: expected ',' or ']'",
        "[\"\\u12\"]| invalid JSON at line 1 column 5: bad \\u escape",
        "``| invalid JSON at line 1 column 1: unexpected end of input",
      })
  void malformedTextNamesLineAndColumn(String text, String message) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(JsonException.class)
        .hasMessage(message);
  }

  @Test
  void positionsCountLines() {
    assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"b\": \u0001\n}"))
        .hasMessage("invalid JSON at line 3 column 8: unexpected '\u0001'");
    assertThatThrownBy(() -> Json.parse("[\"a\nb\"]"))
        .hasMessage("invalid JSON at line 1 column 4: control character in string");
  }

  @Test
  void nestingIsBounded() throws Exception {
    String ok = "[".repeat(500) + "]".repeat(500);
    String deep = "[".repeat(600) + "]".repeat(600);

    assertThat(Json.parse(ok)).isInstanceOf(List.class);
    assertThatThrownBy(() -> Json.parse(deep))
        .hasMessage("invalid JSON at line 1 column 514: nesting too deep");
  }

  @Test
  void prettyWriterIndentsLikeGo() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("a", List.of(1L, Map.of()));
    doc.put("b", List.of());

    assertThat(Json.writePretty(doc, 2))
        .isEqualTo("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}");
    assertThat(Json.write(doc)).isEqualTo("{\"a\":[1,{}],\"b\":[]}");
  }
}
