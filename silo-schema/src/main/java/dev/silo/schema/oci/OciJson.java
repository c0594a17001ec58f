package dev.silo.schema.oci;

import java.util.Map;

/** An OCI document part that writes itself as a JSON object tree for the codec. */
public interface OciJson {
  /** The JSON object, in Go field order, with absent optional fields left out (Go's omitempty). */
  Map<String, Object> toJson();
}
