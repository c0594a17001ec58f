package dev.silo.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One received netlink message: header fields and the payload after the 16-byte header.
 *
 * @param payload positioned at the family header, limited to the message end
 */
record NlMessage(int type, int flags, int seq, ByteBuffer payload) {
  static final int NOOP = 1;
  static final int ERROR = 2;
  static final int DONE = 3;

  /** The attributes after a fixed family header of {@code headerLen} bytes. */
  NlAttrs attrs(int headerLen) {
    ByteBuffer b = payload.duplicate().order(ByteOrder.nativeOrder());
    b.position(Math.min(b.limit(), headerLen));
    return NlAttrs.parse(b);
  }

  ByteBuffer body() {
    return payload.duplicate().order(ByteOrder.nativeOrder());
  }
}
