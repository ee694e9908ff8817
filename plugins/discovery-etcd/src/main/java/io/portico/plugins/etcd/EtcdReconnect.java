package io.portico.plugins.etcd;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a jetcd client's channel try to connect again now. While etcd is unreachable, gRPC
 * spaces its reconnects by a backoff of 1 s growing 1.6 times up to 120 s, and the client's calls
 * wait for the channel to be ready; after 30 s of etcd being down, the next reconnect came up to
 * 10 s after etcd was back. The followers call this while they are cut off, so a returning etcd
 * is noticed within one of their retry ticks. A connect refused on loopback or a LAN costs next to
 * nothing.
 *
 * <p>jetcd does not expose its channel, so it is reached by reflection; if that ever fails (a
 * jetcd upgrade), this does nothing and gRPC's own backoff applies, as before.
 */
final class EtcdReconnect {
  private static final Logger log = LoggerFactory.getLogger(EtcdReconnect.class);
  private static volatile boolean unsupported;

  private EtcdReconnect() {}

  static void now(Client client) {
    if (unsupported) {
      return;
    }
    try {
      Field manager = client.getClass().getDeclaredField("connectionManager");
      manager.setAccessible(true);
      Object connections = manager.get(client);
      Method channel = connections.getClass().getDeclaredMethod("getChannel");
      channel.setAccessible(true);
      ((ManagedChannel) channel.invoke(connections)).resetConnectBackoff();
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsupported = true;
      log.info("cannot shorten the etcd client's reconnect backoff ({}); gRPC's own backoff applies", e.toString());
    }
  }
}
