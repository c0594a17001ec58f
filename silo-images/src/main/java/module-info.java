/**
 * Silo's image store: an OCI image layout on disk, a registry v2 client, docker-archive and OCI
 * archive load/save, small base images, and the Windows host/image OS-version rule.
 */
module dev.silo.images {
  requires static org.jspecify;
  requires transitive dev.silo.api;
  requires dev.silo.linux;
  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http;
  requires org.apache.commons.compress;

  exports dev.silo.images;

  opens dev.silo.images to
      com.fasterxml.jackson.databind;
}
