package io.portico.plugins.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upgrade request of a WebSocket goes through the route's plugins: no token, no tunnel. */
class JwtWebSocketTest {
  Vertx vertx;
  Idp idp;
  HttpServer backend;
  final List<String> users = new CopyOnWriteArrayList<>();
  TestGateway gateway;
  WebSocketClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    idp = new Idp();
    backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).webSocketHandler(socket -> {
      users.add(String.valueOf(socket.headers().get("X-User-Id")));
      socket.textMessageHandler(text -> socket.writeTextMessage("echo:" + text));
    });
    await(backend.listen());
    gateway = TestGateway.start("""
        upstreams: [{ name: sockets, endpoints: [127.0.0.1:%d] }]
        routes:
          - name: live
            match: { path-prefix: /live }
            upstream: sockets
            plugins:
              jwt-auth: { issuer: %s, audiences: [users], jwks-uri: %s, claims-to-headers: { sub: X-User-Id } }
        """.formatted(backend.actualPort(), Idp.ISSUER, idp.jwksUri()));
    client = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    idp.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  WebSocketConnectOptions upgrade(String token) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
        .setURI("/live/feed");
    return token == null ? options : options.addHeader("Authorization", "Bearer " + token);
  }

  @Test
  void anUpgradeWithoutATokenIsRefusedBeforeReachingTheUpstream() {
    Future<WebSocket> attempt = client.connect(upgrade(null));

    Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> await(attempt));

    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(401);
    assertThat(users).isEmpty();
  }

  @Test
  void anUpgradeWithAValidTokenOpensATunnelWithTheClaimsAsHeaders() throws Exception {
    Promise<String> echoed = Promise.promise();
    // the message goes as the socket opens, as a browser's would: it can reach the gateway before the
    // gateway's framing guard has seen its own 101 go out, and the echo must come back all the same
    WebSocket socket = await(client.connect(upgrade(idp.token("alice", c -> { }))).onSuccess(opened -> {
      opened.textMessageHandler(echoed::tryComplete);
      opened.writeTextMessage("hello");
    }));

    assertThat(await(echoed.future())).isEqualTo("echo:hello");
    assertThat(users).containsExactly("alice");
    await(socket.close());
  }
}
