package io.portico.testkit;

import io.portico.PorticoServer;
import io.portico.config.AdminConfig;
import io.portico.config.GatewayConfig;
import io.portico.config.ListenConfig;
import io.portico.config.ValidatedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Portico gateway in the test's JVM, started from a YAML string, on free loopback ports.
 * Plugins on the test classpath are found through their {@code META-INF/services} files.
 *
 * <pre>{@code
 * try (TestBackend backend = TestBackend.start();
 *      TestGateway gateway = TestGateway.start("""
 *          upstreams: [{ name: b, endpoints: [%s] }]
 *          routes: [{ name: r, match: { path-prefix: / }, upstream: b, plugins: { my-plugin: {} } }]
 *          """.formatted(backend.address()))) {
 *   assertThat(gateway.get("/hello", "X-Api-Key", "k1").status()).isEqualTo(200);
 *
 *   // any method, with headers and a body
 *   TestResponse created = gateway.request(HttpMethod.POST, "/orders")
 *       .header("Content-Type", "application/json")
 *       .body("{\"id\":1}")
 *       .send();
 *   assertThat(created.status()).isEqualTo(200);
 *   assertThat(backend.requestCount()).isEqualTo(2);        // what reached the upstream
 *   assertThat(backend.requests().get(1).body().toString()).isEqualTo("{\"id\":1}");
 *
 *   // a new config, applied as a file edit would be (fails the test when it is rejected)
 *   gateway.reload("""
 *       upstreams: [{ name: b, endpoints: [%s] }]
 *       routes: [{ name: r, match: { path-prefix: / }, upstream: b }]
 *       """.formatted(backend.address()));
 * }
 * }</pre>
 *
 * <p>Each request waits for the whole answer (30 s at most). {@link #admin(String)} reads the
 * admin API ({@code /admin/routes}, {@code /admin/plugins}, {@code /metrics}).
 */
public final class TestGateway implements AutoCloseable {
  private final Path dir;
  private final Path file;
  private final PorticoServer server;
  private final HttpClient client;

  private TestGateway(Path dir, Path file, PorticoServer server) {
    this.dir = dir;
    this.file = file;
    this.server = server;
    // enough connections for tests that send many requests at once
    this.client = server.vertx().createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(128));
  }

  /** Starts a gateway on {@code yaml}; its listen and admin ports are replaced by free ones. */
  public static TestGateway start(String yaml) {
    return start(yaml, dir -> {});
  }

  /** Files the config refers to, written into the config's folder before the gateway starts. */
  @FunctionalInterface
  public interface ConfigFiles {
    void write(Path configDir) throws IOException;
  }

  /**
   * Starts a gateway on {@code yaml} after {@code files} wrote what the config refers to (keys,
   * certificates) into the config's folder.
   */
  public static TestGateway start(String yaml, ConfigFiles files) {
    try {
      Path dir = Files.createTempDirectory("portico-test");
      files.write(dir);
      Path file = dir.resolve("gateway.yaml");
      Files.writeString(file, yaml);
      PorticoServer server = Blocking.await(PorticoServer.builder().config(file).adjust(TestGateway::onFreePorts).start());
      return new TestGateway(dir, file, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ValidatedConfig onFreePorts(ValidatedConfig config) {
    GatewayConfig g = config.gateway();
    ListenConfig listen = new ListenConfig("127.0.0.1", 0, g.listen().tls(), g.listen().instances());
    AdminConfig admin = new AdminConfig("127.0.0.1", 0, g.admin().token());
    GatewayConfig adjusted = new GatewayConfig(listen, admin, g.config(), g.discovery(), g.trustedProxies(),
        g.pluginsDir(), g.limits(), g.drainTimeout(), g.upstreams(), g.routes(), g.plugins(), g.overload());
    return config.withGateway(adjusted);
  }

  public int port() {
    return server.port();
  }

  public int adminPort() {
    return server.adminPort();
  }

  /** The running server, for what the kit does not wrap. */
  public PorticoServer server() {
    return server;
  }

  /** The folder holding the config file; put files the config refers to here. */
  public Path configDir() {
    return dir;
  }

  /** A GET; {@code headers} alternate names and values. */
  public TestResponse get(String path, String... headers) {
    TestRequest request = request(HttpMethod.GET, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request.send();
  }

  /** A POST of {@code body}; {@code headers} alternate names and values. */
  public TestResponse post(String path, String body, String... headers) {
    TestRequest request = request(HttpMethod.POST, path).body(body);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request.send();
  }

  /** A request of any method to build ({@link TestRequest#header}, {@link TestRequest#body}) and {@link TestRequest#send() send}. */
  public TestRequest request(HttpMethod method, String path) {
    return new TestRequest(client, port(), method, path);
  }

  /** A GET on the admin port. */
  public TestResponse admin(String path) {
    return new TestRequest(client, adminPort(), HttpMethod.GET, path).send();
  }

  /** A request to the admin port, to build and {@link TestRequest#send() send}. */
  public TestRequest adminRequest(HttpMethod method, String path) {
    return new TestRequest(client, adminPort(), method, path);
  }

  /** Replaces the config file and reloads it; fails when the new config is rejected. */
  public void reload(String yaml) {
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Blocking.await(server.reload());
  }

  @Override
  public void close() {
    Blocking.await(client.close());
    Blocking.await(server.stop());
  }
}
