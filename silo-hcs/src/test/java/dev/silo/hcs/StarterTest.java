package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** start's view of an init found dead: did it take the exec fifo before it exited? */
class StarterTest {
  @Test
  void aByteReadLateStillMeansTheInitWasReleased() throws Exception {
    // The reader thread is scheduled only after the init already ran and exited (seen under
    // load with `docker run --rm busybox echo`): the start succeeded, it is no "has stopped".
    Starter.ByteWait read = new Starter.ByteWait();
    Thread.ofPlatform().start(() -> read.complete('0'));

    assertThat(Starter.tookFifoBeforeExit(read)).isTrue();
  }

  @Test
  void noByteOrEofMeansTheInitDiedBeforeTheFifo() throws Exception {
    Starter.ByteWait eof = new Starter.ByteWait();
    eof.complete(-1);
    assertThat(Starter.tookFifoBeforeExit(eof)).isFalse();
    assertThat(Starter.tookFifoBeforeExit(new Starter.ByteWait())).isFalse();
  }

  @Test
  void theFirstResultWins() throws Exception {
    Starter.ByteWait read = new Starter.ByteWait();
    read.complete('0');
    read.complete(-1);
    assertThat(read.await(0)).isEqualTo('0');
  }
}
