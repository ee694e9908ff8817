package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdKv.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The figure users see: from an etcd put of a new route to the first request the gateway serves
 * on it. Each round puts route {@code b<i>} ({@code path-prefix: /b<i>}) with a plain etcd put, then
 * sends requests back to back until one is answered 200. Routes accumulate (the last round runs
 * with 200 routes in etcd). Prints p50, p99 and max, the put's own latency, and the gateway's
 * {@code portico_config_propagation_seconds} (watch event to live) mean.
 *
 * <p>{@code mvn -o -q -pl plugins/discovery-etcd -am test -Dtest=ConfigPropagationBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.argLine="-Dvertx.disableDnsResolver=true"
 * [-Dpropagation.puts=200]}: the argLine override drops the build's paranoid Netty leak detection,
 * which tracks every buffer and roughly doubles the tail.
 */
class ConfigPropagationBenchmarkTest {

  @Test
  void etcdPutToFirstRequestServed() throws Exception {
    int puts = Integer.getInteger("propagation.puts", 200);
    try (EtcdProcess etcd = new EtcdProcess(); TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            config: { etcd: { endpoints: [%s] } }
            upstreams: [{ name: app, endpoints: [%s] }]
            """.formatted(etcd.url(), backend.address()))) {
      EtcdKv kv = new EtcdKv(etcd);
      for (int i = 0; i < 20; i++) { // warm-up: JIT, connections, etcd
        kv.put("/portico/routes/warm" + i, route("/warm" + i, "app"));
        while (gateway.get("/warm" + i + "/x").status() != 200) {
          Thread.onSpinWait();
        }
      }
      long[] served = new long[puts];
      long[] put = new long[puts];
      for (int i = 0; i < puts; i++) {
        long start = System.nanoTime();
        kv.put("/portico/routes/b" + i, route("/b" + i, "app"));
        put[i] = System.nanoTime() - start;
        long deadline = start + 10_000_000_000L;
        while (gateway.get("/b" + i + "/x").status() != 200) {
          assertThat(System.nanoTime()).as("route b%d served within 10 s", i).isLessThan(deadline);
        }
        served[i] = System.nanoTime() - start;
      }
      Arrays.sort(served);
      Arrays.sort(put);
      String metrics = gateway.admin("/metrics").bodyAsString();
      double sum = metric(metrics, "portico_config_propagation_seconds_sum\\{from=\"watch_event\"\\} (\\S+)");
      double count = metric(metrics, "portico_config_propagation_seconds_count\\{from=\"watch_event\"\\} (\\S+)");
      System.out.printf("etcd put -> first request served by the new route, %d puts (up to %d routes): "
              + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; the put alone p50 %.1f ms, p99 %.1f ms; "
              + "watch event -> live (gateway histogram) mean %.1f ms over %.0f changes; %d cores%n",
          puts, puts + 20, ms(served, 0.50), ms(served, 0.99), served[puts - 1] / 1e6, ms(put, 0.50), ms(put, 0.99),
          count > 0 ? sum / count * 1000 : Double.NaN, count, Runtime.getRuntime().availableProcessors());
      assertThat(served[puts / 2]).as("p50 under a second").isLessThan(1_000_000_000L);
    }
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private static double metric(String text, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
