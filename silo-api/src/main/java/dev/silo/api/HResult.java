package dev.silo.api;

/**
 * The HRESULTs the Host Compute Service answers with (virt-docs HCSHResult), plus the Win32 codes
 * Silo reuses, and the HCN ({@code computenetwork.dll}) codes of the network service.
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
  HCS_E_PROCESS_ALREADY_STOPPED(0x8037011F, "The process has already exited"),
  ERROR_ALREADY_EXISTS(0x800700B7, "Cannot create a file when that file already exists"),
  ERROR_OBJECT_ALREADY_EXISTS(0x80071392, "The object already exists"),
  HCN_E_NETWORK_NOT_FOUND(0x803B0001, "The network was not found"),
  HCN_E_ENDPOINT_NOT_FOUND(0x803B0002, "The endpoint was not found"),
  HCN_E_LAYER_NOT_FOUND(0x803B0003, "The network's underlying layer was not found"),
  HCN_E_SWITCH_NOT_FOUND(0x803B0004, "The virtual switch was not found"),
  HCN_E_SUBNET_NOT_FOUND(0x803B0005, "The network does not have a subnet for this endpoint"),
  HCN_E_ADAPTER_NOT_FOUND(0x803B0006, "An adapter was not found"),
  HCN_E_PORT_NOT_FOUND(0x803B0007, "The switch port was not found"),
  HCN_E_POLICY_NOT_FOUND(0x803B0008, "The policy was not found"),
  HCN_E_VFP_PORTSETTING_NOT_FOUND(0x803B0009, "The port setting was not found"),
  HCN_E_INVALID_NETWORK(0x803B000A, "The network is invalid"),
  HCN_E_INVALID_NETWORK_TYPE(0x803B000B, "The network type is invalid"),
  HCN_E_INVALID_ENDPOINT(0x803B000C, "The endpoint is invalid"),
  HCN_E_INVALID_POLICY(0x803B000D, "The policy is invalid"),
  HCN_E_INVALID_POLICY_TYPE(0x803B000E, "The policy type is invalid"),
  HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION(
      0x803B000F, "This operation is not allowed on a remote endpoint"),
  HCN_E_NETWORK_ALREADY_EXISTS(0x803B0010, "A network with this name already exists"),
  HCN_E_LAYER_ALREADY_EXISTS(0x803B0011, "A network with this name already exists"),
  HCN_E_POLICY_ALREADY_EXISTS(0x803B0012, "The policy configuration already exists"),
  HCN_E_PORT_ALREADY_EXISTS(0x803B0013, "The specified port already exists"),
  HCN_E_ENDPOINT_ALREADY_ATTACHED(0x803B0014, "The endpoint is already attached to the switch"),
  HCN_E_REQUEST_UNSUPPORTED(0x803B0015, "The specified request is unsupported"),
  HCN_E_MAPPING_NOT_SUPPORTED(0x803B0016, "The port mapping is not supported"),
  HCN_E_DEGRADED_OPERATION(0x803B0017, "The operation completed in a degraded state"),
  HCN_E_SHARED_SWITCH_MODIFICATION(0x803B0018, "The shared switch cannot be modified"),
  HCN_E_GUID_CONVERSION_FAILURE(0x803B0019, "The GUID could not be converted"),
  HCN_E_REGKEY_FAILURE(0x803B001A, "A registry key could not be read"),
  HCN_E_INVALID_JSON(0x803B001B, "The JSON document is invalid"),
  HCN_E_INVALID_JSON_REFERENCE(0x803B001C, "The JSON reference is invalid"),
  HCN_E_ENDPOINT_SHARING_DISABLED(0x803B001D, "Endpoint sharing is disabled"),
  HCN_E_INVALID_IP(0x803B001E, "The IP address is either invalid or not part of any subnet"),
  HCN_E_SWITCH_EXTENSION_NOT_FOUND(0x803B001F, "The switch extension was not found"),
  HCN_E_MANAGER_STOPPED(0x803B0020, "The host network service is stopping"),
  HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS(
      0x803B002B, "The endpoint is already attached to a namespace"),
  HCN_E_ENTITY_HAS_REFERENCES(0x803B002C, "The entity has references and cannot be removed"),
  HCN_E_INVALID_INTERNAL_PORT(0x803B002D, "The internal port must exist and cannot be zero"),
  HCN_E_NAMESPACE_ATTACH_FAILED(0x803B002E, "The endpoint could not be attached to the namespace"),
  HCN_E_INVALID_PREFIX(0x803B0030, "The address prefix is invalid"),
  HCN_E_INVALID_SUBNET(0x803B0032, "The subnet is invalid"),
  HCN_E_ENDPOINT_NOT_ATTACHED(0x803B0034, "The endpoint is not attached to a namespace"),
  HCN_E_ENDPOINT_NOT_LOCAL(0x803B0035, "The endpoint is not local to this host");

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
