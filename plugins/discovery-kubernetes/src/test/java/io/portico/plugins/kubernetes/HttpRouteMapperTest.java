package io.portico.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The mapping of an HTTPRoute's rules, matches and backendRefs to routes and upstreams. */
class HttpRouteMapperTest {

  @Test
  void everyMatchBecomesARouteAndEveryServicePortAnUpstream() {
    HTTPRoute route = new HTTPRouteBuilder()
        .withNewMetadata().withName("shop").withNamespace("ns").endMetadata()
        .withNewSpec().withHostnames("shop.example.com", "*.shop.example.com")
        .addToRules(new HTTPRouteRuleBuilder()
            .addNewMatch().withNewPath().withType("RegularExpression").withValue("^/v[0-9]+/").endPath()
              .addNewQueryParam().withName("debug").withValue("1").endQueryParam().endMatch()
            .addNewMatch().withNewPath().withType("Exact").withValue("/cart").endPath().withMethod("GET").endMatch()
            .addNewBackendRef().withName("cart").withPort(80).withWeight(9).endBackendRef()
            .addNewBackendRef().withName("cart-next").withPort(8080).withWeight(1).endBackendRef()
            .addNewBackendRef().withName("cart-old").withPort(80).withWeight(0).endBackendRef()
            .build())
        .addToRules(new HTTPRouteRuleBuilder() // no match: every path
            .addNewBackendRef().withName("web").withPort(80).endBackendRef()
            .build())
        .addToRules(new HTTPRouteRuleBuilder()
            .addNewMatch().withNewPath().withValue("/bucket").endPath().endMatch()
            .addNewBackendRef().withGroup("example.com").withKind("Bucket").withName("b").withPort(80).endBackendRef()
            .build())
        .endSpec().build();

    HttpRouteMapper.Mapped mapped = HttpRouteMapper.map(route, (service, port) -> "cart".equals(service) ? "http" : null);

    assertThat(mapped.routes()).containsOnlyKeys("shop-0-0", "shop-0-1", "shop-1-0");
    assertThat(mapped.routes().get("shop-0-0")).isEqualTo(new JsonObject("""
        {"match":{"hosts":["shop.example.com","*.shop.example.com"],"path-regex":"^/v[0-9]+/","query":{"debug":"1"}},
         "split":[{"upstream":"cart-80","weight":9},{"upstream":"cart-next-8080","weight":1}]}"""));
    assertThat(mapped.routes().get("shop-0-1").getJsonObject("match").getString("path")).isEqualTo("/cart");
    assertThat(mapped.routes().get("shop-0-1").getJsonObject("match").getJsonArray("methods")).containsExactly("GET");
    assertThat(mapped.routes().get("shop-1-0")).isEqualTo(new JsonObject("""
        {"match":{"hosts":["shop.example.com","*.shop.example.com"],"path-prefix":"/"},"upstream":"web-80"}"""));
    assertThat(mapped.upstreams()).containsOnlyKeys("cart-80", "cart-next-8080", "web-80");
    assertThat(mapped.upstreams().get("cart-80")).isEqualTo(new JsonObject("""
        {"discovery":{"type":"kubernetes","service":"cart","port":"http","namespace":"ns"}}"""));
    assertThat(mapped.upstreams().get("web-80").getJsonObject("discovery").getString("port")).isEqualTo("80");
    assertThat(mapped.skipped()).containsExactly("rule 2: backendRef b is not a Service (example.com/Bucket)");
  }
}
