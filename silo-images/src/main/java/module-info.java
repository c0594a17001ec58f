/**
 * Silo's image store: an OCI image layout on disk, a registry v2 client, docker-archive and OCI
 * archive load/save, small base images (and {@code silo-image}, which builds them offline), and the
 * Windows host/image OS-version rule.
 */
module dev.silo.images {
  requires static org.jspecify;
  requires transitive dev.silo.api;
  requires dev.silo.linux;
  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http;
  requires org.apache.commons.compress;
  requires info.picocli;

  exports dev.silo.images;

  opens dev.silo.images to
      com.fasterxml.jackson.databind;
  opens dev.silo.images.tool to
      info.picocli;
}
