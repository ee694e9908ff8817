package io.portico.plugins.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin status page rendered by a real headless Chromium, after its script ran. */
class StatusPageTest {
  @TempDir
  Path profile;

  static Optional<String> chromium() {
    return Stream.of("chromium", "chromium-browser", "google-chrome")
        .filter(name -> Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, name))))
        .findFirst();
  }

  @Test
  void showsRoutesUpstreamsAndLiveFigures() throws Exception {
    Optional<String> browser = chromium();
    assumeTrue(browser.isPresent(), "Chromium is not installed (Debian package chromium)");
    try (TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            upstreams: [{ name: shop, endpoints: [%s] }]
            routes:
              - { name: orders, match: { path-prefix: /orders }, upstream: shop }
            plugins: { metrics: {} }
            """.formatted(backend.address()))) {
      for (int i = 0; i < 20; i++) {
        assertThat(gateway.get("/orders/" + i).status()).isEqualTo(200);
      }
      JsonObject stats = gateway.admin("/admin/stats").json();
      assertThat(stats.getJsonArray("routes").getJsonObject(0).getLong("requests_total")).isEqualTo(20);
      JsonObject route = stats.getJsonArray("routes").getJsonObject(0);
      assertThat(route.getDouble("p50_ms")).isPositive().isLessThanOrEqualTo(route.getDouble("p99_ms"));

      Process chrome = new ProcessBuilder(browser.get(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
          "http://127.0.0.1:" + gateway.adminPort() + "/admin/")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String dom = new String(chrome.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(chrome.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(dom).contains("data-rendered=\"true\"");
      assertThat(dom).contains("id=\"route-orders\"");
      assertThat(dom).contains(backend.address());
      Matcher rate = Pattern.compile("id=\"route-orders\">.*?class=\"num rate\">([0-9.]+)<", Pattern.DOTALL).matcher(dom);
      assertThat(rate.find()).as(dom).isTrue();
      assertThat(Double.parseDouble(rate.group(1))).isPositive();
    }
  }

  /**
   * With no {@code metrics} block at all (statistics are on by default), after a known number of
   * requests the page's numbers are {@code /admin/stats}'s, endpoint states and the config are
   * shown, and a screenshot of the page is kept in {@code target/status-page.png}.
   */
  @Test
  void showsTheNumbersOfAdminStatsWithNoMetricsConfigured() throws Exception {
    Optional<String> browser = chromium();
    assumeTrue(browser.isPresent(), "Chromium is not installed (Debian package chromium)");
    try (TestBackend one = TestBackend.start();
        TestBackend two = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            upstreams: [{ name: shop, endpoints: [%s, %s] }]
            routes:
              - { name: orders, match: { path-prefix: /orders }, upstream: shop }
            """.formatted(one.address(), two.address()))) {
      for (int i = 0; i < 100; i++) {
        assertThat(gateway.get("/orders/" + i).status()).isEqualTo(200);
      }
      JsonObject route = gateway.admin("/admin/stats").json().getJsonArray("routes").getJsonObject(0);
      assertThat(route.getString("route")).isEqualTo("orders");
      assertThat(route.getLong("requests_total")).isEqualTo(100);
      JsonObject upstream = gateway.admin("/admin/upstreams").json().getJsonArray("upstreams").getJsonObject(0);
      long tries = upstream.getJsonArray("endpoints").stream().mapToLong(e -> ((JsonObject) e).getLong("tries_total")).sum();
      assertThat(tries).isEqualTo(100);

      String dom = chrome(browser.get(), gateway, "--dump-dom");
      assertThat(dom).contains("data-rendered=\"true\"");
      Matcher total = Pattern.compile("id=\"route-orders\">.*?class=\"num total\">([0-9]+)<", Pattern.DOTALL).matcher(dom);
      assertThat(total.find()).as(dom).isTrue();
      assertThat(Long.parseLong(total.group(1))).isEqualTo(route.getLong("requests_total"));
      assertThat(dom).contains("class=\"spark\"");
      Matcher health = Pattern.compile("id=\"endpoint-shop-" + Pattern.quote(one.address())
          + "\">.*?class=\"health good\">healthy<.*?class=\"num share\">([0-9]+)%<", Pattern.DOTALL).matcher(dom);
      assertThat(health.find()).as(dom).isTrue();
      assertThat(Integer.parseInt(health.group(1))).isEqualTo(50); // round-robin over two endpoints
      assertThat(dom).contains("id=\"config-version\"");
      assertThat(dom).containsPattern("(?s)id=\"history\">.*<td>[0-9a-f]+ \\(running\\)</td>.*<td>added routes: orders; added upstreams: shop</td>");

      Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
      Files.deleteIfExists(screenshot);
      chrome(browser.get(), gateway, "--screenshot=" + screenshot, "--window-size=1280,800", "--hide-scrollbars");
      assertThat(screenshot).exists();
      assertThat(Files.size(screenshot)).isGreaterThan(1000);
    }
  }

  private String chrome(String browser, TestGateway gateway, String... what) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(browser, "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
    command.addAll(java.util.List.of(what));
    command.add("http://127.0.0.1:" + gateway.adminPort() + "/admin/");
    Process chrome = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(chrome.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(chrome.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
