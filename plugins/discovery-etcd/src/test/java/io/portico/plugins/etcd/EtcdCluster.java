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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real etcd cluster of three members on free loopback ports with a temporary data dir; a member
 * can be paused (SIGSTOP: its connections stay open and nothing is answered) and resumed.
 */
final class EtcdCluster implements AutoCloseable {
  private static final int MEMBERS = 3;
  private final int[] clientPorts = new int[MEMBERS];
  private final int[] peerPorts = new int[MEMBERS];
  private final List<Process> processes = new ArrayList<>();
  private final Path dataDir;

  EtcdCluster() throws IOException {
    dataDir = Files.createTempDirectory("etcd-cluster");
    for (int i = 0; i < MEMBERS; i++) {
      clientPorts[i] = freePort();
      peerPorts[i] = freePort();
    }
    String cluster = Stream.iterate(0, i -> i + 1).limit(MEMBERS)
        .map(i -> "m" + i + "=http://127.0.0.1:" + peerPorts[i]).collect(Collectors.joining(","));
    for (int i = 0; i < MEMBERS; i++) {
      String peer = "http://127.0.0.1:" + peerPorts[i];
      processes.add(new ProcessBuilder("etcd", "--name", "m" + i, "--data-dir", dataDir.resolve("m" + i).toString(),
          "--listen-client-urls", url(i), "--advertise-client-urls", url(i),
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
          "--initial-cluster", cluster, "--initial-cluster-state", "new")
          .redirectErrorStream(true).redirectOutput(dataDir.resolve("m" + i + ".log").toFile()).start());
    }
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < MEMBERS; i++) {
      URI health = URI.create(url(i) + "/health");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body().contains("true"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String url(int member) {
    return "http://127.0.0.1:" + clientPorts[member];
  }

  List<String> urls() {
    return Stream.iterate(0, i -> i + 1).limit(MEMBERS).map(this::url).toList();
  }

  void pause(int member) throws IOException, InterruptedException {
    signal("-STOP", member);
  }

  void resume(int member) throws IOException, InterruptedException {
    signal("-CONT", member);
  }

  private void signal(String signal, int member) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(processes.get(member).pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " failed");
    }
  }

  /** Stops every member and deletes the data directory. */
  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly(); // SIGKILL ends a paused member too
    }
    for (Process process : processes) {
      process.waitFor(20, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
