package dev.silo.api;

/**
 * The HRESULTs the Host Compute Service answers with (virt-docs HCSHResult), plus the Win32 codes
 * Silo reuses.
 */
public enum HResult {
  S_OK(0x00000000, "The operation completed successfully"),
  E_INVALIDARG(0x80070057, "The parameter is incorrect"),
  E_ACCESSDENIED(0x80070005, "Access is denied"),
  E_NOTIMPL(0x80004001, "The request is not supported"),
  E_FAIL(0x80004005, "Unspecified error"),
  E_HANDLE(0x80070006, "The handle is invalid"),
  ERROR_NOT_FOUND(0x80070490, "Element not found"),
  ERROR_FILE_NOT_FOUND(0x80070002, "The system cannot find the file specified"),
  HCS_E_TERMINATED_DURING_START(0x80370100, "The container terminated during start"),
  HCS_E_IMAGE_MISMATCH(
      0x80370101, "The container operating system does not match the host operating system"),
  HCS_E_HYPERV_NOT_INSTALLED(0x80370102, "Hyper-V isolation is not available on this host"),
  HCS_E_INVALID_STATE(
      0x80370105,
      "The requested virtual machine or container operation is not valid in the current state"),
  HCS_E_UNEXPECTED_EXIT(
      0x80370106, "The virtual machine or container exited unexpectedly while starting"),
  HCS_E_TERMINATED(0x80370107, "The virtual machine or container was forcefully exited"),
  HCS_E_CONNECT_FAILED(
      0x80370108, "A connection could not be established with the container or virtual machine"),
  HCS_E_CONNECTION_TIMEOUT(
      0x80370109,
      "The operation timed out because a response was not received from the virtual machine or container"),
  HCS_E_CONNECTION_CLOSED(
      0x8037010A, "The connection with the virtual machine or container was closed"),
  HCS_E_UNKNOWN_MESSAGE(0x8037010B, "A message was received that was not recognized"),
  HCS_E_UNSUPPORTED_PROTOCOL_VERSION(0x8037010C, "The protocol version is not supported"),
  HCS_E_INVALID_JSON(0x8037010D, "The virtual machine or container JSON document is invalid"),
  HCS_E_SYSTEM_NOT_FOUND(
      0x8037010E, "A virtual machine or container with the specified identifier does not exist"),
  HCS_E_SYSTEM_ALREADY_EXISTS(
      0x8037010F, "A virtual machine or container with the specified identifier already exists"),
  HCS_E_SYSTEM_ALREADY_STOPPED(
      0x80370110, "The virtual machine or container with the specified identifier is not running"),
  HCS_E_PROTOCOL_ERROR(
      0x80370111,
      "A communication protocol error has occurred between the virtual machine or container and the host"),
  HCS_E_INVALID_LAYER(
      0x80370112, "The container image contains a layer with an unrecognized format"),
  HCS_E_SERVICE_NOT_AVAILABLE(0x80370114, "The Host Compute Service is not available"),
  HCS_E_OPERATION_TIMEOUT(0x80370118, "The operation timed out"),
  HCS_E_ACCESS_DENIED(0x8037011B, "Access is denied"),
  HCS_E_PROCESS_INFO_NOT_AVAILABLE(0x8037011D, "The process information is not available"),
  HCS_E_PROCESS_ALREADY_STOPPED(0x8037011F, "The process has already exited");

  private final int code;
  private final String message;

  HResult(int code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The 32-bit HRESULT value. */
  public int code() {
    return code;
  }

  /** The system message Windows shows for the code. */
  public String message() {
    return message;
  }

  /** The code as Windows prints it, e.g. {@code 0x8037010e}. */
  public String hex() {
    return String.format("0x%08x", code);
  }
}
