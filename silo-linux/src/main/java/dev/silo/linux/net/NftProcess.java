package dev.silo.linux.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * nftables through an {@code nft -f -} process per batch, when libnftables is not installed; the
 * process is started from a thread inside the namespace, so it inherits that namespace.
 */
final class NftProcess implements Nftables {
  private static final long TIMEOUT_SECONDS = 60;

  private final NsThread thread;
  private final String where;
  private final String nft;

  private NftProcess(NsThread thread, String where, String nft) {
    this.thread = thread;
    this.where = where;
    this.nft = nft;
  }

  static NftProcess open(@Nullable NetNs ns) {
    String nft = System.getProperty("silo.nft", "nft");
    NsThread thread = NsThread.start(ns, "nft-proc-" + (ns == null ? "self" : ns.name()));
    return new NftProcess(thread, ns == null ? "" : "netns " + ns.name(), nft);
  }

  @Override
  public void apply(String batch) {
    thread.call(() -> run(List.of(nft, "-f", "-"), batch));
  }

  @Override
  public String listTableJson(String family, String table) {
    checkWord(family);
    checkWord(table);
    return thread.call(() -> run(List.of(nft, "-j", "list", "table", family, table), ""));
  }

  @Override
  public String backend() {
    return "nft process";
  }

  private String run(List<String> cmd, String stdin) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      // nft's output is small (one table), so reading stdout fully before stderr cannot block
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new NetException("nft", where, 0, "no answer after " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new NetException("nft", where, 0, Nftables.oneLine(err));
      }
      return out;
    } catch (IOException e) {
      throw new NetException("nft", where, 0, "cannot run " + cmd.get(0) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetException("nft", where, 0, "interrupted", e);
    }
  }

  private static final java.util.regex.Pattern WORD =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  /** Table and family names go on a command line: keep them to nft identifiers. */
  static void checkWord(String s) {
    if (!WORD.matcher(s).matches()) {
      throw new IllegalArgumentException("nft identifier '" + s + "': not a plain name");
    }
  }

  @Override
  public void close() {
    thread.close();
  }
}
