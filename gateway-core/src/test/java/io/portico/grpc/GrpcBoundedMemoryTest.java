package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.portico.testing.GrpcBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 16 MiB gRPC message each way through a gateway whose JVM could not hold one: the gateway runs
 * in its own process with a 24 MiB heap and 8 MiB of direct memory (a message collected in a
 * growing buffer needs 24 MiB at its last copy), so the calls pass only if it relays the message
 * as it streams, flow control passing through both ways, instead of collecting it.
 */
class GrpcBoundedMemoryTest {
  private static final int MIB = 1024 * 1024;
  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

  @TempDir
  Path dir;
  Process gateway;
  GrpcBackend backend;
  ManagedChannel channel;
  final List<String> output = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (backend != null) {
      backend.close();
    }
  }

  /** Starts the gateway's main in a small JVM and returns its proxy port. */
  private int startGateway(int backendPort) throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { host: 127.0.0.1, port: 0 }
        upstreams:
          - { name: grpc, endpoints: [127.0.0.1:%d], protocol: h2c }
        routes:
          - { name: grpc, match: { path-prefix: /test.Echo/ }, upstream: grpc, timeout: 60s }
        """.formatted(backendPort));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    gateway = new ProcessBuilder(java, "-Xmx24m", "-XX:MaxDirectMemorySize=8m", "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), "io.portico.cli.Main",
        "run", "--config", config.toString())
        .redirectErrorStream(true).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = lines.readLine()) != null; ) {
          synchronized (output) {
            output.add(line);
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
      port.completeExceptionally(new IllegalStateException("the gateway exited: " + output));
    }, "gateway-output");
    reader.setDaemon(true);
    reader.start();
    return port.get(60, TimeUnit.SECONDS);
  }

  @Test
  void sixteenMebibytesPassBothWaysThroughASmallGateway() throws Exception {
    backend = GrpcBackend.start();
    int port = startGateway(backend.port());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(32 * MIB).build();

    Iterator<byte[]> down = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.STREAM,
        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), GrpcBackend.bytes("1:" + 16 * MIB));
    assertThat(down.next()).hasSize(16 * MIB);
    assertThat(down.hasNext()).isFalse();

    CompletableFuture<byte[]> sum = new CompletableFuture<>();
    StreamObserver<byte[]> up = ClientCalls.asyncClientStreamingCall(
        channel.newCall(GrpcBackend.SUM, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            sum.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            sum.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    for (int i = 0; i < 16; i++) {
      up.onNext(new byte[MIB]); // the server's inbound limit is 4 MiB per message
    }
    up.onCompleted();
    assertThat(GrpcBackend.text(sum.get(60, TimeUnit.SECONDS))).isEqualTo("16:" + 16 * MIB);
    assertThat(gateway.isAlive()).as("gateway output: %s", output).isTrue();
  }
}
