package io.portico.plugins.ratelimit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real redis-server on a free loopback port, without persistence, in a temporary directory. A
 * test can kill it (a crash), start it again on the same port, or freeze it (SIGSTOP: the
 * connection stays up and nothing answers, as with a hung server or a lost network).
 */
final class RedisProcess implements AutoCloseable {
  private static final Pattern CLIENTS = Pattern.compile("connected_clients:(\\d+)");
  private final int port;
  private final Path dir;
  private final String password;
  private Process process;

  RedisProcess() throws IOException {
    this(null);
  }

  /** A server that requires {@code password} ({@code requirepass}), or none when null. */
  RedisProcess(String password) throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    this.password = password;
    dir = Files.createTempDirectory("redis");
    start();
  }

  void start() throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> command("PING").startsWith("+PONG") || command("PING").startsWith("-NOAUTH"));
  }

  /** Kills the server at once, as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Freezes the server: connections stay open, nothing is answered. */
  void pause() throws Exception {
    signal("STOP");
  }

  void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  /** Clients connected to the server, not counting the connection that asks. */
  int clients() throws IOException {
    Matcher m = CLIENTS.matcher(command("INFO clients"));
    if (!m.find()) {
      throw new IllegalStateException("no connected_clients in INFO");
    }
    return Integer.parseInt(m.group(1)) - 1;
  }

  /** Sends one inline command on a fresh connection and returns the raw answer. */
  String command(String command) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      if (password != null) {
        out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write((command + "\r\nQUIT\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return password != null ? answer.substring(answer.indexOf("\r\n") + 2) : answer;
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      signal("CONT"); // a frozen process ignores SIGTERM until it runs again
    }
    kill();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
