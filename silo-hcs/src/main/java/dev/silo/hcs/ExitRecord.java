package dev.silo.hcs;

import dev.silo.schema.hcs.ExitType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How a system stopped, kept in its state directory so that another process (runhcs, hcsdiag, a
 * restarted daemon) reads the same ExitType: the intent is written before the host stops the
 * system, the outcome when the init is seen gone.
 */
final class ExitRecord {
  static final String INTENT = "hcs-exit-intent";
  static final String OUTCOME = "hcs-exit";
  static final String TERMINATE_ON_CLOSE = "hcs-terminate-on-close";

  private final Path dir;

  ExitRecord(Path dir) {
    this.dir = dir;
  }

  /** Records why the host is about to stop the system; a forced stop overrides a graceful one. */
  void intend(ExitType type) throws IOException {
    write(INTENT, type);
  }

  @Nullable ExitType intent() {
    return read(INTENT);
  }

  /** Records the final ExitType; the first outcome wins. */
  ExitType settle() throws IOException {
    ExitType done = read(OUTCOME);
    if (done != null) {
      return done;
    }
    ExitType type = SystemStates.exitType(intent());
    write(OUTCOME, type);
    return type;
  }

  /** The recorded outcome, or what it will be when nobody has recorded it yet. */
  ExitType outcome() {
    ExitType done = read(OUTCOME);
    return done != null ? done : SystemStates.exitType(intent());
  }

  void setTerminateOnClose(boolean on) throws IOException {
    if (on) {
      Files.writeString(dir.resolve(TERMINATE_ON_CLOSE), "1");
    }
  }

  boolean terminateOnClose() {
    return Files.exists(dir.resolve(TERMINATE_ON_CLOSE));
  }

  private void write(String name, ExitType type) throws IOException {
    if (!Files.isDirectory(dir)) {
      return; // removed meanwhile: nothing left to describe
    }
    Path tmp = dir.resolve(name + ".tmp");
    Files.writeString(tmp, type.wireName());
    Files.move(
        tmp,
        dir.resolve(name),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private @Nullable ExitType read(String name) {
    try {
      return ExitType.fromWireName(Files.readString(dir.resolve(name)).strip());
    } catch (IOException e) {
      return null;
    }
  }
}
