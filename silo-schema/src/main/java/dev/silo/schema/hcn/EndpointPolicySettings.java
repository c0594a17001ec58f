package dev.silo.schema.hcn;

/** The typed {@code Settings} of an {@link EndpointPolicy}, one record per policy Type. */
public sealed interface EndpointPolicySettings
    permits PortMappingPolicySetting,
        AclPolicySetting,
        QosPolicySetting,
        OutboundNatPolicySetting,
        SdnRoutePolicySetting,
        ProviderAddressPolicySetting,
        EncapOverheadPolicySetting,
        PortNamePolicySetting,
        L2DriverPolicySetting {}
