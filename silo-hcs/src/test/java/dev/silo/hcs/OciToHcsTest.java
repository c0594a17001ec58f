package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.hcs.ResultError;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OCI → HCS translation against hand-written golden documents under {@code oci-to-hcs/}: each
 * file holds a {@code config} and either the {@code document} it must become (as the daemon's
 * Jackson mapper writes it) or the {@code error} (HCS ResultError) it must fail with.
 */
class OciToHcsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path BUNDLE = Path.of("/bundles/c1");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "linux",
        "linux-windows-without-layers",
        "layers",
        "layers-cpu-maximum",
        "layers-cpu-shares",
        "hyperv"
      })
  void bundleBecomesTheGoldenDocument(String name) throws Exception {
    JsonNode golden = golden(name);
    Spec spec = OciSpecs.parseConfig(golden.get("config").toString());

    ComputeSystem doc = OciToHcs.translate("c1", BUNDLE, spec, "runhcs");

    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(doc))).isEqualTo(golden.get("document"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "error-hyperv-without-layers",
        "error-blank-layer",
        "error-root-with-hyperv",
        "error-cpu-count-and-maximum",
        "error-cpu-maximum-range",
        "error-cpu-shares-range",
        "error-cpu-count-zero",
        "error-device-id-type"
      })
  void badWindowsSectionFailsWithTheGoldenError(String name) throws Exception {
    JsonNode golden = golden(name);
    Spec spec = OciSpecs.parseConfig(golden.get("config").toString());

    HcsException e =
        catchThrowableOfType(
            HcsException.class, () -> OciToHcs.translate("c1", BUNDLE, spec, "runhcs"));

    assertThat(e).as("translation of %s must fail", name).isNotNull();
    assertThat(e.operation()).isEqualTo("create");
    assertThat(e.id()).isEqualTo("c1");
    ResultError result = new ResultError(e.hresult().code(), e.detail(), List.of(), List.of());
    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(result))).isEqualTo(golden.get("error"));
  }

  @org.junit.jupiter.api.Test
  void layerIdsAreStableAndDifferPerFolder() {
    assertThat(OciToHcs.layerId("/layers/base")).isEqualTo(OciToHcs.layerId("/layers/base"));
    assertThat(OciToHcs.layerId("/layers/base")).isNotEqualTo(OciToHcs.layerId("/layers/top"));
    assertThat(OciToHcs.layerId("/layers/base"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  }

  private static JsonNode golden(String name) throws IOException {
    try (InputStream in = OciToHcsTest.class.getResourceAsStream("/oci-to-hcs/" + name + ".json")) {
      return MAPPER.readTree(Objects.requireNonNull(in, name));
    }
  }
}
