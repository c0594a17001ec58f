package dev.silo.hns.spi;

/** The four kinds of HCN object the service stores and the dataplane programs. */
public enum ObjectKind {
  NETWORK,
  ENDPOINT,
  NAMESPACE,
  LOAD_BALANCER
}
