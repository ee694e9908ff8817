package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients that read a big answer at 1 KiB/s: the upstream read pauses by back-pressure, so
 * the gateway holds a bounded amount of memory per client whatever the answer's size, and the idle
 * timeout lets go of the clients and their upstream connections. Scaled for CI: 50 clients and a
 * 4 MiB answer by default; {@code -Dportico.slow.clients=200 -Dportico.slow.mib=10} runs the full
 * size. Heap is measured live (after a GC) while every client is in its answer.
 */
class SlowReadersTest {
  static final int CLIENTS = Integer.getInteger("portico.slow.clients", 50);
  static final int ANSWER = Integer.getInteger("portico.slow.mib", 4) * 1024 * 1024;
  static final int CHUNK = 16 * 1024;

  static Vertx vertx;
  static HttpServer backend;
  static Gateway gateway;

  @BeforeAll
  static void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    // the backend writes with back-pressure too, so what is queued is the gateway's doing
    backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      HttpServerResponse response = request.response().putHeader("content-length", Integer.toString(ANSWER));
      new Object() {
        long left = ANSWER;

        void pump() {
          while (left > 0 && !response.writeQueueFull()) {
            int n = (int) Math.min(CHUNK, left);
            left -= n;
            response.write(n == CHUNK ? chunk : chunk.slice(0, n));
          }
          if (left == 0) {
            response.end();
          } else {
            response.drainHandler(v -> pump());
          }
        }
      }.pump();
    });
    Await.result(backend.listen());
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        limits: { idle-timeout: 5s }
        upstreams:
          - { name: big, endpoints: [127.0.0.1:%d] }
        routes:
          - { name: big, upstream: big, timeout: 60s }
        """.formatted(backend.actualPort()))));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  record Memory(long heap, long direct) {
    static Memory now() {
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      long direct = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          direct += pool.getMemoryUsed();
        }
      }
      return new Memory(heap, direct);
    }

    static Memory settled() {
      System.gc();
      return now();
    }

    @Override
    public String toString() {
      return String.format("heap %.1f MiB, direct %.1f MiB", heap / 1048576.0, direct / 1048576.0);
    }
  }

  @Test
  void slowReadersHoldBoundedMemoryAndAreCutByTheIdleTimeout() throws Exception {
    Memory before = Memory.settled();
    Memory during;
    List<Socket> sockets = new ArrayList<>();
    long[] received = new long[CLIENTS];
    boolean[] cut = new boolean[CLIENTS];
    AtomicLong peakDirect = new AtomicLong();
    ScheduledExecutorService readers = Executors.newSingleThreadScheduledExecutor();
    long started = System.nanoTime();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.port()));
        socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        sockets.add(socket);
      }
      byte[] kib = new byte[1024];
      // every client takes at most 1 KiB a second, all from one thread; a closed socket is cut
      readers.scheduleAtFixedRate(() -> {
        synchronized (cut) {
          readOnce(sockets, received, cut, kib);
        }
        Memory m = Memory.now();
        peakDirect.accumulateAndGet(m.direct(), Math::max);
      }, 0, 1, TimeUnit.SECONDS);
      // while every client is in its answer and none was cut yet: what is live, after a GC
      Thread.sleep(3000);
      during = Memory.settled();
      // the gateway lets go of every client and upstream connection (what it wrote into the kernel's
      // send buffers before may still reach the client afterwards, at the client's pace)
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
        Memory m = Memory.now();
        peakDirect.accumulateAndGet(m.direct(), Math::max);
        return gateway.stats().listeners().get(0).openConnections() == 0 && gateway.stats().upstreamConnections() == 0;
      });
    } finally {
      readers.shutdownNow();
      readers.awaitTermination(5, TimeUnit.SECONDS);
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    Memory after = Memory.settled();
    int sawEnd = 0;
    synchronized (cut) {
      for (boolean c : cut) {
        sawEnd += c ? 1 : 0;
      }
    }
    long most = 0;
    for (long r : received) {
      most = Math.max(most, r);
    }
    long heapGrowth = during.heap() - before.heap();
    long directGrowth = Math.max(during.direct(), peakDirect.get()) - before.direct();
    System.out.printf("slow readers: %d clients, %d MiB answer, gateway let go of all after %d s; before %s; live heap +%.1f MiB"
        + " during, peak direct +%.1f MiB; after %s; most read by one client %d KiB; %d clients saw their connection end%n", CLIENTS, ANSWER >> 20,
        seconds, before, heapGrowth / 1048576.0, directGrowth / 1048576.0, after, most / 1024, sawEnd);

    assertThat(most).as("no client read the whole answer").isLessThan(ANSWER);
    // per client at most the socket buffers, the write queue and one relay chunk: far below the answer
    long bound = 64L * 1024 * 1024 + CLIENTS * 512L * 1024;
    assertThat(directGrowth).as("direct memory growth").isLessThan(bound);
    assertThat(heapGrowth).as("live heap growth").isLessThan(bound);
    assertThat(after.heap() - before.heap()).as("live heap after").isLessThan(32L * 1024 * 1024);
    assertThat(after.direct() - before.direct()).as("direct memory after").isLessThan(16L * 1024 * 1024);
  }

  /** Each client not cut yet reads at most 1 KiB, without waiting for more than a millisecond. */
  private static void readOnce(List<Socket> sockets, long[] received, boolean[] cut, byte[] kib) {
    for (int i = 0; i < sockets.size(); i++) {
      if (cut[i]) {
        continue;
      }
      try {
        Socket socket = sockets.get(i);
        socket.setSoTimeout(1);
        int n = socket.getInputStream().read(kib);
        if (n < 0) {
          cut[i] = true;
        } else {
          received[i] += n;
        }
      } catch (java.net.SocketTimeoutException e) {
        // nothing to read this second
      } catch (IOException e) {
        cut[i] = true;
      }
    }
  }
}
