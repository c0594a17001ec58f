package dev.silo.runhcs;

import java.io.PrintStream;
import java.util.List;

/** runc-shaped help pages ({@code NAME:}, {@code USAGE:}, …). */
final class Help {
  private Help() {}

  static void printMain(PrintStream out, List<Verb> verbs, List<Flag> globalFlags) {
    out.println("NAME:");
    out.println("   runhcs - Open Container Initiative runtime (Silo, runc-compatible)");
    out.println();
    out.println("USAGE:");
    out.println("   runhcs [global options] command [command options] [arguments...]");
    out.println();
    out.println("VERSION:");
    out.println("   " + Main.VERSION);
    out.println();
    out.println("COMMANDS:");
    for (Verb v : verbs) {
      out.printf("   %-12s %s%n", v.name(), v.summary());
    }
    out.println();
    out.println("GLOBAL OPTIONS:");
    for (Flag f : globalFlags) {
      out.println(f.usageLine());
    }
    out.println();
    out.println("EXAMPLE:");
    out.println("   runhcs spec && runhcs run -d mycontainer && runhcs state mycontainer");
  }

  static void printVerb(PrintStream out, Verb v) {
    out.println("NAME:");
    out.println("   runhcs " + v.name() + " - " + v.summary());
    out.println();
    out.println("USAGE:");
    out.println("   runhcs " + v.name() + " [command options] " + v.argsUsage());
    out.println();
    out.println("DESCRIPTION:");
    for (String line : v.description().split("\n")) {
      out.println("   " + line);
    }
    if (!v.flags().isEmpty()) {
      out.println();
      out.println("OPTIONS:");
      for (Flag f : v.flags()) {
        out.println(f.usageLine());
      }
    }
  }
}
