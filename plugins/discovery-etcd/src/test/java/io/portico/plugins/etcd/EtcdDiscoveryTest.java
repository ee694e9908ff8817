package io.portico.plugins.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.portico.spi.Endpoint;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration and discovery against a real etcd. */
class EtcdDiscoveryTest {
  EtcdProcess etcd;
  EtcdRegistrar registrar;
  final AtomicReference<EndpointSnapshot> latest = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    etcd = new EtcdProcess();
    registrar = EtcdRegistrar.connect(List.of(etcd.url()), "/portico/");
  }

  @AfterEach
  void stop() throws Exception {
    etcd.close();
  }

  private EndpointSource follow(String service) {
    EndpointSource source = new EtcdDiscoveryFactory().create(new EtcdSettings(List.of(etcd.url()), "/portico/"),
        new EtcdUpstream(service), null);
    source.start(latest::set);
    return source;
  }

  private List<String> addresses() {
    EndpointSnapshot s = latest.get();
    return s == null ? List.of() : s.endpoints().stream().map(Endpoint::address).sorted().toList();
  }

  @Test
  void registeredInstancesAppearAndLeaveWhenRevokedOrExpired() throws Exception {
    EndpointSource source = follow("users");
    try (var one = registrar.register("users", "u1", "10.0.0.1:8080", 1, Duration.ofSeconds(10))) {
      var two = registrar.register("users", "u2", "10.0.0.2:8080", 3, Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> addresses().equals(List.of("10.0.0.1:8080", "10.0.0.2:8080")));
      assertThat(latest.get().endpoints()).anySatisfy(e -> assertThat(e.weight()).isEqualTo(3));
      assertThat(Long.parseLong(latest.get().version())).isPositive();

      two.abandon(); // stops heartbeating, as a crashed instance would: the lease expires
      await().atMost(Duration.ofSeconds(15)).until(() -> addresses().equals(List.of("10.0.0.1:8080")));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> addresses().isEmpty()); // closed: revoked at once
    source.close();
  }

  @Test
  void aBadValueIsSkippedAndTheOthersApply() throws Exception {
    EndpointSource source = follow("users");
    Client client = EtcdClients.of(List.of(etcd.url()));
    client.getKVClient().put(EtcdClients.bytes("/portico/services/users/bad"), EtcdClients.bytes("{not json")).get();
    registrar.register("users", "good", "10.0.0.9:80", 1, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> addresses().equals(List.of("10.0.0.9:80")));
    source.close();
  }

  @Test
  void lastEndpointsServeWhileEtcdIsDownAndChangesFlowWhenItReturns() throws Exception {
    EndpointSource source = follow("users");
    registrar.register("users", "u1", "10.0.0.1:8080", 1, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> addresses().equals(List.of("10.0.0.1:8080")));
    etcd.stop();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> addresses().equals(List.of("10.0.0.1:8080")));
    etcd.start(); // same data dir: the registration (and its lease) is still there
    registrar.register("users", "u3", "10.0.0.3:8080", 1, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(30)).until(() -> addresses().contains("10.0.0.3:8080"));
    source.close();
  }

  @Test
  void theGatewayRoutesToRegisteredInstancesOnlyWhileTheyLive() throws Exception {
    try (TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            discovery: { etcd: { endpoints: [%s] } }
            upstreams: [{ name: users, discovery: { type: etcd, service: users } }]
            routes: [{ name: users, match: { path-prefix: /users }, upstream: users }]
            """.formatted(etcd.url()))) {
      assertThat(gateway.get("/users/1").status()).isEqualTo(503);
      long[] micros = new long[20];
      for (int i = 0; i < micros.length; i++) {
        long start = System.nanoTime();
        EtcdRegistrar.Registration registration = registrar.register("users", "b" + i, backend.address(), 1, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> gateway.get("/users/x").status() == 200);
        micros[i] = (System.nanoTime() - start) / 1000;
        registration.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/users/x").status() == 503);
      }
      Arrays.sort(micros);
      System.out.printf("etcd registration -> first request served, %d times: p50 %.1f ms, max %.1f ms%n",
          micros.length, micros[micros.length / 2] / 1000.0, micros[micros.length - 1] / 1000.0);
    }
  }

  @Test
  void theRegisterCommandHoldsTheRegistrationUntilStopped() throws Exception {
    EndpointSource source = follow("billing");
    RegisterCommand command = new RegisterCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
      try {
        return command.run(List.of("--service", "billing", "--address", "127.0.0.1:9100", "--ttl", "5s", "--etcd", etcd.url()),
            new PrintStream(out, true), System.err);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> addresses().equals(List.of("127.0.0.1:9100")));
    command.stop();
    assertThat(exit.get()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> addresses().isEmpty());
    assertThat(out.toString()).contains("registered /portico/services/billing/127.0.0.1-9100").contains("deregistered");
    source.close();
  }
}
