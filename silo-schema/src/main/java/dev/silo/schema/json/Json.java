package dev.silo.schema.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small JSON reader and writer for the documents on runhcs's start-up path (config.json,
 * process.json, state.json), where a reflection-driven library would cost more than the whole
 * start-up budget.
 *
 * <p>Values map to plain Java types: objects to {@link LinkedHashMap} (key order kept), arrays to
 * {@link ArrayList}, strings, {@link Long} (or {@link BigInteger} past the long range, or {@link
 * Double} for fractions), {@link Boolean} and {@code null}.
 */
public final class Json {
  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value; anything but white space after it is an error. */
  public static @Nullable Object parse(String text) throws JsonException {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.readValue(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "' after the document");
    }
    return value;
  }

  /** Parses a document whose top level must be an object; {@code what} names it in errors. */
  public static JsonObject parseObject(String text, String what) throws JsonException {
    Object value;
    try {
      value = parse(text);
    } catch (JsonException e) {
      throw new JsonException(what + ": " + e.getMessage());
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new JsonException(what + ": expected a JSON object at the top level");
    }
    return JsonObject.wrap(value, "");
  }

  private @Nullable Object readValue(int depth) throws JsonException {
    if (depth > 512) {
      throw error("nesting too deep");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> readObject(depth);
      case '[' -> readArray(depth);
      case '"' -> readString();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield readNumber();
        }
        throw error("unexpected '" + c + "'");
      }
    };
  }

  private Map<String, @Nullable Object> readObject(int depth) throws JsonException {
    pos++;
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      String key = readString();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      map.put(key, readValue(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<@Nullable Object> readArray(int depth) throws JsonException {
    pos++;
    List<@Nullable Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(readValue(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String readString() throws JsonException {
    pos++;
    StringBuilder sb = null;
    int start = pos;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(text, start, pos);
        pos++;
        sb.append(readEscape());
        start = pos;
      } else {
        pos++;
      }
    }
  }

  private char readEscape() throws JsonException {
    char e = peek();
    pos++;
    return switch (e) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '/' -> '/';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> {
        if (pos + 4 > text.length()) {
          throw error("truncated \\u escape");
        }
        try {
          char ch = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
          pos += 4;
          yield ch;
        } catch (NumberFormatException ex) {
          throw error("bad \\u escape");
        }
      }
      default -> {
        pos--;
        throw error("bad escape '\\" + e + "'");
      }
    };
  }

  private Object readNumber() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    boolean fraction = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c >= '0' && c <= '9') {
        pos++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        fraction = true;
        pos++;
      } else {
        break;
      }
    }
    String num = text.substring(start, pos);
    try {
      if (fraction) {
        return Double.parseDouble(num);
      }
      if (num.length() < 19) {
        return Long.parseLong(num);
      }
      BigInteger big = new BigInteger(num);
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    } catch (NumberFormatException e) {
      pos = start;
      throw error("bad number '" + num + "'");
    }
  }

  private @Nullable Object literal(String word, @Nullable Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected '" + text.charAt(pos) + "'");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String what) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new JsonException("invalid JSON at line " + line + " column " + col + ": " + what);
  }

  /** Writes a value as compact JSON. */
  public static String write(@Nullable Object value) {
    return JsonWriter.write(value, JsonWriter.COMPACT);
  }

  /** Writes a value with {@code indent} spaces per level, one member or element per line. */
  public static String writePretty(@Nullable Object value, int indent) {
    return JsonWriter.write(value, new JsonWriter.Style(" ".repeat(Math.max(0, indent)), false));
  }

  /**
   * Writes a value byte-for-byte as Go's {@code json.MarshalIndent(v, "", "\t")} does, so that
   * {@code runhcs spec} output diffs cleanly against {@code runc spec}: tab indentation and Go's
   * string escaping ({@code <>&}, U+2028/9 and control characters as unicode escapes, a lone
   * surrogate as U+FFFD).
   */
  public static String writeGoIndented(@Nullable Object value) {
    return JsonWriter.write(value, JsonWriter.GO_INDENTED);
  }
}
