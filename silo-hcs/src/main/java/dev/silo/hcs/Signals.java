package dev.silo.hcs;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Linux signal names and numbers (x86_64), and the HCS console signals they stand for: CtrlC →
 * SIGINT, CtrlBreak → SIGQUIT, CtrlClose/CtrlLogOff/CtrlShutdown → SIGTERM, Terminate → SIGKILL.
 */
public final class Signals {
  private static final Map<String, Integer> BY_NAME = new TreeMap<>();

  static {
    String[] names = {
      "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
      "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
      "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"
    };
    for (int i = 0; i < names.length; i++) {
      BY_NAME.put(names[i], i + 1);
    }
    BY_NAME.put("IOT", 6);
    BY_NAME.put("POLL", 29);
  }

  public static final int SIGINT = 2;
  public static final int SIGQUIT = 3;
  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;

  private Signals() {}

  /** Parses {@code 9}, {@code KILL}, {@code SIGKILL} or {@code sigkill}; empty when unknown. */
  public static OptionalInt parse(String text) {
    String t = text.trim();
    if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
      try {
        int n = Integer.parseInt(t);
        return n >= 0 && n <= 64 ? OptionalInt.of(n) : OptionalInt.empty();
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
    String u = t.toUpperCase(Locale.ROOT);
    if (u.startsWith("SIG")) {
      u = u.substring(3);
    }
    if (u.startsWith("RTMIN+") || u.startsWith("RTMAX-")) {
      try {
        int off = Integer.parseInt(u.substring(6));
        int n = u.startsWith("RTMIN") ? 34 + off : 64 - off;
        return n >= 34 && n <= 64 ? OptionalInt.of(n) : OptionalInt.empty();
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
    Integer n = BY_NAME.get(u);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }

  /**
   * The HCS console signal name for a Linux signal, as hcsshim maps them ({@code
   * internal/signals}).
   */
  public static String hcsName(int signal) {
    return switch (signal) {
      case SIGINT -> "CtrlC";
      case SIGQUIT -> "CtrlBreak";
      case SIGTERM -> "CtrlShutdown";
      case SIGKILL -> "Terminate";
      default -> "Signal" + signal;
    };
  }
}
