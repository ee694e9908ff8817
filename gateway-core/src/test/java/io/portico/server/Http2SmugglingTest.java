package io.portico.server;

import static io.portico.testing.RawHttp2.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RawHttp2;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed HTTP/2 requests (RFC 9113 §8.1.1, §8.2.1, §8.2.2) are refused with a stream error
 * before they become exchanges, so nothing of them is re-framed into an HTTP/1.1 request to the
 * upstream: over h2c with prior knowledge, h2c after an upgrade, and h2 over TLS. Each case goes on
 * a fresh connection, followed by a clean request on the same connection that must still pass.
 */
class Http2SmugglingTest {
  static final String SMUGGLED = "GET /internal/secret HTTP/1.1\r\nHost: internal\r\n\r\n";

  static Vertx vertx;
  static RecordingBackend backend;
  static SelfSignedCertificate certificate;
  static Gateway plain;
  static Gateway tls;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    String routes = """
        upstreams:
          - { name: backend, endpoints: [%s] }
        routes:
          - { name: all, upstream: backend }
        """.formatted(backend.address());
    plain = Await.result(Gateway.start(vertx, Configs.load(dir, "listen: { host: 127.0.0.1, port: 0, instances: 1 }\n" + routes)));
    certificate = SelfSignedCertificate.create("localhost");
    tls = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1, tls: { cert: %s, key: %s } }
        """.formatted(certificate.certificatePath(), certificate.privateKeyPath()) + routes)));
  }

  @AfterAll
  static void stop() {
    Await.result(plain.shutdown(Duration.ofSeconds(1)));
    Await.result(tls.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
    certificate.delete();
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  enum Transport {
    PRIOR_KNOWLEDGE, UPGRADE, TLS;

    RawHttp2 open() {
      switch (this) {
        case PRIOR_KNOWLEDGE:
          return RawHttp2.priorKnowledge(plain.port());
        case UPGRADE:
          RawHttp2 client = RawHttp2.upgrade(plain.port(), "/upgrade");
          assertThat(client.await(1).status()).as("the upgrade request").isEqualTo(200);
          return client;
        default:
          return RawHttp2.tls(tls.port());
      }
    }

    String scheme() {
      return this == TLS ? "https" : "http";
    }
  }

  /** One malformed request: its fields and, when not {@code null}, a body sent as one DATA frame. */
  record Malformed(String name, List<String> fields, String body) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Malformed> malformed() {
    List<Malformed> cases = new ArrayList<>();
    // item 0: the bytes of names and values (RFC 9113 §8.2.1)
    cases.add(new Malformed("CR LF in a value", get("/evil", "x-a", "a\r\nContent-Length: 0\r\n\r\n" + SMUGGLED), null));
    cases.add(new Malformed("LF in a value", get("/evil", "x-a", "a\n" + SMUGGLED), null));
    cases.add(new Malformed("CR in a value", get("/evil", "x-a", "a\rb"), null));
    cases.add(new Malformed("NUL in a value", get("/evil", "x-a", "a\0b"), null));
    cases.add(new Malformed("CR LF in a name", get("/evil", "x-a\r\nx-b", "1"), null));
    cases.add(new Malformed("NUL in a name", get("/evil", "x-a\0", "1"), null));
    cases.add(new Malformed("space in a name", get("/evil", "x a", "1"), null));
    cases.add(new Malformed("colon in a name", get("/evil", "x:a", "1"), null));
    cases.add(new Malformed("empty name", get("/evil", "", "1"), null));
    cases.add(new Malformed("upper-case name", get("/evil", "X-A", "1"), null));
    cases.add(new Malformed("leading space in a value", get("/evil", "x-a", " a"), null));
    cases.add(new Malformed("trailing tab in a value", get("/evil", "x-a", "a\t"), null));
    cases.add(new Malformed("CR LF in :path", List.of(":method", "GET", ":scheme", "http",
        ":path", "/evil HTTP/1.1\r\nHost: a\r\n\r\n" + SMUGGLED, ":authority", "127.0.0.1"), null));
    cases.add(new Malformed("space in :path", List.of(":method", "GET", ":scheme", "http",
        ":path", "/evil HTTP/1.1", ":authority", "127.0.0.1"), null));
    cases.add(new Malformed("CR LF in :authority", List.of(":method", "GET", ":scheme", "http",
        ":path", "/evil", ":authority", "a\r\nx-b: 1"), null));
    cases.add(new Malformed(":method not a token", List.of(":method", "GET /internal/secret", ":scheme", "http",
        ":path", "/evil", ":authority", "127.0.0.1"), null));
    // item 4: the H2.CL / H2.TE family and connection-specific fields (RFC 9113 §8.1.1, §8.2.2, §8.3)
    cases.add(new Malformed("transfer-encoding", post("transfer-encoding", "chunked"), "0\r\n\r\n" + SMUGGLED));
    cases.add(new Malformed("connection", get("/evil", "connection", "keep-alive"), null));
    cases.add(new Malformed("keep-alive", get("/evil", "keep-alive", "timeout=5"), null));
    cases.add(new Malformed("proxy-connection", get("/evil", "proxy-connection", "keep-alive"), null));
    cases.add(new Malformed("upgrade", get("/evil", "upgrade", "websocket"), null));
    cases.add(new Malformed("te other than trailers", get("/evil", "te", "gzip"), null));
    cases.add(new Malformed("pseudo-header after a regular field", List.of(":method", "GET", ":scheme", "http",
        "x-a", "1", ":path", "/evil", ":authority", "127.0.0.1"), null));
    cases.add(new Malformed("unknown pseudo-header", get("/evil", ":evil", "1"), null));
    cases.add(new Malformed("content-length above the DATA", post("content-length", "100"), "0123456789"));
    cases.add(new Malformed("content-length below the DATA", post("content-length", "1"), "0123456789" + SMUGGLED));
    cases.add(new Malformed("two content-lengths", post("content-length", "5", "content-length", "50"), "01234"));
    cases.add(new Malformed("host and :authority differ", get("/evil", "host", "internal"), null));
    // item 1 over HTTP/2: the authority follows the Host rules (400 bad_host)
    cases.add(new Malformed(":authority with userinfo", List.of(":method", "GET", ":scheme", "http",
        ":path", "/evil", ":authority", "user@internal"), null));
    cases.add(new Malformed(":authority with a bad port", List.of(":method", "GET", ":scheme", "http",
        ":path", "/evil", ":authority", "internal:99999"), null));
    cases.add(new Malformed("no :authority nor host", List.of(":method", "GET", ":scheme", "http",
        ":path", "/evil"), null));
    return cases;
  }

  static List<String> post(String... extra) {
    List<String> fields = new ArrayList<>(List.of(":method", "POST", ":scheme", "http", ":path", "/evil",
        ":authority", "127.0.0.1"));
    fields.addAll(List.of(extra));
    return fields;
  }

  static Stream<Arguments> cases() {
    return Stream.of(Transport.values())
        .flatMap(transport -> malformed().stream().map(m -> Arguments.of(transport, m)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void malformedRequestIsRefusedAndNeverForwarded(Transport transport, Malformed request) {
    try (RawHttp2 client = transport.open()) {
      List<String> fields = new ArrayList<>(request.fields());
      fields.set(3, transport.scheme());
      client.headers(3, request.body() == null, fields);
      if (request.body() != null) {
        client.data(3, true, request.body());
      }
      RawHttp2.Outcome outcome = client.await(3);

      assertThat(outcome.refused()).as("%s", outcome).isTrue();
      if (outcome.reset() && request.body() == null) {
        // a stream error leaves the connection usable (a block the HPACK decoder refuses never
        // opens its stream, so DATA sent after it is a connection error: not checked then)
        List<String> control = get("/control");
        control.set(3, transport.scheme());
        client.headers(5, true, control);
        RawHttp2.Outcome after = client.await(5);
        assertThat(after.status()).as("the next request on the connection: %s", after).isEqualTo(200);
      }
    }
    assertThat(backend.received()).extracting(RecordingBackend.Received::uri)
        .as("what the backend received").doesNotContain("/evil", "/internal/secret")
        .allMatch(uri -> uri.equals("/control") || uri.equals("/upgrade"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Transport.class)
  void smuggledRequestAfterAZeroContentLengthNeverReachesTheBackend(Transport transport) {
    try (RawHttp2 client = transport.open()) {
      List<String> fields = post("content-length", "0");
      fields.set(3, transport.scheme());
      client.headers(3, false, fields).data(3, true, SMUGGLED);
      RawHttp2.Outcome outcome = client.await(3);

      assertThat(outcome.status()).as("%s", outcome).isNotEqualTo(200);
    }
    // the head may have gone on (it said it had no body); the DATA never does
    assertThat(backend.received()).extracting(RecordingBackend.Received::uri).doesNotContain("/internal/secret");
    assertThat(backend.received()).allMatch(r -> r.body().length() == 0);
  }

  @Test
  void wellFormedRequestsStillPass() {
    for (Transport transport : Transport.values()) {
      try (RawHttp2 client = transport.open()) {
        List<String> fields = get("/fine", "x-a", "a b\tc", "te", "trailers", "accept", "*/*");
        fields.set(3, transport.scheme());
        client.headers(3, true, fields);
        RawHttp2.Outcome outcome = client.await(3);
        assertThat(outcome.status()).as("%s %s", transport, outcome).isEqualTo(200);
        assertThat(outcome.body()).isEqualTo("GET /fine");
      }
    }
    assertThat(backend.received()).filteredOn(r -> r.uri().equals("/fine")).hasSize(3)
        .allMatch(r -> "a b\tc".equals(r.header("x-a")));
  }
}
