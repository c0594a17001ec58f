package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLogTest {
  @Test
  void aSubscriberGetsThePastAndEveryLaterEvent() throws Exception {
    EventLog log = new EventLog();
    log.publish("network", "create", "id1", Map.of("name", "n1", "type", "nat"));
    try (EventLog.Subscription sub = log.subscribe()) {
      assertThat(sub.past()).extracting(EventLog.Event::actorId).containsExactly("id1");
      assertThat(log.listeners()).isEqualTo(1);
      log.publish("volume", "create", "v1", Map.of("driver", "local"));
      EventLog.Event e = sub.live().poll(5, TimeUnit.SECONDS);
      assertThat(e).isNotNull();
      assertThat(e.actorId()).isEqualTo("v1");
    }
    assertThat(log.listeners()).isZero();
  }

  @Test
  void onlyTheLastEventsAreKept() {
    EventLog log = new EventLog();
    for (int i = 0; i < EventLog.KEEP + 10; i++) {
      log.publish("volume", "create", "v" + i, Map.of());
    }
    try (EventLog.Subscription sub = log.subscribe()) {
      assertThat(sub.past()).hasSize(EventLog.KEEP);
      assertThat(sub.past().get(0).actorId()).isEqualTo("v10");
    }
  }

  @Test
  void filtersMatchTypeActionAndNetworkByIdOrName() throws Exception {
    EventLog.Event e =
        new EventLog.Event("network", "create", "abc", Map.of("name", "n1", "type", "nat"), 1L);
    Set<String> keys = Set.of("type", "event", "network", "volume", "label", "scope");
    assertThat(SystemApi.matches(Filters.parse("{\"type\":[\"network\"]}", keys), e)).isTrue();
    assertThat(SystemApi.matches(Filters.parse("{\"type\":[\"volume\"]}", keys), e)).isFalse();
    assertThat(SystemApi.matches(Filters.parse("{\"network\":[\"n1\"]}", keys), e)).isTrue();
    assertThat(SystemApi.matches(Filters.parse("{\"network\":[\"abc\"]}", keys), e)).isTrue();
    assertThat(SystemApi.matches(Filters.parse("{\"network\":[\"n2\"]}", keys), e)).isFalse();
    assertThat(SystemApi.matches(Filters.parse("{\"event\":[\"destroy\"]}", keys), e)).isFalse();
  }

  @Test
  void anEventIsOneJsonLineInMobysShape() {
    String line =
        new String(
            SystemApi.encode(
                new EventLog.Event(
                    "network", "create", "abc", Map.of("name", "n1"), 1_500_000_000L)),
            StandardCharsets.UTF_8);
    assertThat(line)
        .isEqualTo(
            "{\"Type\":\"network\",\"Action\":\"create\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":"
                + "{\"name\":\"n1\"}},\"scope\":\"local\",\"time\":1,\"timeNano\":1500000000}\n");
  }
}
