package dev.silo.schema.hcn;

/** The typed {@code Settings} of a {@link NetworkPolicy}, one record per policy Type. */
public sealed interface NetworkPolicySettings
    permits NetAdapterNamePolicySetting,
        SourceMacAddressPolicySetting,
        DrMacAddressPolicySetting,
        AutomaticDnsPolicySetting,
        VSwitchExtensionPolicySetting,
        ProviderAddressPolicySetting,
        RemoteSubnetRoutePolicySetting,
        VxlanPortPolicySetting,
        HostRoutePolicySetting,
        SetPolicySetting {}
