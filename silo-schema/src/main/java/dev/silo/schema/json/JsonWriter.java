package dev.silo.schema.json;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes JSON trees (maps, lists, strings, numbers, booleans, null) in one of a few styles. */
final class JsonWriter {
  /** No whitespace at all. */
  static final Style COMPACT = new Style(null, false);

  /** Go's {@code json.MarshalIndent(v, "", "\t")}. */
  static final Style GO_INDENTED = new Style("\t", true);

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * How to write.
   *
   * @param indentUnit what one indentation level is; null writes everything on one line
   * @param goEscapes escape {@code <>&} and U+2028/9 and replace lone surrogates, as Go does
   */
  record Style(@Nullable String indentUnit, boolean goEscapes) {}

  private final StringBuilder sb = new StringBuilder(1024);
  private final Style style;

  private JsonWriter(Style style) {
    this.style = style;
  }

  static String write(@Nullable Object value, Style style) {
    JsonWriter w = new JsonWriter(style);
    w.value(value, 0);
    return w.sb.toString();
  }

  private void value(@Nullable Object value, int level) {
    // instanceof, not a pattern switch: its SwitchBootstraps class is spun with the classfile API
    // at
    // run time even with the AOT cache, ~10 ms on every runhcs call (docs/benchmarks.md).
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      string(s);
    } else if (value instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (value instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "null" : formatDouble(d));
    } else if (value instanceof Number n) {
      sb.append(n.toString());
    } else if (value instanceof JsonObject o) {
      map(o.asMap(), level);
    } else if (value instanceof Map<?, ?> m) {
      map(m, level);
    } else if (value instanceof List<?> l) {
      list(l, level);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private void map(Map<?, ?> m, int level) {
    if (m.isEmpty()) {
      sb.append("{}");
      return;
    }
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      newline(level + 1);
      string(String.valueOf(e.getKey()));
      sb.append(style.indentUnit() == null ? ":" : ": ");
      value(e.getValue(), level + 1);
    }
    newline(level);
    sb.append('}');
  }

  private void list(List<?> l, int level) {
    if (l.isEmpty()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      newline(level + 1);
      value(l.get(i), level + 1);
    }
    newline(level);
    sb.append(']');
  }

  private void newline(int level) {
    String unit = style.indentUnit();
    if (unit == null) {
      return;
    }
    sb.append('\n');
    sb.append(unit.repeat(level));
  }

  /** Whole numbers print without a fraction, as Go prints float64 below 1e21. */
  private static String formatDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toPlainString();
    }
    return Double.toString(d);
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> other(s, i, c);
      }
    }
    sb.append('"');
  }

  private void other(String s, int i, char c) {
    if (c < 0x20) {
      unicodeEscape(c);
    } else if (!style.goEscapes()) {
      sb.append(c);
    } else if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
      unicodeEscape(c);
    } else if (Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
      // Go sees a lone surrogate as invalid UTF-8 and writes the replacement character.
      sb.append("\\ufffd");
    } else {
      sb.append(c);
    }
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private void unicodeEscape(char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
