package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import org.junit.jupiter.api.Test;

/** Which endpoints a spec asks to join: the annotation first, then windows.network.endpointList. */
class NetworkRequestTest {
  private static Spec spec(String extra) throws Exception {
    return OciSpecs.parseConfig("{\"ociVersion\": \"1.2.0\"" + extra + "}");
  }

  @Test
  void noAnnotationNoEndpoints() throws Exception {
    assertThat(NetworkRequest.endpoints(spec(""))).isEmpty();
    assertThat(NetworkRequest.endpoints(spec(", \"annotations\": {\"other\": \"x\"}"))).isEmpty();
    assertThat(NetworkRequest.endpoints(spec(", \"annotations\": {\"dev.silo.endpoint\": \" \"}")))
        .isEmpty();
  }

  @Test
  void annotationThenEndpointListWithoutDuplicates() throws Exception {
    Spec s =
        spec(
            ", \"annotations\": {\"dev.silo.endpoint\": \" web \"},"
                + " \"windows\": {\"network\": {\"endpointList\": [\"a-guid\", \"web\", \"\"]}}");
    assertThat(NetworkRequest.endpoints(s)).containsExactly("web", "a-guid");
  }
}
