package dev.silo.daemon.http;

/** One route's code: a request in, a response or an {@link ApiException} out. */
@FunctionalInterface
public interface Handler {
  ApiResponse handle(ApiRequest request) throws ApiException;
}
