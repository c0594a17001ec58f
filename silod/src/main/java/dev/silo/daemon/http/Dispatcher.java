package dev.silo.daemon.http;

/** Turns every request into a response; errors are rendered, never thrown. */
@FunctionalInterface
public interface Dispatcher {
  ApiResponse dispatch(ApiRequest request);
}
