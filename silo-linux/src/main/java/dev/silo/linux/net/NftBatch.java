package dev.silo.linux.net;

import dev.silo.linux.net.NftSetElements.Element;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The batch datagram being written and, once sent, its replies. Written straight into one growing
 * array (a full sync is ~10 MB); each message keeps only a view of its elements and where each
 * one's attribute starts, for naming a refused one.
 */
final class NftBatch {
  static final int NFT_MSG_NEWSETELEM = 12;
  static final int NFT_MSG_DELSETELEM = 14;
  private static final int NFNL_SUBSYS_NFTABLES = 10;
  private static final int NFNL_MSG_BATCH_BEGIN = 0x10;
  private static final int NFNL_MSG_BATCH_END = 0x11;
  private static final int NFTA_SET_ELEM_LIST_TABLE = 1;
  private static final int NFTA_SET_ELEM_LIST_SET = 2;
  private static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
  private static final int NFTA_LIST_ELEM = 1;
  private static final int NFTA_SET_ELEM_KEY = 1;
  private static final int NFTA_SET_ELEM_DATA = 2;
  private static final int NFTA_SET_ELEM_USERDATA = 6;
  private static final int NFTA_DATA_VALUE = 1;
  private static final int NLMSGERR_ATTR_OFFS = 2;
  private static final int NLMSGERR_ATTR_MSG = 1;

  /** libnftnl's user data TLV type of an element comment (NUL-terminated string). */
  private static final int NFTNL_UDATA_SET_ELEM_COMMENT = 0;

  /** Elements per message stay under the 64 KiB an attribute length can express. */
  private static final int MESSAGE_BYTES = 60_000;

  private static final VarHandle NATIVE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  /** One message of the batch: its elements and where each one's attribute starts. */
  record Message(int seq, int type, List<Element> elements, int[] offsets) {}

  /** A refused message: the kernel's errno, text and the offset of the attribute it blamed. */
  record Failure(Message msg, int errno, @Nullable String text, int offset) {
    NetException exception(String family, String table, String where) {
      String verb = msg.type == NFT_MSG_NEWSETELEM ? "create" : "delete";
      String set = msg.elements.get(0).set();
      String object;
      int i = elementAt(offset);
      if (i >= 0) {
        Element e = msg.elements.get(i);
        object = where + family + " " + table + " " + set + " { " + e.text() + " }";
      } else {
        object = where + family + " " + table + " " + set + " (one of " + msg.elements.size() + ")";
      }
      String reason = Libc.strerror(errno);
      if (text != null && !text.isBlank()) {
        reason = reason + " (" + text.strip() + ")";
      }
      return new NetException("nft " + verb + " element", object, errno, reason);
    }

    /** The element whose attribute holds {@code offset}, or -1. */
    private int elementAt(int offset) {
      if (offset < 0 || msg.offsets.length == 0 || offset < msg.offsets[0]) {
        return -1;
      }
      int i = 0;
      while (i + 1 < msg.offsets.length && msg.offsets[i + 1] <= offset) {
        i++;
      }
      return i;
    }
  }

  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

  private final NetlinkSocket socket;
  private final int nfproto;
  private final byte[] table;
  private final List<Message> messages = new ArrayList<>();
  private final int beginSeq;
  private byte[] buf;
  private int pos;

  NftBatch(NetlinkSocket socket, int nfproto, String table, int sizeHint) {
    this.buf = new byte[Math.max(1 << 12, Math.min(sizeHint, 1 << 26))];
    this.socket = socket;
    this.nfproto = nfproto;
    this.table = cString(table);
    this.beginSeq = socket.nextSeq();
    marker(NFNL_MSG_BATCH_BEGIN, beginSeq);
  }

