package io.portico.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A closed-loop load: {@code workers} clients, each sending its next request when the previous
 * answer is in, for a fixed time. Records every answer's status, {@code error} key and latency.
 */
public final class ClosedLoad {
  /** One answer: status, the gateway's error key if any, latency in nanoseconds, Retry-After. */
  public record Answer(int status, String body, long nanos, String retryAfter) {}

  private final Vertx vertx;
  private final int port;

  public ClosedLoad(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /** Runs {@code workers} loops of {@code method uri} for {@code millis}; returns every answer. */
  public List<Answer> run(HttpMethod method, String uri, int workers, long millis) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(workers));
    List<Answer> answers = new ArrayList<>();
    long end = System.nanoTime() + millis * 1_000_000;
    List<Future<Void>> loops = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      loops.add(loop(client, method, uri, end, answers));
    }
    try {
      Await.result(Future.all(loops), (int) (millis / 1000) + 60);
    } finally {
      client.close();
    }
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  private Future<Void> loop(HttpClient client, HttpMethod method, String uri, long end, List<Answer> answers) {
    if (System.nanoTime() >= end) {
      return Future.succeededFuture();
    }
    long start = System.nanoTime();
    return client.request(new RequestOptions().setMethod(method).setURI(uri))
        .compose(request -> request.send().compose(response -> response.body().map(body ->
            new Answer(response.statusCode(), body.toString(), System.nanoTime() - start,
                response.getHeader("retry-after")))))
        .compose(answer -> {
          synchronized (answers) {
            answers.add(answer);
          }
          return loop(client, method, uri, end, answers);
        });
  }

  /** The {@code p} quantile (0..1) of the latencies of the answers that match, in ms. */
  public static double percentileMillis(List<Answer> answers, Predicate<Answer> which, double p) {
    long[] nanos = answers.stream().filter(which).mapToLong(Answer::nanos).toArray();
    if (nanos.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(nanos);
    return nanos[(int) Math.min(nanos.length - 1, Math.max(0, Math.ceil(p * nanos.length) - 1))] / 1e6;
  }
}
