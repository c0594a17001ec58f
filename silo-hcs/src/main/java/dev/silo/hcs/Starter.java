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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
      CompletableFuture<Integer> read =
          CompletableFuture.supplyAsync(() -> readOne(f), Starter::daemon);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      while (true) {
        try {
          int b = read.get(20, TimeUnit.MILLISECONDS);
          if (b < 0) {
            throw new HcsException(
                "start", c.id(), HResult.E_FAIL, "exec fifo closed before the init released it");
          }
          break;
        } catch (TimeoutException e) {
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
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HcsException("start", c.id(), HResult.E_FAIL, "interrupted", e);
        } catch (ExecutionException e) {
          throw new HcsException(
              "start", c.id(), HResult.E_FAIL, "cannot read exec fifo: " + e.getCause(), e);
        }
      }
      Files.deleteIfExists(fifo);
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
  static boolean tookFifoBeforeExit(CompletableFuture<Integer> read) {
    try {
      return read.get(GRACE_MS, TimeUnit.MILLISECONDS) >= 0;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A plain daemon thread: a virtual one would load the whole scheduler on runhcs's start-up path.
   */
  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "exec-fifo");
    t.setDaemon(true);
    t.start();
  }

  private static int readOne(RandomAccessFile f) {
    try {
      return f.read();
    } catch (IOException e) {
      return -1;
    }
  }
}
