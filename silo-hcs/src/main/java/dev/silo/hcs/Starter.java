package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.ProcStat;
import dev.silo.hcs.internal.StateStore;
import dev.silo.hcs.internal.StoredContainer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Releases a created init through its exec fifo, as runc start does. The fifo is opened read-write
 * so the open never blocks (a read-only open would hang forever if the init had died); the read
 * runs in a helper thread while this one watches that the init is still alive.
 */
final class Starter {
  private static final long TIMEOUT_MS = 10_000;
  private static final long GRACE_MS = 2_000;

  private Starter() {}

  static void releaseFifo(Path dir, StoredContainer c) throws HcsException {
    Path fifo = dir.resolve(StateStore.EXEC_FIFO);
    try (RandomAccessFile f = new RandomAccessFile(fifo.toFile(), "rw")) {
      ByteWait read = new ByteWait();
      new ReadThread(f, read).start();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      while (true) {
        int b = read.await(20);
        if (b != ByteWait.NONE) {
          if (b < 0) {
            throw new HcsException(
                "start", c.id(), HResult.E_FAIL, "exec fifo closed before the init released it");
          }
          break;
        }
        if (!ProcStat.isAlive(c.initPid(), c.initStartTime()) && !tookFifoBeforeExit(read)) {
          throw new HcsException(
              "start",
              c.id(),
              HResult.HCS_E_SYSTEM_ALREADY_STOPPED,
              "cannot start a container that has stopped");
        }
        if (System.nanoTime() > deadline) {
          throw new HcsException(
              "start",
              c.id(),
              HResult.HCS_E_OPERATION_TIMEOUT,
              "container init did not take the exec fifo");
        }
      }
      Files.deleteIfExists(fifo);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HcsException("start", c.id(), HResult.E_FAIL, "interrupted", e);
    } catch (IOException e) {
      throw new HcsException(
          "start", c.id(), HResult.E_FAIL, "cannot open exec fifo: " + e.getMessage(), e);
    }
  }

  /**
   * Whether an init found dead had written its byte before it exited: a short process (docker run
   * sh -c 'echo hi') can take the fifo, run and exit before the reader thread is even scheduled on
   * a loaded machine; its byte then waits in the fifo, which this process still holds open.
   */
  static boolean tookFifoBeforeExit(ByteWait read) throws InterruptedException {
    int b = read.await(GRACE_MS);
    return b != ByteWait.NONE && b >= 0;
  }

  /**
   * The one-shot result of the fifo read: the byte, -1 at EOF or on an error, {@link #NONE} while
   * pending. Plain monitor code rather than CompletableFuture, whose lambdas and executor classes
   * cost runhcs start (docs/benchmarks.md).
   */
  static final class ByteWait {
    static final int NONE = Integer.MIN_VALUE;
    private int value = NONE;

    synchronized void complete(int v) {
      if (value == NONE) {
        value = v;
        notifyAll();
      }
    }

    /** The result, or NONE if it did not come within {@code millis}. */
    synchronized int await(long millis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (value == NONE) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return value;
    }
  }

  /** A plain daemon thread: a virtual one would load the whole scheduler on runhcs's path. */
  private static final class ReadThread extends Thread {
    private final RandomAccessFile f;
    private final ByteWait result;

    ReadThread(RandomAccessFile f, ByteWait result) {
      super("exec-fifo");
      setDaemon(true);
      this.f = f;
      this.result = result;
    }

    @Override
    public void run() {
      int b;
      try {
        b = f.read();
      } catch (IOException e) {
        b = -1;
      }
      result.complete(b);
    }
  }
}
