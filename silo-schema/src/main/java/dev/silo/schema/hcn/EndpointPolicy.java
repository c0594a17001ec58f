package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A policy of an endpoint, {@code {"Type": …, "Settings": {…}}} (hcsshim {@code
 * hcn.EndpointPolicy}); {@code Settings} is read into the record {@code Type} names, so wrong
 * settings fail at parse time.
 *
 * @param type policy type, e.g. {@code PortMapping}
 * @param settings typed settings, absent for {@code L2Driver}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"Type", "Settings"})
public record EndpointPolicy(
    @JsonProperty("Type") String type,
    @JsonProperty("Settings")
        @JsonTypeInfo(
            use = JsonTypeInfo.Id.NAME,
            include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
            property = "Type",
            visible = true)
        @JsonSubTypes({
          @JsonSubTypes.Type(value = PortMappingPolicySetting.class, name = "PortMapping"),
          @JsonSubTypes.Type(value = AclPolicySetting.class, name = "ACL"),
          @JsonSubTypes.Type(value = QosPolicySetting.class, name = "QOS"),
          @JsonSubTypes.Type(value = OutboundNatPolicySetting.class, name = "OutBoundNAT"),
          @JsonSubTypes.Type(value = SdnRoutePolicySetting.class, name = "SDNRoute"),
          @JsonSubTypes.Type(value = ProviderAddressPolicySetting.class, name = "ProviderAddress"),
          @JsonSubTypes.Type(value = EncapOverheadPolicySetting.class, name = "EncapOverhead"),
          @JsonSubTypes.Type(value = PortNamePolicySetting.class, name = "PortName"),
          @JsonSubTypes.Type(value = L2DriverPolicySetting.class, name = "L2Driver")
        })
        @Nullable EndpointPolicySettings settings) {

  private static final Map<String, Class<?>> SETTINGS =
      Map.of(
          "PortMapping", PortMappingPolicySetting.class,
          "ACL", AclPolicySetting.class,
          "QOS", QosPolicySetting.class,
          "OutBoundNAT", OutboundNatPolicySetting.class,
          "SDNRoute", SdnRoutePolicySetting.class,
          "ProviderAddress", ProviderAddressPolicySetting.class,
          "EncapOverhead", EncapOverheadPolicySetting.class,
          "PortName", PortNamePolicySetting.class,
          "L2Driver", L2DriverPolicySetting.class);

  /** Rejects settings that belong to another policy type. */
  public EndpointPolicy {
    Immutable.checkSettings("endpoint", type, settings, SETTINGS.get(type));
  }

  /** A policy whose Type is taken from its settings. */
  public static EndpointPolicy of(EndpointPolicySettings settings) {
    for (Map.Entry<String, Class<?>> e : SETTINGS.entrySet()) {
      if (e.getValue().isInstance(settings)) {
        return new EndpointPolicy(e.getKey(), settings);
      }
    }
    throw new IllegalArgumentException("no endpoint policy Type for " + settings);
  }
}
