package io.portico.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.server.Gateway;
import io.portico.spi.Endpoint;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.DnsTestServer;
import io.portico.testing.Http;
import io.portico.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host names resolve asynchronously: a DNS server that takes 2 s to answer never stalls the
 * event loop, and {@code discovery: {type: dns}} follows record changes.
 */
class DnsResolutionTest {
  /** The build disables Vert.x's DNS resolver for tests that need none; these do need it. */
  private static final String DISABLE = "vertx.disableDnsResolver";

  @TempDir
  Path dir;
  DnsTestServer dns;
  Vertx vertx;
  RecordingBackend backend;
  String disabled;

  @BeforeEach
  void start() throws Exception {
    dns = new DnsTestServer();
    disabled = System.clearProperty(DISABLE);
    Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
    vertx = Vertx.vertx(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
        .setServers(List.of(dns.address()))
        .setHostsPath(hosts.toString())
        .setSearchDomains(List.of())
        .setNdots(1)
        .setQueryTimeout(10_000)));
    backend = RecordingBackend.start(vertx);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
    dns.close();
    if (disabled != null) {
      System.setProperty(DISABLE, disabled);
    }
  }

  @Test
  void aSlowDnsAnswerNeverStallsTheEventLoop() {
    dns.set("slow.test", "127.0.0.1");
    dns.delay("slow.test", 2000);
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: slow, endpoints: ["slow.test:%d"], connect-timeout: 10s }
          - { name: fast, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: slow, match: { path-prefix: /slow }, upstream: slow, timeout: 20s }
          - { name: fast, upstream: fast }
        """.formatted(backend.port(), backend.port()))));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()), new PoolOptions().setHttp1MaxSize(4));

    long slowStart = System.nanoTime();
    Future<Integer> slow = client.request(HttpMethod.GET, "/slow")
        .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode())));
    await().atMost(Duration.ofSeconds(5)).until(() -> dns.queries() > 0);

    // meanwhile, on the same (only) event loop, other routes answer at their normal pace
    long worst = 0;
    int fastAnswers = 0;
    while (!slow.isComplete() && System.nanoTime() - slowStart < Duration.ofMillis(1500).toNanos()) {
      long start = System.nanoTime();
      assertThat(Http.send(client, new RequestOptions().setURI("/fast")).status()).isEqualTo(200);
      worst = Math.max(worst, System.nanoTime() - start);
      fastAnswers++;
    }

    assertThat(fastAnswers).isGreaterThan(3);
    assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofMillis(500));
    assertThat(Await.result(slow, 30)).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - slowStart)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void dnsDiscoveryFollowsRecordChanges() {
    dns.set("partners.test", "127.0.0.1");
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: partners
            discovery: { type: dns, name: partners.test, port: %d, refresh: 300ms }
        routes:
          - { name: partners, upstream: partners }
        """.formatted(backend.port()))));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()));

    await().atMost(Duration.ofSeconds(5)).until(() -> hosts(gateway).equals(List.of("127.0.0.1")));
    assertThat(Http.send(client, new RequestOptions().setURI("/")).status()).isEqualTo(200);

    // an address added (never connected to: the test only checks that the set follows DNS)
    dns.set("partners.test", "127.0.0.1", "127.0.0.2");
    await().atMost(Duration.ofSeconds(5)).until(() -> hosts(gateway).equals(List.of("127.0.0.1", "127.0.0.2")));

    dns.set("partners.test", "127.0.0.1");
    await().atMost(Duration.ofSeconds(5)).until(() -> hosts(gateway).equals(List.of("127.0.0.1")));
    assertThat(Http.send(client, new RequestOptions().setURI("/")).status()).isEqualTo(200);

    // a failing resolver keeps the last good set
    dns.delay("partners.test", 0);
    int before = dns.queries();
    dns.set("other.test", "127.0.0.9");
    dnsForget("partners.test");
    await().atMost(Duration.ofSeconds(5)).until(() -> dns.queries() > before + 2);
    assertThat(hosts(gateway)).containsExactly("127.0.0.1");
    assertThat(Http.send(client, new RequestOptions().setURI("/")).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.upstream("partners").endpointsVersion().contains("resolution failing"));

    // and recovers
    dns.set("partners.test", "127.0.0.1");
    await().atMost(Duration.ofSeconds(5)).until(() -> !gateway.upstream("partners").endpointsVersion().contains("failing"));
    assertThat(hosts(gateway)).containsExactly("127.0.0.1");
  }

  private void dnsForget(String name) {
    dns.remove(name);
  }

  private static List<String> hosts(Gateway gateway) {
    return gateway.upstream("partners").endpoints().stream().map(Endpoint::host).sorted().toList();
  }
}
