package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Address management of a network (hcsshim {@code hcn.Ipam}).
 *
 * @param type {@code Static} or {@code DHCP}
 * @param subnets the subnets
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Ipam(
    @JsonProperty("Type") @Nullable String type, @JsonProperty("Subnets") List<Subnet> subnets) {

  /** Copies the subnets so the record stays immutable. */
  public Ipam {
    subnets = Immutable.list(subnets);
  }
}
