package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RawHttp;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests with ambiguous framing are answered 400 and their connection closed, and nothing of
 * them reaches the backend. Each case is sent as raw bytes on a fresh connection.
 */
class HostileInputTest {
  static Vertx vertx;
  static RecordingBackend backend;
  static Gateway gateway;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    backend = RecordingBackend.start(vertx);
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        limits: { max-request-line: 1024, max-header-size: 2048, max-headers: 20, header-timeout: 1s }
        upstreams:
          - name: backend
            endpoints: [%s]
        routes:
          - name: all
            upstream: backend
        """.formatted(backend.address()))));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  @BeforeEach
  void clear() {
    backend.clear();
  }

  static final String CRLF = "\r\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Content-Length with Transfer-Encoding | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      Transfer-Encoding with Content-Length | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      differing duplicate Content-Length | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 5\\r\\n\\r\\nabcde | bad_framing
      equal duplicate Content-Length | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc | bad_framing
      Content-Length list | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3, 3\\r\\n\\r\\nabc | bad_framing
      signed Content-Length | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: +3\\r\\n\\r\\nabc | bad_framing
      malformed chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      chunk size with junk | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3x\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      negative chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      huge chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nffffffffffffffffff\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      chunk without CRLF | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabcXX0\\r\\n\\r\\n | bad_framing
      unknown transfer coding | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: xchunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      chunked then identity | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, identity\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      duplicate Transfer-Encoding | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      Transfer-Encoding in HTTP/1.0 | POST / HTTP/1.0\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_framing
      obs-fold with space | GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: 1\\r\\n continued\\r\\n\\r\\n | bad_framing
      obs-fold with tab | GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: 1\\r\\n\\tcontinued\\r\\n\\r\\n | bad_framing
      bare LF line ends | GET / HTTP/1.1\\nHost: a\\nX-A: 1\\n\\n | bad_request
      one bare LF | GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: 1\\nX-B: 2\\r\\n\\r\\n | bad_request
      bare CR | GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: 1\\rX-B: 2\\r\\n\\r\\n | bad_request
      space before colon | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding : chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | bad_request
      header without colon | GET / HTTP/1.1\\r\\nHost: a\\r\\nNoColon\\r\\n\\r\\n | bad_request
      NUL in a header value | GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: a\\0b\\r\\n\\r\\n | bad_request
      NUL in the request line | GET /a\\0b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n | bad_request
      """)
  void ambiguousFramingIsRefusedAndNeverForwarded(String name, String request, String error) {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), unescape(request), 3000);

    assertThat(exchange.status()).as(exchange.response()).isEqualTo(400);
    assertThat(new JsonObject(exchange.body()).getString("error")).isEqualTo(error);
    assertThat(exchange.closed()).isTrue();
    assertThat(backend.heads()).as("requests that reached the backend").isZero();
  }

  @Test
  void hostileRequestPipelinedBehindAGoodOneIsNotForwarded() {
    String good = "GET /good HTTP/1.1\r\nHost: a\r\n\r\n";
    String bad = "POST /bad HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), good + bad, 3000);

    assertThat(exchange.response()).startsWith("HTTP/1.1 200").contains("GET /good").contains("HTTP/1.1 400");
    assertThat(exchange.closed()).isTrue();
    assertThat(backend.received()).extracting(RecordingBackend.Received::uri).containsExactly("/good");
  }

  @Test
  void requestLineOverTheLimitIs414() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 3000);

    assertThat(exchange.status()).isEqualTo(414);
    assertThat(new JsonObject(exchange.body()).getString("error")).isEqualTo("uri_too_long");
    assertThat(exchange.closed()).isTrue();
  }

  @Test
  void headersOverTheLimitAre431() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n", 3000);

    assertThat(exchange.status()).isEqualTo(431);
    assertThat(new JsonObject(exchange.body()).getString("error")).isEqualTo("headers_too_large");
    assertThat(exchange.closed()).isTrue();
  }

  @Test
  void tooManyHeadersAre431() {
    StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 25; i++) {
      request.append("X-H").append(i).append(": v\r\n");
    }
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(), request.append("\r\n").toString(), 3000);

    assertThat(exchange.status()).isEqualTo(431);
    assertThat(new JsonObject(exchange.body()).getString("error")).isEqualTo("too_many_headers");
    assertThat(backend.heads()).isZero();
  }

  @Test
  void slowHeadIsCutAtTheDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      out.write("GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      boolean closed = false;
      // keep dribbling header bytes (which keeps an idle timeout from firing) until the server cuts us
      for (int i = 0; i < 40 && !closed; i++) {
        Thread.sleep(100);
        try {
          out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          socket.setSoTimeout(1);
          closed = socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
          // still open
        } catch (java.io.IOException e) {
          closed = true;
        }
      }
      assertThat(closed).as("connection closed by the head deadline").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(backend.heads()).isZero();
  }

  @Test
  void idleConnectionWithoutRequestIsClosedAtTheHeadDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(4000);
      long start = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
    }
  }

  @Test
  void headSplitAcrossManyWritesStillWorks() throws Exception {
    String request = "POST /split HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      OutputStream out = socket.getOutputStream();
      for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
        out.write(b);
        out.flush();
      }
      socket.setSoTimeout(2000);
      RawHttp.Exchange exchange = RawHttp.read(socket);
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.body()).isEqualTo("POST /split");
    }
    assertThat(backend.last().body().toString()).isEqualTo("hello");
  }

  @Test
  void chunkedRequestWithExtensionsAndTrailersIsForwarded() {
    RawHttp.Exchange exchange = RawHttp.send(gateway.port(),
        "POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n", 1500);

    assertThat(exchange.status()).isEqualTo(200);
    assertThat(backend.last().body().toString()).isEqualTo("abcde");
  }

  @Test
  void declinedUpgradeKeepsTheConnectionUsable() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /first HTTP/1.1\r\nHost: a\r\nUpgrade: something\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buffer = new byte[4096];
      int n = socket.getInputStream().read(buffer);
      assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("GET /first");
      out.write("GET /second HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      n = socket.getInputStream().read(buffer);
      assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("GET /second");
    }
    assertThat(backend.received()).extracting(RecordingBackend.Received::uri).containsExactly("/first", "/second");
  }

  static String unescape(String value) {
    return value.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0");
  }
}
