package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** start's view of an init found dead: did it take the exec fifo before it exited? */
class StarterTest {
  @Test
  void aByteReadLateStillMeansTheInitWasReleased() {
    // The reader thread is scheduled only after the init already ran and exited (seen under
    // load with `docker run --rm busybox echo`): the start succeeded, it is no "has stopped".
    CompletableFuture<Integer> read = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> read.complete((int) '0'));

    assertThat(Starter.tookFifoBeforeExit(read)).isTrue();
  }

  @Test
  void noByteOrEofMeansTheInitDiedBeforeTheFifo() {
    assertThat(Starter.tookFifoBeforeExit(CompletableFuture.completedFuture(-1))).isFalse();
    assertThat(Starter.tookFifoBeforeExit(new CompletableFuture<>())).isFalse();
  }
}
