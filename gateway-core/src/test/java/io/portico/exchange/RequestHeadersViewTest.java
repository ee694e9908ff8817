package io.portico.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.upstream.HeaderPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RequestHeadersViewTest {
  private static final List<String> NAMES = List.of(
      "Authorization", "authorization", "Cookie", "X-Custom", "x-hop", "X-Hop", "Keep-Alive", "TE",
      "Connection", "Upgrade", "X-Forwarded-For", "x-forwarded-proto", "Forwarded", "X-Request-Id",
      "Host", "Content-Length", "Expect", "Proxy-Authorization", "Absent", "");

  private static MultiMap client() {
    return HttpHeaders.headers()
        .add("Host", "api.test")
        .add("Authorization", "Bearer abc.def.ghi")
        .add("Cookie", "a=1")
        .add("cookie", "b=2")
        .add("Connection", "keep-alive, X-Hop")
        .add("X-Hop", "dropped")
        .add("Keep-Alive", "timeout=5")
        .add("TE", "trailers")
        .add("X-Custom", "one")
        .add("X-Forwarded-For", "203.0.113.9")
        .add("X-Request-Id", "from-client")
        .add("Content-Length", "0")
        .add("Expect", "100-continue");
  }

  private static Consumer<MultiMap> filter(MultiMap client) {
    return target -> {
      HeaderPolicy.copyRequestHeaders(client, target, false);
      HeaderPolicy.setForwarding(client, target, false, "192.0.2.1", "http", "api.test", "id-1");
    };
  }

  private static MultiMap upstream(MultiMap client) {
    MultiMap target = HttpHeaders.headers();
    filter(client).accept(target);
    return target;
  }

  @Test
  void everyReadAnswersWhatTheUpstreamGets() {
    MultiMap client = client();
    MultiMap expected = upstream(client);
    for (String name : NAMES) {
      assertThat(new RequestHeadersView(client, filter(client)).get(name)).as(name).isEqualTo(expected.get(name));
      assertThat(new RequestHeadersView(client, filter(client)).get((CharSequence) name)).as(name).isEqualTo(expected.get(name));
      assertThat(new RequestHeadersView(client, filter(client)).getAll(name)).as(name).isEqualTo(expected.getAll(name));
      assertThat(new RequestHeadersView(client, filter(client)).contains(name)).as(name).isEqualTo(expected.contains(name));
      assertThat(new RequestHeadersView(client, filter(client)).contains(name, "b=2", true))
          .as(name).isEqualTo(expected.contains(name, "b=2", true));
    }
  }

  @Test
  void readingAHeaderForwardedAsSentCopiesNothing() {
    MultiMap client = client();
    RequestHeadersView view = new RequestHeadersView(client, filter(client));
    assertThat(view.get("authorization")).isEqualTo("Bearer abc.def.ghi");
    assertThat(view.getAll("Cookie")).containsExactly("a=1", "b=2");
    assertThat(view.contains("X-Custom")).isTrue();
    assertThat(view.get("Absent")).isNull();
    assertThat(view.madeOrNull()).isNull();
  }

  @Test
  void readingANameTheGatewayChangesMakesTheUpstreamHeaders() {
    for (String name : List.of("x-hop", "X-Forwarded-For", "X-Request-Id", "Host", "Keep-Alive", "Content-Length")) {
      MultiMap client = client();
      RequestHeadersView view = new RequestHeadersView(client, filter(client));
      view.get(name);
      assertThat(view.madeOrNull()).as(name).isNotNull();
    }
    MultiMap client = client();
    RequestHeadersView view = new RequestHeadersView(client, filter(client));
    assertThat(view.get("X-Hop")).isNull(); // named by Connection: hop-by-hop for this request
    assertThat(view.get("X-Request-Id")).isEqualTo("id-1");
  }

  @Test
  void editsGoToTheUpstreamHeadersAndLeaveTheClientsAlone() {
    MultiMap client = client();
    RequestHeadersView view = new RequestHeadersView(client, filter(client));
    view.set("X-Custom", "two").add("X-Added", "yes").remove("Cookie");
    assertThat(view.get("X-Custom")).isEqualTo("two");
    assertThat(view.get("Cookie")).isNull();
    assertThat(view.madeOrNull().get("X-Added")).isEqualTo("yes");
    assertThat(client.get("X-Custom")).isEqualTo("one");
    assertThat(client.getAll("Cookie")).hasSize(2);
  }

  @Test
  void iterationSeesTheUpstreamHeadersInOrder() {
    MultiMap client = client();
    RequestHeadersView view = new RequestHeadersView(client, filter(client));
    assertThat(view.entries()).hasToString(upstream(client).entries().toString());
    assertThat(view.size()).isEqualTo(upstream(client).size());
    assertThat(view.names()).isEqualTo(upstream(client).names());
  }
}
