package io.portico.plugins.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A verified-token cache hit, keyed as jwt-auth keys it ({@link TokenKey}: length and signature
 * tail hashed) and, for comparison, by the whole text ({@code String.hashCode} over every character
 * of a fresh string, as each request's header value is). It lives in the plugin's package to reach
 * the package-private key. Run: {@code java -jar loadtest/target/benchmarks.jar TokenCache}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TokenCacheBenchmark {
  /** Characters of the Authorization value: an HS256 token, an RS256 one, one with many claims. */
  @Param({"160", "700", "1500"})
  public int length;

  private char[] credential;
  private Cache<TokenKey, Object> byTail;
  private Cache<String, Object> byWholeText;

  @Setup
  public void setUp() {
    StringBuilder text = new StringBuilder("Bearer ");
    java.util.Random random = new java.util.Random(7);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    while (text.length() < length) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    credential = text.toString().toCharArray();
    byTail = Caffeine.newBuilder().executor(Runnable::run).maximumSize(10_000).build();
    byWholeText = Caffeine.newBuilder().executor(Runnable::run).maximumSize(10_000).build();
    byTail.put(new TokenKey(new String(credential)), Boolean.TRUE);
    byWholeText.put(new String(credential), Boolean.TRUE);
  }

  @Benchmark
  public Object hitKeyedByTail() {
    return byTail.getIfPresent(new TokenKey(new String(credential)));
  }

  @Benchmark
  public Object hitKeyedByWholeText() {
    return byWholeText.getIfPresent(new String(credential));
  }
}