  /** Adds messages of {@code type} for the elements, one set and at most ~60 KB each. */
  void add(int type, List<Element> elements) {
    int i = 0;
    int n = elements.size();
    Element next = n == 0 ? null : elements.get(0);
    while (next != null) {
      String set = next.set();
      int flags = NlRequest.F_ACK;
      if (type == NFT_MSG_NEWSETELEM) {
        flags |= NlRequest.F_CREATE | NlRequest.F_EXCL;
      }
      int seq = socket.nextSeq();
      int msg = header((NFNL_SUBSYS_NFTABLES << 8) | type, flags, seq);
      u8(nfproto);
      u8(0);
      u8(0);
      u8(0); // nfgenmsg: family, version 0, res_id 0
      attr(NFTA_SET_ELEM_LIST_TABLE, table, table.length);
      attr(NFTA_SET_ELEM_LIST_SET, cString(set), -1);
      int list = nest(NFTA_SET_ELEM_LIST_ELEMENTS);
      int from = i;
      int[] offsets = new int[16];
      while (next != null && next.set().equals(set) && pos - msg < MESSAGE_BYTES) {
        if (i - from == offsets.length) {
          offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[i - from] = pos - msg;
        element(next, type == NFT_MSG_NEWSETELEM);
        i++;
        next = i < n ? elements.get(i) : null;
      }
      end(list);
      putInt(msg, pos - msg);
      int[] at = Arrays.copyOf(offsets, i - from);
      messages.add(new Message(seq, type, elements.subList(from, i), at));
    }
  }

  private void element(Element e, boolean create) {
    int el = nest(NFTA_LIST_ELEM);
    int key = nest(NFTA_SET_ELEM_KEY);
    attr(NFTA_DATA_VALUE, e.key().raw(), e.key().length());
    end(key);
    NftConcat data = e.data();
    if (create && data != null) {
      int d = nest(NFTA_SET_ELEM_DATA);
      attr(NFTA_DATA_VALUE, data.raw(), data.length());
      end(d);
    }
    String comment = e.comment();
    if (create && comment != null) {
      byte[] ud = userdata(comment);
      attr(NFTA_SET_ELEM_USERDATA, ud, ud.length);
    }
    end(el);
  }

  /** nft's user data of a comment: TLV {type 0, length, string with its NUL}. */
  private static byte[] userdata(String comment) {
    byte[] s = comment.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[s.length + 3];
    out[0] = NFTNL_UDATA_SET_ELEM_COMMENT;
    out[1] = (byte) (s.length + 1);
    System.arraycopy(s, 0, out, 2, s.length);
    return out;
  }

  private static byte[] cString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  /** Ends the batch; the datagram is the first {@link #length} bytes of {@link #bytes}. */
  void finish() {
    marker(NFNL_MSG_BATCH_END, socket.nextSeq());
  }

  int messageCount() {
    return messages.size();
  }

  byte[] bytes() {
    return buf;
  }

  int length() {
    return pos;
  }

  /** BATCH_BEGIN/END: family AF_UNSPEC, res_id the nf_tables subsystem (big-endian). */
  private void marker(int type, int seq) {
    int start = header(type, 0, seq);
    u8(0);
    u8(0);
    u8(0);
    u8(NFNL_SUBSYS_NFTABLES);
    putInt(start, pos - start);
  }

  /** An nlmsghdr with its length left to fill in; returns where it starts. */
  private int header(int type, int flags, int seq) {
    ensure(16);
    int start = pos;
    putInt(pos, 0);
    SHORT.set(buf, pos + 4, (short) type);
    SHORT.set(buf, pos + 6, (short) (flags | NlRequest.F_REQUEST));
    putInt(pos + 8, seq);
    putInt(pos + 12, 0);
    pos += 16;
    return start;
  }

  private void u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  /** An attribute of {@code len} bytes of {@code value} (all of it for -1), padded. */
  private void attr(int type, byte[] value, int len) {
    int n = len < 0 ? value.length : len;
    int total = NlRequest.align(4 + n);
    ensure(total);
    SHORT.set(buf, pos, (short) (4 + n));
    SHORT.set(buf, pos + 2, (short) type);
    System.arraycopy(value, 0, buf, pos + 4, n);
    Arrays.fill(buf, pos + 4 + n, pos + total, (byte) 0);
    pos += total;
  }

  private int nest(int type) {
    ensure(4);
    int start = pos;
    SHORT.set(buf, pos, (short) 0);
    SHORT.set(buf, pos + 2, (short) (type | NlRequest.NLA_F_NESTED));
    pos += 4;
    return start;
  }

  private void end(int start) {
    SHORT.set(buf, start, (short) (pos - start));
  }

  private void putInt(int at, int v) {
    NATIVE_INT.set(buf, at, v);
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  /**
   * Collects one ACK or error per message. The kernel handles the datagram inside the send, so the
   * replies are queued when it returns; waiting (bounded by the socket timeout) is only a safety
   * net. A failed batch may leave later messages unanswered: the first error is enough.
   */
  @Nullable Failure awaitReplies(String op, String object) {
    Map<Integer, Message> pending = new HashMap<>();
    messages.forEach(m -> pending.put(m.seq(), m));
    Failure failure = null;
    boolean waited = false;
    while (!pending.isEmpty()) {
      List<NlMessage> got = socket.receiveQueued(op, object);
      if (got.isEmpty()) {
        if (failure != null || waited) {
          break;
        }
        got = socket.receiveNext(op, object);
        waited = true;
      }
      for (NlMessage r : got) {
        if (r.type() != NlMessage.ERROR) {
          continue;
        }
        int errno = -r.body().getInt(0);
        Message m = r.seq() == beginSeq ? messages.get(0) : pending.remove(r.seq());
        if (m == null || errno == 0) {
          continue; // an ACK, or a late answer to an earlier, abandoned batch
        }
        if (failure == null) {
          NlAttrs ext = NetlinkSocket.extAck(r);
          int offset = r.seq() == beginSeq ? -1 : ext.u32(NLMSGERR_ATTR_OFFS, -1);
          failure = new Failure(m, errno, ext.string(NLMSGERR_ATTR_MSG), offset);
        }
      }
    }
    if (failure == null && !pending.isEmpty()) {
      throw new NetException(
          op, object, 0, pending.size() + " of " + messages.size() + " messages unanswered");
    }
    return failure;
  }
}
