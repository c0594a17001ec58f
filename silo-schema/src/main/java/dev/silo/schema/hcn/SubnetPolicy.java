package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A policy of a subnet, {@code {"Type": "VLAN"|"VSID", "Settings": {"IsolationId": n}}} (hcsshim
 * {@code hcn.SubnetPolicy}).
 *
 * @param type VLAN or VSID
 * @param settings typed settings
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"Type", "Settings"})
public record SubnetPolicy(
    @JsonProperty("Type") String type,
    @JsonProperty("Settings")
        @JsonTypeInfo(
            use = JsonTypeInfo.Id.NAME,
            include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
            property = "Type",
            visible = true)
        @JsonSubTypes({
          @JsonSubTypes.Type(value = VlanPolicySetting.class, name = "VLAN"),
          @JsonSubTypes.Type(value = VsidPolicySetting.class, name = "VSID")
        })
        @Nullable SubnetPolicySettings settings) {

  private static final Map<String, Class<?>> SETTINGS =
      Map.of("VLAN", VlanPolicySetting.class, "VSID", VsidPolicySetting.class);

  /** Rejects settings that belong to another policy type. */
  public SubnetPolicy {
    Immutable.checkSettings("subnet", type, settings, SETTINGS.get(type));
  }
}
