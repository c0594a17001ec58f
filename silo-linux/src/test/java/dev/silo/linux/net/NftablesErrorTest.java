package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** nft's multi-line error output folded into one line. */
class NftablesErrorTest {
  @Test
  void kernelRejectionKeepsTheMessageAndTheCommand() {
    String out =
        """
        /dev/stdin:3:1-20: Error: Could not process rule: File exists
        create table ip keep
        ^^^^^^^^^^^^^^^^^^^^
        """;
    assertThat(Nftables.oneLine(out))
        .isEqualTo("Could not process rule: File exists (create table ip keep)");
  }

  @Test
  void severalErrorsAreJoined() {
    String out =
        """
        <cmdline>:1:20-24: Error: syntax error, unexpected string
        add rule ip t c bogus
                        ^^^^^
        <cmdline>:2:1-3: Error: Could not process rule: No such file or directory
        add chain ip x c
        ~~~~~~~~~~~~~~~~
        """;
    assertThat(Nftables.oneLine(out))
        .isEqualTo(
            "syntax error, unexpected string (add rule ip t c bogus); Could not process rule: No"
                + " such file or directory (add chain ip x c)");
  }

  @Test
  void outputWithoutErrorMarkerIsKeptOnOneLine() {
    assertThat(Nftables.oneLine("something\nodd\n")).isEqualTo("something odd");
    assertThat(Nftables.oneLine("")).isEqualTo("failed without a message");
  }
}
