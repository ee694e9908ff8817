package io.portico.plugins.observability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes access log lines on a thread of its own, so an event loop only enqueues. One writer per
 * destination, shared by every route logging there. When the queue is full (the disk cannot keep
 * up) lines are dropped and counted rather than blocking the request path.
 */
final class AccessLogWriter {
  private static final Map<String, AccessLogWriter> WRITERS = new HashMap<>();

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
  private final AtomicLong dropped = new AtomicLong();
  private final Writer out;

  private AccessLogWriter(Writer out, String name) {
    this.out = out;
    Thread thread = new Thread(this::drain, "portico-access-log-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The writer for {@code path}, or for standard output when {@code path} is null. */
  static synchronized AccessLogWriter to(Path path) {
    String key = path == null ? "-" : path.toAbsolutePath().toString();
    return WRITERS.computeIfAbsent(key, k -> new AccessLogWriter(open(path), path == null ? "stdout" : path.getFileName().toString()));
  }

  private static Writer open(Path path) {
    try {
      return path == null
          ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
          : Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open access log " + path, e);
    }
  }

  /** Never blocks. */
  void write(String line) {
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<String> batch = new ArrayList<>(1024);
    Writer writer = out instanceof BufferedWriter ? out : new BufferedWriter(out);
    while (true) {
      try {
        String first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 1023);
        for (String line : batch) {
          writer.write(line);
          writer.write('\n');
        }
        writer.flush();
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        dropped.addAndGet(batch.size());
        batch.clear();
      }
    }
  }
}
