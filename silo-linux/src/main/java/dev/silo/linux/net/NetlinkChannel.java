package dev.silo.linux.net;

import java.util.List;

/**
 * Where rtnetlink requests go: the kernel ({@link NetlinkSocket}) or, in unit tests, a recorder
 * that replays canned replies.
 */
interface NetlinkChannel extends AutoCloseable {
  /** Sends a request with {@code NLM_F_ACK} and waits for its ACK; errors name op and object. */
  void execute(NlRequest req, String op, String object);

  /** Sends a request that answers with messages (a dump, or a GET) and collects them. */
  List<NlMessage> query(NlRequest req, String op, String object);

  @Override
  void close();
}
