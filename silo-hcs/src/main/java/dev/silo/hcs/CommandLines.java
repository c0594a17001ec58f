package dev.silo.hcs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code ProcessParameters.CommandLine} into argv the way the Windows C runtime does, kept
 * to its core rules: whitespace separates arguments, double quotes group, {@code \"} is a literal
 * quote, and 2n backslashes before a quote become n. Nothing is expanded: there is no shell.
 */
final class CommandLines {
  private CommandLines() {}

  static List<String> split(String line) {
    List<String> args = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuotes = false;
    boolean inArg = false;
    int i = 0;
    while (i < line.length()) {
      char ch = line.charAt(i);
      if (ch == '\\') {
        int n = 0;
        while (i < line.length() && line.charAt(i) == '\\') {
          n++;
          i++;
        }
        boolean quoteFollows = i < line.length() && line.charAt(i) == '"';
        cur.append("\\".repeat(quoteFollows ? n / 2 : n));
        if (quoteFollows && n % 2 == 1) {
          cur.append('"');
          i++;
        }
        inArg = true;
        continue;
      }
      if (ch == '"') {
        inQuotes = !inQuotes;
        inArg = true;
      } else if (Character.isWhitespace(ch) && !inQuotes) {
        if (inArg) {
          args.add(cur.toString());
          cur.setLength(0);
          inArg = false;
        }
      } else {
        cur.append(ch);
        inArg = true;
      }
      i++;
    }
    if (inArg) {
      args.add(cur.toString());
    }
    return args;
  }
}
