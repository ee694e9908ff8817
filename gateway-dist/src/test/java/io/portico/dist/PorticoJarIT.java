package io.portico.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as a user runs it: {@code demo}, {@code validate}, and SIGTERM. */
class PorticoJarIT {
  private static final Path JAR = Path.of("target", "portico.jar");
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path dir;

  @Test
  void demoBalancesOverTwoEchoBackendsAndExitsCleanlyOnSigterm() throws Exception {
    int listen = freePort();
    int admin = freePort();
    int b1 = freePort();
    int b2 = freePort();
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        upstreams:
          - { name: echo, endpoints: [127.0.0.1:%d, 127.0.0.1:%d] }
        routes:
          - { name: echo, match: { path-prefix: /echo }, upstream: echo, strip-prefix: true }
        """.formatted(listen, admin, b1, b2));
    Path log = dir.resolve("portico.log");
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "demo", "--config", config.toString(),
        "--backends", b1 + "," + b2)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> get("http://127.0.0.1:" + admin + "/readyz").statusCode() == 200);
      Set<String> servers = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> response = get("http://127.0.0.1:" + listen + "/echo/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"path\":\"/hello\"");
        servers.add(response.body().replaceAll(".*\"server\":\"(echo-\\d+)\".*", "$1"));
      }
      assertThat(servers).containsExactlyInAnyOrder("echo-" + b1, "echo-" + b2);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log)).contains("stopped");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void validateReportsEveryErrorWithFileAndLine() throws Exception {
    Path config = dir.resolve("broken.yaml");
    Files.writeString(config, """
        upstreams:
          - { name: users, endpoints: [127.0.0.1:9001] }
        routes:
          - name: a
            match: { path-prefix: /a }
            upstream: userz
          - name: b
            match: { path-prefix: /b }
            upstream: users
            timeout: soon
        """);
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "validate", config.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("broken.yaml:6 routes[0].upstream: no upstream named \"userz\"");
    assertThat(output).contains("broken.yaml:10 routes[1].timeout");
  }

  @Test
  void theDefaultConfigInRoutesIsValid() throws Exception {
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "validate", "../routes/gateway.yaml")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void dropInPluginJarActsOnRequests() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins.d"));
    Files.copy(exampleJar(), plugins.resolve("api-key-auth.jar"));
    Files.writeString(dir.resolve("keys.txt"), "k-alice=alice\n");
    int listen = freePort();
    int admin = freePort();
    int backend = freePort();
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        plugins-dir: %s
        upstreams: [{ name: echo, endpoints: [127.0.0.1:%d] }]
        routes:
          - name: api
            match: { path-prefix: /api }
            upstream: echo
            plugins: { api-key-auth: { keys-file: keys.txt } }
        """.formatted(listen, admin, plugins, backend));
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "demo", "--config", config.toString(),
        "--backends", String.valueOf(backend))
        .redirectErrorStream(true).redirectOutput(dir.resolve("portico.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> get("http://127.0.0.1:" + admin + "/readyz").statusCode() == 200);
      assertThat(get("http://127.0.0.1:" + listen + "/api/x").statusCode()).isEqualTo(401);
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listen + "/api/x"))
          .header("X-Api-Key", "k-alice").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"x-consumer\":\"alice\"");
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  @Test
  void brokenPluginJarStopsTheStartAndIsNamed() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins.d"));
    Files.writeString(plugins.resolve("broken.jar"), "this is not a jar");
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: %d }
        admin: { host: 127.0.0.1, port: %d }
        plugins-dir: %s
        upstreams: [{ name: echo, endpoints: [127.0.0.1:9] }]
        routes: [{ name: all, match: { path-prefix: / }, upstream: echo }]
        """.formatted(freePort(), freePort(), plugins));
    Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("broken.jar");
  }

  private static Path exampleJar() throws IOException {
    try (var files = Files.list(Path.of("..", "plugins", "examples", "api-key-auth", "target"))) {
      return files.filter(p -> p.getFileName().toString().matches("api-key-auth-.*\\.jar")).findFirst().orElseThrow();
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

}
