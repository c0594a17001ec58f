package dev.silo.daemon.docker;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The daemon's event log ({@code docker system events}): the last {@value #KEEP} events for {@code
 * since} replays, and live subscribers, each with its own queue so a slow client never holds up the
 * call that published.
 */
public final class EventLog {
  static final int KEEP = 1024;

  /**
   * One event, as moby's {@code events.Message}.
   *
   * @param type network, volume, container, image, daemon
   * @param action create, destroy, connect…
   * @param actorId the object's id
   * @param attributes name, type/driver, labels
   * @param timeNano Unix time in nanoseconds
   */
  public record Event(
      String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
    public Event {
      attributes = Map.copyOf(attributes);
    }
  }

  private final ArrayDeque<Event> recent = new ArrayDeque<>();
  private final List<BlockingQueue<Event>> subscribers = new CopyOnWriteArrayList<>();

  /** Records an event now and hands it to every subscriber. */
  public void publish(String type, String action, String actorId, Map<String, String> attributes) {
    Instant now = Instant.now();
    Event e =
        new Event(
            type,
            action,
            actorId,
            attributes,
            now.getEpochSecond() * 1_000_000_000L + now.getNano());
    synchronized (recent) {
      recent.addLast(e);
      if (recent.size() > KEEP) {
        recent.removeFirst();
      }
      for (BlockingQueue<Event> q : subscribers) {
        q.add(e);
      }
    }
  }

  /** A live subscription: the events kept so far and a queue of every later one. */
  public record Subscription(List<Event> past, BlockingQueue<Event> live, Runnable cancel)
      implements AutoCloseable {
    @Override
    public void close() {
      cancel.run();
    }
  }

  /** Subscribes atomically, so no event falls between the replay and the live queue. */
  public Subscription subscribe() {
    BlockingQueue<Event> q = new LinkedBlockingQueue<>();
    synchronized (recent) {
      List<Event> past = new ArrayList<>(recent);
      subscribers.add(q);
      return new Subscription(past, q, () -> subscribers.remove(q));
    }
  }

  /** Number of live subscribers (info's {@code NEventsListener}). */
  public int listeners() {
    return subscribers.size();
  }
}
