package io.portico.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateway API HTTPRoutes of a namespace become routes served through a real gateway. */
class HttpRouteGatewayTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void httpRoutesBecomeRoutes() {
    try (MockApiServer api = new MockApiServer(); TestBackend users = TestBackend.start(); TestBackend usersV2 = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            config:
              kubernetes: { master-url: %s, namespace: shop, trust-certs: true }
            """.formatted(api.url()))) {
      // Services expose port 80 (named http); their pods listen on the backends' ports
      api.client().services().inNamespace("shop").resource(service("users")).create();
      api.client().services().inNamespace("shop").resource(service("users-v2")).create();
      api.apply(MockApiServer.slice("shop", "users-1", "users", users.port(), true, "127.0.0.1"));
      api.apply(MockApiServer.slice("shop", "users-v2-1", "users-v2", usersV2.port(), true, "127.0.0.1"));
      assertThat(gateway.get("/users/1").status()).isEqualTo(404);

      // created: a prefix rule with a host, and an exact rule matching a header and a method
      routes(api).resource(httpRoute("/users", List.of(new Backend("users", 1)),
          new HTTPRouteRuleBuilder()
              .addNewMatch().withNewPath().withType("Exact").withValue("/whoami").endPath()
                .addNewHeader().withName("X-Env").withValue("prod").endHeader().withMethod("POST").endMatch()
              .addNewBackendRef().withName("users").withPort(80).endBackendRef()
              .build())).create();
      await().atMost(WAIT).until(() -> gateway.get("/users/1", "Host", "api.example.com").status() == 200);
      assertThat(users.requests().get(users.requestCount() - 1).uri()).isEqualTo("/users/1");
      assertThat(gateway.get("/users/1", "Host", "other.example.com").status()).isEqualTo(404);
      assertThat(gateway.request(HttpMethod.POST, "/whoami").header("Host", "api.example.com").header("X-Env", "prod").send().status())
          .isEqualTo(200);
      assertThat(gateway.request(HttpMethod.POST, "/whoami").header("Host", "api.example.com").send().status()).isEqualTo(404);
      assertThat(gateway.request(HttpMethod.GET, "/whoami").header("Host", "api.example.com").header("X-Env", "prod").send().status())
          .isEqualTo(404);

      // updated: the path changes and the requests are split 1:3 between two Services
      routes(api).resource(httpRoute("/accounts", List.of(new Backend("users", 1), new Backend("users-v2", 3)))).update();
      await().atMost(WAIT).until(() -> gateway.get("/users/1", "Host", "api.example.com").status() == 404
          && gateway.get("/accounts/1", "Host", "api.example.com").status() == 200);
      int before1 = users.requestCount();
      int before2 = usersV2.requestCount();
      for (int i = 0; i < 40; i++) {
        assertThat(gateway.get("/accounts/" + i, "Host", "api.example.com").status()).isEqualTo(200);
      }
      assertThat(users.requestCount() - before1 + usersV2.requestCount() - before2).isEqualTo(40);
      assertThat(users.requestCount() - before1).isBetween(6, 14); // 10 by the weights

      // the admin API does not write to this store
      assertThat(gateway.adminRequest(HttpMethod.PUT, "/admin/routes/x").body("{\"upstream\":\"users-80\"}").send().status())
          .isEqualTo(405);

      // deleted: nothing matches any more
      routes(api).withName("users").delete();
      await().atMost(WAIT).until(() -> gateway.get("/accounts/1", "Host", "api.example.com").status() == 404);
    }
  }

  @Test
  void ruleWithUnsupportedFilterIsLeftOut() {
    try (MockApiServer api = new MockApiServer(); TestBackend users = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            config:
              kubernetes: { master-url: %s, namespace: shop, trust-certs: true }
            """.formatted(api.url()))) {
      api.client().services().inNamespace("shop").resource(service("users")).create();
      api.apply(MockApiServer.slice("shop", "users-1", "users", users.port(), true, "127.0.0.1"));
      routes(api).resource(httpRoute("/users", List.of(new Backend("users", 1)),
          new HTTPRouteRuleBuilder()
              .addNewMatch().withNewPath().withType("PathPrefix").withValue("/old").endPath().endMatch()
              .addNewFilter().withType("RequestRedirect").withNewRequestRedirect().withStatusCode(301).endRequestRedirect().endFilter()
              .addNewBackendRef().withName("users").withPort(80).endBackendRef()
              .build())).create();
      await().atMost(WAIT).until(() -> gateway.get("/users/1", "Host", "api.example.com").status() == 200);
      assertThat(gateway.get("/old/1", "Host", "api.example.com").status()).isEqualTo(404);
      assertThat(gateway.admin("/admin/config").bodyAsString())
          .contains("httproute shop/users rule 1: filters are not supported (RequestRedirect)");
    }
  }

  private record Backend(String service, int weight) {}

  private static NonNamespaceOperation<HTTPRoute, KubernetesResourceList<HTTPRoute>, Resource<HTTPRoute>> routes(MockApiServer api) {
    return api.client().resources(HTTPRoute.class).inNamespace("shop");
  }

  private static HTTPRoute httpRoute(String prefix, List<Backend> backends, HTTPRouteRule... more) {
    HTTPRouteRuleBuilder rule = new HTTPRouteRuleBuilder()
        .addNewMatch().withNewPath().withType("PathPrefix").withValue(prefix).endPath().endMatch();
    for (Backend backend : backends) {
      rule.addNewBackendRef().withName(backend.service()).withPort(80).withWeight(backend.weight()).endBackendRef();
    }
    return new HTTPRouteBuilder()
        .withNewMetadata().withName("users").withNamespace("shop").endMetadata()
        .withNewSpec().withHostnames("api.example.com").addToRules(rule.build()).addToRules(more).endSpec()
        .build();
  }

  private static Service service(String name) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace("shop").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(80).withNewTargetPort("http").endPort().endSpec()
        .build();
  }
}
