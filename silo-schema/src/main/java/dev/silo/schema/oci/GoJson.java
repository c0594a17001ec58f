package dev.silo.schema.oci;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a JSON tree byte-for-byte as Go's {@code json.MarshalIndent(v, "", "\t")} does, so that
 * {@code runhcs spec} output diffs cleanly against {@code runc spec}: tab indentation, and Go's
 * string escaping ({@code <>&} and control characters as six-character unicode escapes, U+2028/9
 * escaped).
 */
final class GoJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoJson() {}

  static String writeIndented(@Nullable Object value) {
    StringBuilder sb = new StringBuilder(4096);
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, @Nullable Object value, int level) {
    switch (value) {
      case null -> sb.append("null");
      case String s -> writeString(sb, s);
      case Boolean b -> sb.append(b.booleanValue());
      case Double d -> sb.append(formatDouble(d));
      case Number n -> sb.append(n.toString());
      case Map<?, ?> m -> writeMap(sb, m, level);
      case List<?> l -> writeList(sb, l, level);
      default ->
          throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void writeMap(StringBuilder sb, Map<?, ?> m, int level) {
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
      newline(sb, level + 1);
      writeString(sb, String.valueOf(e.getKey()));
      sb.append(": ");
      write(sb, e.getValue(), level + 1);
    }
    newline(sb, level);
    sb.append('}');
  }

  private static void writeList(StringBuilder sb, List<?> l, int level) {
    if (l.isEmpty()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      newline(sb, level + 1);
      write(sb, l.get(i), level + 1);
    }
    newline(sb, level);
    sb.append(']');
  }

  private static void newline(StringBuilder sb, int level) {
    sb.append('\n');
    for (int i = 0; i < level; i++) {
      sb.append('\t');
    }
  }

  private static String formatDouble(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(sb, c);
        default -> {
          if (c < 0x20) {
            unicodeEscape(sb, c);
          } else if (Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
            // Go sees a lone surrogate as invalid UTF-8 and writes the replacement character.
            sb.append("\\ufffd");
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
