package dev.silo.api;

/** Receives the events of a compute system (the {@code HCS_EVENT_CALLBACK}). */
@FunctionalInterface
public interface HcsEventListener {
  void onEvent(HcsEvent event);
}
