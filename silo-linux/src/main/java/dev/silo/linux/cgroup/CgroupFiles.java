package dev.silo.linux.cgroup;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes cgroupfs files with errors that name the file; optionally journals every write
 * so unit tests on a fake tree can check the exact order of writes (a fake file keeps only the last
 * value, which would hide ordering bugs such as memory vs. memsw).
 */
final class CgroupFiles {
  static final CgroupFiles REAL = new CgroupFiles(null);

  private final @Nullable List<String> journal;

  private CgroupFiles(@Nullable List<String> journal) {
    this.journal = journal;
  }

  static CgroupFiles recording() {
    return new CgroupFiles(new ArrayList<>());
  }

  /** Every write so far as {@code <path>=<value>}; empty unless recording. */
  List<String> journal() {
    return journal == null ? List.of() : List.copyOf(journal);
  }

  /** Writes one value with a single write(2); never creates the file (cgroupfs cannot). */
  void write(String action, Path file, String value) throws CgroupException {
    try {
      Files.writeString(
          file, value, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new CgroupException(action, file, "write " + file + ": " + reason(e), e);
    }
    if (journal != null) {
      journal.add(file + "=" + value);
    }
  }

  /** The whole file, trimmed. */
  String read(String action, Path file) throws CgroupException {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new CgroupException(action, file, "read " + file + ": " + reason(e), e);
    }
  }

  /** The whole file trimmed, or null when it does not exist (optional kernel features). */
  @Nullable String readIfExists(String action, Path file) throws CgroupException {
    try {
      return Files.readString(file).trim();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new CgroupException(action, file, "read " + file + ": " + reason(e), e);
    }
  }

  /** A single number; {@code max} (v2) reads as -1 = unlimited. */
  long readLong(String action, Path file) throws CgroupException {
    return parseLong(action, file, read(action, file));
  }

  /** A single number, or {@code fallback} when the file does not exist. */
  long readLongOr(String action, Path file, long fallback) throws CgroupException {
    String text = readIfExists(action, file);
    return text == null ? fallback : parseLong(action, file, text);
  }

  static long parseLong(String action, Path file, String text) throws CgroupException {
    if (text.equals("max")) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CgroupException(action, file, "parse " + file + ": not a number: " + text, e);
    }
  }

  /** The kernel's strerror text as Java reports it, e.g. {@code Device or resource busy}. */
  /**
   * The whitespace-separated words of a cgroup file's text (never empty: {@code [""]} for a blank
   * one), by hand rather than with a regex, which would load java.util.regex on the CLI path.
   */
  static String[] words(String text) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean blank = i == text.length() || " \t\n\u000B\f\r".indexOf(text.charAt(i)) >= 0;
      if (blank && start >= 0) {
        out.add(text.substring(start, i));
        start = -1;
      } else if (!blank && start < 0) {
        start = i;
      }
    }
    return out.isEmpty() ? new String[] {""} : out.toArray(new String[0]);
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof java.nio.file.DirectoryNotEmptyException) {
      return "Directory not empty";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
