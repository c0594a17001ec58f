package dev.silo.linux.net;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An nftables session in one network namespace: every {@link #apply} is one atomic kernel
 * transaction (all of the batch or nothing), the Linux side of HNS policies and load balancers.
 *
 * <p>Prefers libnftables through FFM with one long-lived context (a map element change costs about
 * 0.1 ms, see reference/lb.md) and falls back to an {@code nft -f -} process per batch.
 */
public sealed interface Nftables extends AutoCloseable permits LibNftables, NftProcess {

  /** A session in {@code ns} (null: the caller's own namespace), libnftables when installed. */
  static Nftables open(@Nullable NetNs ns) {
    return LibNftables.unavailabilityCause() == null ? LibNftables.open(ns) : NftProcess.open(ns);
  }

  /** Why libnftables cannot be used here (then {@link #open} runs nft processes), or null. */
  static @Nullable String libnftablesUnavailabilityCause() {
    return LibNftables.unavailabilityCause();
  }

  /**
   * Applies {@code batch} (nft script syntax, several commands) atomically; fails with nft's error
   * as one line, e.g. {@code nft netns x: Could not process rule: No such file or directory (add
   * rule ip silo c jump nowhere)}, and then nothing of the batch is applied.
   */
  void apply(String batch);

  /** {@code nft -j list table FAMILY NAME}: the table as nftables JSON. */
  String listTableJson(String family, String table);

  /** {@code libnftables} or {@code nft process}. */
  String backend();

  @Override
  void close();

  /**
   * Turns nft's error output into one line: each {@code Error:} message with the command it points
   * at, e.g. {@code Could not process rule: File exists (create table ip silo)}.
   */
  static String oneLine(String errorOutput) {
    List<String> lines = errorOutput.lines().toList();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int at = lines.get(i).indexOf("Error: ");
      if (at < 0) {
        continue;
      }
      String msg = lines.get(i).substring(at + "Error: ".length()).strip();
      boolean hasCommand =
          i + 1 < lines.size()
              && !lines.get(i + 1).contains("Error: ")
              && !lines.get(i + 1).isBlank()
              && !lines.get(i + 1).strip().matches("[\\^~ ]+");
      parts.add(hasCommand ? msg + " (" + lines.get(i + 1).strip() + ")" : msg);
    }
    if (parts.isEmpty()) {
      String all = errorOutput.strip().replace('\n', ' ');
      return all.isEmpty() ? "failed without a message" : all;
    }
    return String.join("; ", parts);
  }
}
