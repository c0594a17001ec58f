package dev.silo.hcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads a json-file log and its rotated predecessors ({@code file.N} … {@code file.1}, then {@code
 * file}) as {@code docker logs} does: {@code --since}/{@code --until}, {@code --tail}, and {@code
 * --follow} across rotations (the live file is polled; a new inode under its name is a rotation).
 */
public final class LogFollower {
  /** How often a follower looks for new lines once it has read everything. */
  static final Duration POLL = Duration.ofMillis(50);

  private final Path file;

  public LogFollower(Path file) {
    this.file = file;
  }

  /**
   * What to read.
   *
   * @param since only entries at or after this time (null: from the start)
   * @param until only entries before this time (null: no end)
   * @param tail only the last N matching entries already written; -1 for all
   */
  public record Query(
      @Nullable Instant since, @Nullable Instant until, int tail, boolean stdout, boolean stderr) {
    public static final Query ALL = new Query(null, null, -1, true, true);

    public Query {
      if (tail < -1) {
        throw new IllegalArgumentException("tail: must be -1 (all) or a count, got " + tail);
      }
    }

    boolean matches(LogEntry e) {
      return (e.isStderr() ? stderr : stdout)
          && (since == null || !e.time().isBefore(since))
          && (until == null || e.time().isBefore(until));
    }
  }

  /** The files in reading order: the oldest rotated one first, the live one last (if present). */
  public List<Path> files() {
    List<Path> out = new ArrayList<>();
    for (int k = 1; Files.exists(rotated(k)); k++) {
      out.addFirst(rotated(k));
    }
    if (Files.exists(file)) {
      out.add(file);
    }
    return out;
  }

  private Path rotated(int k) {
    return file.resolveSibling(file.getFileName() + "." + k);
  }

  /** The matching entries written so far. */
  public List<LogEntry> read(Query q) throws IOException {
    List<LogEntry> out = new ArrayList<>();
    follow(q, out::add, () -> true);
    return out;
  }

  /**
   * Delivers the matching entries written so far, then, until {@code stop} says so, the new ones as
   * they come, following the live file across rotations. Checks {@code stop} only once it has read
   * everything, so a writer that is done before {@code stop} turns true is read to its end.
   */
  public void follow(Query q, Consumer<LogEntry> sink, BooleanSupplier stop) throws IOException {
    Reader live = Reader.open(file);
    Object liveKey = live == null ? null : live.key;
    Deque<LogEntry> backlog = new ArrayDeque<>();
    Consumer<LogEntry> first =
        q.tail() < 0
            ? sink
            : e -> {
              backlog.addLast(e);
              if (backlog.size() > q.tail()) {
                backlog.removeFirst();
              }
            };
    List<Path> rotatedFiles = files();
    if (!rotatedFiles.isEmpty() && rotatedFiles.getLast().equals(file)) {
      rotatedFiles.removeLast();
    }
    for (Path p : rotatedFiles) {
      Reader r = Reader.open(p);
      if (r != null) {
        try (r) {
          // rotated since the live file was opened: the same inode is read below
          if (!Objects.equals(r.key, liveKey)) {
            r.drain(q, first);
          }
        }
      }
    }
    try {
      if (live != null) {
        live.drain(q, first);
      }
      backlog.forEach(sink);
      while (!stop.getAsBoolean()) {
        Reader now = Reader.open(file);
        if (now != null && (live == null || !now.key.equals(live.key))) {
          if (live != null) {
            live.drain(q, sink); // the rest of the file that was rotated away
            live.close();
          }
          live = now;
        } else if (now != null) {
          now.close();
        }
        if (live == null || !live.drain(q, sink)) {
          LockSupport.parkNanos(POLL.toNanos());
        }
      }
      if (live != null) {
        live.drain(q, sink);
      }
    } finally {
      if (live != null) {
        live.close();
      }
    }
  }

  /** An open log file with the undelivered tail of a line. */
  private static final class Reader implements AutoCloseable {
    private final FileChannel ch;
    private final Object key;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

    private Reader(FileChannel ch, Object key) {
      this.ch = ch;
      this.key = key;
    }

    static @Nullable Reader open(Path p) throws IOException {
      FileChannel ch;
      try {
        ch = FileChannel.open(p, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return null;
      }
      Object key =
          Files.readAttributes(p, BasicFileAttributes.class).fileKey(); // (dev, inode) on Linux
      return new Reader(ch, key == null ? p : key);
    }

    /** Delivers every complete line now in the file; whether there was any new byte. */
    boolean drain(Query q, Consumer<LogEntry> sink) throws IOException {
      boolean any = false;
      while (true) {
        buf.clear();
        int n = ch.read(buf);
        if (n <= 0) {
          return any;
        }
        any = true;
        byte[] a = buf.array();
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (a[i] == '\n') {
            partial.write(a, start, i - start);
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            start = i + 1;
            if (!line.isBlank()) {
              LogEntry e = LogEntry.parse(line);
              if (q.matches(e)) {
                sink.accept(e);
              }
            }
          }
        }
        partial.write(a, start, n - start);
      }
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
