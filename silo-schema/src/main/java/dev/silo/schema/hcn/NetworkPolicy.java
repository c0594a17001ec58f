package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A policy of a network, {@code {"Type": …, "Settings": {…}}} (hcsshim {@code hcn.NetworkPolicy});
 * {@code Settings} is read into the record {@code Type} names.
 *
 * @param type policy type, e.g. {@code RemoteSubnetRoute}
 * @param settings typed settings
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"Type", "Settings"})
public record NetworkPolicy(
    @JsonProperty("Type") String type,
    @JsonProperty("Settings")
        @JsonTypeInfo(
            use = JsonTypeInfo.Id.NAME,
            include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
            property = "Type",
            visible = true)
        @JsonSubTypes({
          @JsonSubTypes.Type(value = NetAdapterNamePolicySetting.class, name = "NetAdapterName"),
          @JsonSubTypes.Type(
              value = SourceMacAddressPolicySetting.class,
              name = "SourceMacAddress"),
          @JsonSubTypes.Type(value = DrMacAddressPolicySetting.class, name = "DrMacAddress"),
          @JsonSubTypes.Type(value = AutomaticDnsPolicySetting.class, name = "AutomaticDNS"),
          @JsonSubTypes.Type(
              value = VSwitchExtensionPolicySetting.class,
              name = "VSwitchExtension"),
          @JsonSubTypes.Type(value = ProviderAddressPolicySetting.class, name = "ProviderAddress"),
          @JsonSubTypes.Type(
              value = RemoteSubnetRoutePolicySetting.class,
              name = "RemoteSubnetRoute"),
          @JsonSubTypes.Type(value = VxlanPortPolicySetting.class, name = "VxlanPort"),
          @JsonSubTypes.Type(value = HostRoutePolicySetting.class, name = "HostRoute"),
          @JsonSubTypes.Type(value = SetPolicySetting.class, name = "SetPolicy")
        })
        @Nullable NetworkPolicySettings settings) {

  private static final Map<String, Class<?>> SETTINGS =
      Map.of(
          "NetAdapterName", NetAdapterNamePolicySetting.class,
          "SourceMacAddress", SourceMacAddressPolicySetting.class,
          "DrMacAddress", DrMacAddressPolicySetting.class,
          "AutomaticDNS", AutomaticDnsPolicySetting.class,
          "VSwitchExtension", VSwitchExtensionPolicySetting.class,
          "ProviderAddress", ProviderAddressPolicySetting.class,
          "RemoteSubnetRoute", RemoteSubnetRoutePolicySetting.class,
          "VxlanPort", VxlanPortPolicySetting.class,
          "HostRoute", HostRoutePolicySetting.class,
          "SetPolicy", SetPolicySetting.class);

  /** Rejects settings that belong to another policy type. */
  public NetworkPolicy {
    Immutable.checkSettings("network", type, settings, SETTINGS.get(type));
  }

  /** A policy whose Type is taken from its settings. */
  public static NetworkPolicy of(NetworkPolicySettings settings) {
    for (Map.Entry<String, Class<?>> e : SETTINGS.entrySet()) {
      if (e.getValue().isInstance(settings)) {
        return new NetworkPolicy(e.getKey(), settings);
      }
    }
    throw new IllegalArgumentException("no network policy Type for " + settings);
  }
}
