package dev.silo.runhcs;

import java.util.List;

/**
 * One command-line flag in runc's (urfave/cli and Go flag) style: {@code --name value}, {@code
 * --name=value}, {@code -name value}, short aliases like {@code -b}.
 */
record Flag(List<String> names, boolean takesValue, String valueName, String help) {

  static Flag bool(String help, String... names) {
    return new Flag(List.of(names), false, "", help);
  }

  static Flag value(String valueName, String help, String... names) {
    return new Flag(List.of(names), true, valueName, help);
  }

  /** The canonical (first, long) name, the key values are stored under. */
  String key() {
    return names.getFirst();
  }

  String usageLine() {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      sb.append(n.length() == 1 ? "-" : "--").append(n);
    }
    if (takesValue) {
      sb.append(' ').append(valueName);
    }
    return String.format("   %-32s %s", sb, help);
  }
}
