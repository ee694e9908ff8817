package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.WriteStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload and a 1 GiB download pass through the gateway whole (byte count and CRC32) with
 * the heap flat: the bodies are generated lazily on one side and checked incrementally on the
 * other, so only the gateway could hold them, and the heap after GC shows it does not.
 */
class StreamingTest {
  static final long GIB = 1L << 30;
  static final int CHUNK = 64 * 1024;
  static final byte[] PATTERN = new byte[CHUNK];

  static Vertx vertx;
  static HttpServer backend;
  static Gateway gateway;
  static HttpClient client;

  @BeforeAll
  static void start(@TempDir Path dir) {
    new Random(42).nextBytes(PATTERN);
    vertx = Vertx.vertx();
    backend = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      if (request.method() == HttpMethod.POST) { // count and checksum the upload as it arrives
        CRC32 crc = new CRC32();
        AtomicLong count = new AtomicLong();
        request.handler(chunk -> {
          count.addAndGet(chunk.length());
          crc.update(chunk.getBytes());
        });
        request.endHandler(v -> request.response().end(count.get() + ":" + crc.getValue()));
      } else {
        request.response().putHeader("content-length", Long.toString(GIB));
        generate(request.response(), GIB, new CRC32());
      }
    });
    Await.result(backend.listen());
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: backend
            endpoints: [127.0.0.1:%d]
        routes:
          - name: all
            upstream: backend
            timeout: 60s
        """.formatted(backend.actualPort()))));
    client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    Await.result(vertx.close());
  }

  /** Writes {@code total} bytes of the pattern to {@code out} as fast as it takes them, then ends. */
  static Future<Void> generate(WriteStream<Buffer> out, long total, CRC32 crc) {
    Promise<Void> done = Promise.promise();
    long[] remaining = {total};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (done.future().isComplete() || remaining[0] < 0) {
        return; // a late drain after the end
      }
      while (remaining[0] > 0 && !out.writeQueueFull()) {
        int n = (int) Math.min(CHUNK, remaining[0]);
        crc.update(PATTERN, 0, n);
        out.write(Buffer.buffer(n).appendBytes(PATTERN, 0, n));
        remaining[0] -= n;
      }
      if (remaining[0] == 0) {
        remaining[0] = -1;
        out.end().onComplete(done);
      } else {
        out.drainHandler(v -> pump[0].run());
      }
    };
    pump[0].run();
    return done.future();
  }

  @Test
  void oneGibUploadStreamsThroughWithFlatHeap() {
    HeapWatch heap = HeapWatch.start();
    CRC32 sent = new CRC32();
    String answer = Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/upload")
            .putHeader("content-length", Long.toString(GIB)))
        .compose(request -> {
          Future<String> response = request.response().compose(r -> r.body()).map(Buffer::toString);
          generate(request, GIB, sent);
          return response;
        }), 60);
    long maxHeapGrowth = heap.stop();

    assertThat(answer).isEqualTo(GIB + ":" + sent.getValue());
    assertThat(maxHeapGrowth).as("heap growth after GC while streaming").isLessThan(128L << 20);
  }

  @Test
  void oneGibDownloadStreamsThroughWithFlatHeap() {
    HeapWatch heap = HeapWatch.start();
    CRC32 received = new CRC32();
    AtomicLong count = new AtomicLong();
    int status = Await.result(client.request(new RequestOptions().setURI("/download"))
        .compose(request -> request.send().compose(response -> {
          response.handler(chunk -> {
            count.addAndGet(chunk.length());
            received.update(chunk.getBytes());
          });
          return response.end().map(v -> response.statusCode());
        })), 60);
    long maxHeapGrowth = heap.stop();

    CRC32 expected = new CRC32();
    for (long left = GIB; left > 0; left -= CHUNK) {
      expected.update(PATTERN, 0, (int) Math.min(CHUNK, left));
    }
    assertThat(status).isEqualTo(200);
    assertThat(count.get()).isEqualTo(GIB);
    assertThat(received.getValue()).isEqualTo(expected.getValue());
    assertThat(maxHeapGrowth).as("heap growth after GC while streaming").isLessThan(128L << 20);
  }

  /** Samples the heap after a GC every 250 ms on its own thread; reports the largest growth. */
  static final class HeapWatch {
    private final long baseline;
    private final AtomicLong max = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapWatch() {
      baseline = usedAfterGc();
      thread = new Thread(() -> {
        while (running) {
          max.accumulateAndGet(usedAfterGc() - baseline, Math::max);
          try {
            Thread.sleep(250);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-watch");
      thread.setDaemon(true);
      thread.start();
    }

    static HeapWatch start() {
      return new HeapWatch();
    }

    long stop() {
      running = false;
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return max.get();
    }

    private static long usedAfterGc() {
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
