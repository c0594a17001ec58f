package dev.silo.schema.hcn;

/** The typed {@code Settings} of a {@link SubnetPolicy}, one record per policy Type. */
public sealed interface SubnetPolicySettings permits VlanPolicySetting, VsidPolicySetting {}
