package io.portico.plugins.etcd;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real etcd (Debian's etcd-server) on free loopback ports with a temporary data dir. */
final class EtcdProcess implements AutoCloseable {
  private final int clientPort;
  private final int peerPort;
  private final Path dataDir;
  private Process process;

  EtcdProcess() throws IOException {
    clientPort = freePort();
    peerPort = freePort();
    dataDir = Files.createTempDirectory("etcd");
    start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  void start() throws IOException {
    process = new ProcessBuilder("etcd", "--name", "test", "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", url(), "--advertise-client-urls", url(),
        "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
        "--initial-cluster", "test=http://127.0.0.1:" + peerPort)
        .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        http.send(HttpRequest.newBuilder(URI.create(url() + "/health")).build(), HttpResponse.BodyHandlers.ofString())
            .body().contains("true"));
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** Stops etcd and deletes its data directory (about 120 MiB each: test runs would fill the disk). */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
    if (!Files.exists(dataDir)) {
      return; // closed before
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
