package dev.silo.daemon.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.api.HnsException;
import dev.silo.daemon.docker.Json;
import dev.silo.daemon.http.ApiResponse;

/**
 * The error body of the HCS and HNS REST API, {@code {"Error": <HRESULT>, "ErrorMessage": "…"}}
 * (the HRESULT as a signed 32-bit integer, as the Windows services return it), with the HTTP status
 * that fits the code's family.
 */
public final class RestErrors {
  private RestErrors() {}

  public static ApiResponse of(int status, HResult hr, String message) {
    ObjectNode o = Json.object();
    o.put("Error", hr.code()).put("ErrorMessage", message);
    return Json.reply(status, o);
  }

  public static ApiResponse hns(HnsException e) {
    int status =
        switch (e) {
          case HnsException.NotFound nf -> 404;
          case HnsException.Conflict c -> 409;
          case HnsException.InvalidInput i -> 400;
          case HnsException.Failure f -> 500;
        };
    return of(status, e.hresult(), String.valueOf(e.getMessage()));
  }

  public static ApiResponse hcs(HcsException e) {
    int status =
        switch (e.hresult()) {
          case HCS_E_SYSTEM_NOT_FOUND, ERROR_NOT_FOUND, ERROR_FILE_NOT_FOUND -> 404;
          case HCS_E_SYSTEM_ALREADY_EXISTS,
              ERROR_ALREADY_EXISTS,
              HCS_E_INVALID_STATE,
              HCS_E_SYSTEM_ALREADY_STOPPED,
              HCS_E_PROCESS_ALREADY_STOPPED ->
              409;
          case HCS_E_INVALID_JSON, E_INVALIDARG, HCS_E_INVALID_LAYER, HCS_E_IMAGE_MISMATCH -> 400;
          case E_NOTIMPL, HCS_E_HYPERV_NOT_INSTALLED -> 501;
          case E_ACCESSDENIED, HCS_E_ACCESS_DENIED -> 403;
          default -> 500;
        };
    return of(status, e.hresult(), String.valueOf(e.getMessage()));
  }
}
