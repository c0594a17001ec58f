/**
 * silod: the Silo daemon — the Docker Engine API and the HCS/HNS REST API on a unix socket, over
 * the in-process compute and network services.
 */
module dev.silo.daemon {
  requires static org.jspecify;
  requires dev.silo.api;
  requires dev.silo.hcs;
  requires dev.silo.hns;
  requires dev.silo.images;
  requires dev.silo.linux;
  requires org.apache.commons.compress;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires io.netty.codec.http;
  requires io.netty.codec;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires io.netty.buffer;
  requires io.netty.common;
  requires jdk.unsupported;

  exports dev.silo.daemon;

  opens dev.silo.daemon to
      info.picocli;
  opens dev.silo.daemon.docker to
      com.fasterxml.jackson.databind;
}
