package io.portico.upstream.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway between a WebSocket client and server of another implementation (Python
 * {@code websockets}, Debian's {@code python3-websockets}): large frames, subprotocol,
 * permessage-deflate and close codes as that library sees them. Skipped where it is not installed.
 */
class PythonPeersTest {
  @TempDir
  Path dir;

  static String python() {
    for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process probe = new ProcessBuilder(candidate, "-c", "import websockets").redirectErrorStream(true).start();
        if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          return candidate;
        }
      } catch (Exception e) {
        // try the next one
      }
    }
    return null;
  }

  @Test
  void anotherImplementationSeesFramesSubprotocolDeflateAndCloseCodesUnchanged() throws Exception {
    String python = python();
    assumeTrue(python != null, "python3 with websockets (apt-get install python3-websockets)");
    Path script = Path.of(getClass().getResource("/websocket/python_peers.py").toURI());
    Process peers = new ProcessBuilder(python, script.toString()).redirectErrorStream(true).start();
    Vertx vertx = Vertx.vertx();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(peers.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertThat(first).startsWith("PORT ");
      Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
          listen: { host: 127.0.0.1, port: 0, instances: 1 }
          upstreams: [{ name: py, endpoints: [127.0.0.1:%s] }]
          routes: [{ name: py, match: { path-prefix: /py }, upstream: py }]
          """.formatted(first.substring(5).trim()))));
      Writer in = new OutputStreamWriter(peers.getOutputStream(), StandardCharsets.UTF_8);
      in.write(gateway.port() + "\n");
      in.flush();
      List<String> lines = new ArrayList<>();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
      assertThat(peers.waitFor(120, TimeUnit.SECONDS)).isTrue();

      assertThat(lines).as(String.join("\n", lines)).noneMatch(line -> line.startsWith("FAIL") || line.startsWith("Traceback"));
      assertThat(lines).contains("OK frame 65537", "OK frame 1048576", "OK frame 16777216", "OK subprotocol",
          "OK permessage-deflate", "OK deflated echo", "OK server close 1000", "OK server close 1001",
          "OK server close 1011", "OK server close 4001", "SERVER-CLOSE 1000 client says 1000",
          "SERVER-CLOSE 1001 client says 1001", "SERVER-CLOSE 1011 client says 1011", "SERVER-CLOSE 4001 client says 4001");
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    } finally {
      peers.destroyForcibly();
      Await.result(vertx.close());
    }
  }
}
