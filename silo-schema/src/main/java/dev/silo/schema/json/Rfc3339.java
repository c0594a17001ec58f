package dev.silo.schema.json;

import java.time.Instant;

/**
 * RFC 3339 UTC timestamps as {@link Instant#toString()} writes them, without java.time.format: the
 * CLI's hot verbs stamp state and log lines, and DateTimeFormatter costs ~25 classes at every
 * start-up once it is in the AOT cache.
 */
public final class Rfc3339 {
  private Rfc3339() {}

  /** The current time, e.g. {@code 2026-11-23T15:28:14.123456789Z}. */
  public static String now() {
    return format(Instant.now());
  }

  /** Same text as {@code t.toString()} for years 0000–9999. */
  public static String format(Instant t) {
    long secs = t.getEpochSecond();
    long days = Math.floorDiv(secs, 86_400L);
    int secOfDay = (int) Math.floorMod(secs, 86_400L);
    StringBuilder sb = new StringBuilder(30);
    appendDate(sb, days);
    sb.append('T');
    pad(sb, secOfDay / 3600, 2).append(':');
    pad(sb, secOfDay / 60 % 60, 2).append(':');
    pad(sb, secOfDay % 60, 2);
    int nano = t.getNano();
    // ISO_INSTANT prints the fraction in groups of three digits, and none for a whole second.
    if (nano != 0) {
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        pad(sb, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        pad(sb, nano / 1000, 6);
      } else {
        pad(sb, nano, 9);
      }
    }
    return sb.append('Z').toString();
  }

  /** Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted). */
  private static void appendDate(StringBuilder sb, long epochDays) {
    long z = epochDays + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    pad(sb, (int) year, 4).append('-');
    pad(sb, (int) month, 2).append('-');
    pad(sb, (int) day, 2);
  }

  private static StringBuilder pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
