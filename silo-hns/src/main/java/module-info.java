/**
 * Silo's Host Network Service: HCN networks, endpoints, namespaces and load balancers kept in a
 * SQLite desired-state store and programmed through a dataplane SPI.
 */
module dev.silo.hns {
  requires static org.jspecify;
  requires transitive dev.silo.api;
  requires transitive dev.silo.schema;
  requires dev.silo.linux;
  requires com.fasterxml.jackson.databind;
  requires java.sql;
  requires org.xerial.sqlitejdbc;

  exports dev.silo.hns;
  exports dev.silo.hns.spi;
  exports dev.silo.hns.linux;

  opens dev.silo.hns.internal to
      com.fasterxml.jackson.databind;
}
