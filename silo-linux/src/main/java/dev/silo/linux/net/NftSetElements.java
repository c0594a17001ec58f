package dev.silo.linux.net;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Adds and deletes nftables set and map elements as raw nfnetlink batches over one long-lived
 * {@code NETLINK_NETFILTER} socket: what {@code nft add/create/delete element} sends, without nft's
 * parser and cache. Tables, sets, maps and rules are still made through {@link Nftables}.
 *
 * <p>Why: libnftables re-reads its cache whenever the ruleset generation changed and parses the
 * script text, which cost ~1 ms per changed load balancer and seconds for a full sync of 10 000;
 * the elements themselves commit in ~0.1 ms (reference/lb.md). Each {@link #apply} is one datagram
 * {@code BATCH_BEGIN, DELSETELEM…, NEWSETELEM…, BATCH_END}, which the kernel handles as one
 * transaction: every element or none. Elements are laid out as nft lays them out (each field of a
 * concatenation padded to 4 bytes, the comment as nft's user data), so {@code nft list} shows them,
 * comments included, and nft can delete them.
 */
public final class NftSetElements implements AutoCloseable {
  /** nft's limit on a comment: the TLV length is one byte, user data at most 256 bytes. */
  private static final int MAX_COMMENT = 128;

  private final NetlinkSocket socket;
  private final String where;

  private NftSetElements(NetlinkSocket socket, String where) {
    this.socket = socket;
    this.where = where;
  }

  /** A session in {@code ns} (null: the process's own namespace). */
  public static NftSetElements open(@Nullable NetNs ns) {
    if (ns == null) {
      return new NftSetElements(NetlinkSocket.openNetfilter(), "");
    }
    NetlinkSocket s = NetNs.<NetlinkSocket, RuntimeException>run(ns, NetlinkSocket::openNetfilter);
    return new NftSetElements(s, "netns " + ns.name() + " ");
  }

  /** One element of a set (no data) or a map, with an optional comment. */
  public record Element(
      String set, NftConcat key, @Nullable NftConcat data, @Nullable String comment) {
    public Element {
      checkSetName(set);
      if (comment != null
          && (comment.length() > MAX_COMMENT
              || comment.indexOf('\0') >= 0
              || comment.indexOf('"') >= 0)) {
        throw new IllegalArgumentException("element comment '" + comment + "': not allowed");
      }
    }

    /** The element as nft prints it, e.g. {@code 10.0.0.1 . tcp . 80 comment "x" : 10.1.0.2}. */
    public String text() {
      return key
          + (comment == null ? "" : " comment \"" + comment + "\"")
          + (data == null ? "" : " : " + data);
    }
  }

  /** Set names already checked: a batch names the same few sets 100 000s of times. */
  private static final java.util.Set<String> CHECKED = ConcurrentHashMap.newKeySet();

  private static void checkSetName(String set) {
    if (!CHECKED.contains(set)) {
      NftProcess.checkWord(set);
      if (CHECKED.size() < 4096) {
        CHECKED.add(set);
      }
    }
  }

  /**
   * Deletes {@code delete}, then creates {@code create} (failing on a key that exists), all in one
   * kernel transaction in table {@code family name}. On failure nothing is changed and the
   * exception names the first element the kernel refused, e.g. {@code nft create element netns x ip
   * silolb fronts { 10.96.0.1 . tcp . 80 comment "lb:1" }: File exists}.
   */
  public synchronized void apply(
      String family, String table, List<Element> delete, List<Element> create) {
    if (delete.isEmpty() && create.isEmpty()) {
      return;
    }
    int nfproto = nfproto(family);
    NftProcess.checkWord(table);
    NftBatch batch = new NftBatch(socket, nfproto, table, delete.size() * 48 + create.size() * 112);
    batch.add(NftBatch.NFT_MSG_DELSETELEM, delete);
    batch.add(NftBatch.NFT_MSG_NEWSETELEM, create);
    batch.finish();
    // one ACK of at most ~100 bytes per message; their accounting size is a few times that
    socket.ensureBuffers(batch.length(), Math.max(1 << 20, batch.messageCount() * 2048));
    String op = "nft " + family + " " + table;
    socket.sendDatagram(batch.bytes(), batch.length(), op, where.strip());
    NftBatch.Failure f = batch.awaitReplies(op, where.strip());
    if (f != null) {
      throw f.exception(family, table, where);
    }
  }

  private static int nfproto(String family) {
    return switch (family) {
      case "inet" -> 1;
      case "ip" -> 2;
      case "arp" -> 3;
      case "netdev" -> 5;
      case "bridge" -> 7;
      case "ip6" -> 10;
      default -> throw new IllegalArgumentException("nft family '" + family + "': unknown");
    };
  }

  @Override
  public void close() {
    socket.close();
  }
}
