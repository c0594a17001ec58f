package dev.silo.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** HCN codes land in the right family and the message names operation, object and code. */
class HnsExceptionTest {

  @Test
  void messageNamesOperationObjectAndCode() {
    HnsException e =
        HnsException.of(
            "hcnCreateEndpoint",
            "web",
            HResult.HCN_E_PORT_ALREADY_EXISTS,
            "host port 8080/tcp is already mapped by endpoint db");

    assertThat(e)
        .isInstanceOf(HnsException.Conflict.class)
        .hasMessage(
            "hcnCreateEndpoint web: host port 8080/tcp is already mapped by endpoint db"
                + " (HCN_E_PORT_ALREADY_EXISTS 0x803b0013)");
    assertThat(e.hresult().code()).isEqualTo(0x803B0013);
  }

  @Test
  void codesAreSortedIntoFamilies() {
    assertThat(HnsException.of("op", "x", HResult.ERROR_NOT_FOUND, ""))
        .isInstanceOf(HnsException.NotFound.class)
        .hasMessage("op x: Element not found (ERROR_NOT_FOUND 0x80070490)");
    assertThat(HnsException.of("op", "x", HResult.HCN_E_NETWORK_NOT_FOUND, ""))
        .isInstanceOf(HnsException.NotFound.class);
    assertThat(HnsException.of("op", "x", HResult.ERROR_OBJECT_ALREADY_EXISTS, ""))
        .isInstanceOf(HnsException.Conflict.class);
    assertThat(HnsException.of("op", "x", HResult.HCN_E_ENTITY_HAS_REFERENCES, ""))
        .isInstanceOf(HnsException.Conflict.class);
    assertThat(HnsException.of("op", "x", HResult.HCN_E_INVALID_SUBNET, ""))
        .isInstanceOf(HnsException.InvalidInput.class);
    assertThat(HnsException.of("op", "x", HResult.HCN_E_SUBNET_NOT_FOUND, ""))
        .isInstanceOf(HnsException.InvalidInput.class);
    assertThat(HnsException.of("op", "x", HResult.E_FAIL, "disk full"))
        .isInstanceOf(HnsException.Failure.class);
  }

  @Test
  void hcnCodesHaveTheirWindowsValues() {
    assertThat(HResult.ERROR_OBJECT_ALREADY_EXISTS.hex()).isEqualTo("0x80071392");
    assertThat(HResult.HCN_E_NETWORK_ALREADY_EXISTS.hex()).isEqualTo("0x803b0010");
    assertThat(HResult.HCN_E_INVALID_IP.hex()).isEqualTo("0x803b001e");
    assertThat(HResult.HCN_E_ENDPOINT_NOT_LOCAL.hex()).isEqualTo("0x803b0035");
  }
}
