package io.portico.config.live;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.RouteConfig;
import io.portico.config.TestConfigs;
import io.portico.config.ValidatedConfig;
import io.portico.config.load.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final String V1 = """
      upstreams: [{ name: users, endpoints: [127.0.0.1:9001] }]
      routes: [{ name: v1, upstream: users }]
      """;
  private static final String V2 = V1.replace("name: v1", "name: v2");

  @TempDir Path dir;
  private Vertx vertx;
  private ConfigWatcher watcher;
  private final List<ValidatedConfig> configs = new CopyOnWriteArrayList<>();
  private final List<ConfigException> errors = new CopyOnWriteArrayList<>();
  private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();

  private final ConfigWatcher.Listener listener = new ConfigWatcher.Listener() {
    @Override
    public void onConfig(ValidatedConfig config) {
      onEventLoop.add(Context.isOnEventLoopThread());
      configs.add(config);
    }

    @Override
    public void onError(ConfigException error) {
      onEventLoop.add(Context.isOnEventLoopThread());
      errors.add(error);
    }
  };

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Writes like an editor that saves atomically: a temporary file renamed over the old one. */
  private void save(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), ".save", ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private ValidatedConfig watch(Path config) throws Exception {
    ValidatedConfig running = TestConfigs.load(config);
    watcher = new ConfigWatcher(vertx, new ConfigLoader(TestConfigs.REGISTRY), config, Duration.ofMillis(50), listener);
    watcher.start(running).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return running;
  }

  /** Waits until the watcher has looked at the files a few more times (enough to load a change). */
  private void awaitPolls(int more) {
    long target = watcher.polls() + more;
    await().atMost(BOUND).until(() -> watcher.polls() >= target);
  }

  @Test
  void anEditGoesLiveAndAnUnchangedRewriteDoesNot() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", V1);
    ValidatedConfig running = watch(file);

    save(file, V1); // same bytes, new file
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    awaitPolls(4);
    assertThat(configs).isEmpty();
    assertThat(errors).isEmpty();

    save(file, V2);
    await().atMost(BOUND).until(() -> configs.size() == 1);
    assertThat(configs.get(0).gateway().routes()).extracting(RouteConfig::name).containsExactly("v2");
    assertThat(configs.get(0).version()).isNotEqualTo(running.version());
    awaitPolls(4);
    assertThat(configs).hasSize(1);
    assertThat(onEventLoop).containsOnly(true);
  }

  @Test
  void aBrokenEditIsReportedWithItsLineAndTheFixGoesLive() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", V1);
    watch(file);

    save(file, V1.replace("upstream: users", "upstream: userz"));
    await().atMost(BOUND).until(() -> errors.size() == 1);
    assertThat(errors.get(0).errors()).extracting(ConfigError::toString)
        .containsExactly(file + ":2 routes[0].upstream: no upstream named \"userz\" (did you mean \"users\"?)");
    assertThat(configs).isEmpty();

    save(file, V2);
    await().atMost(BOUND).until(() -> configs.size() == 1);
    assertThat(configs.get(0).gateway().routes()).extracting(RouteConfig::name).containsExactly("v2");
    assertThat(errors).hasSize(1);
  }

  @Test
  void revertingABrokenEditToTheRunningContentReportsNothingNew() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", V1);
    watch(file);

    save(file, "routes: [");
    await().atMost(BOUND).until(() -> errors.size() == 1);
    assertThat(errors.get(0).errors()).singleElement().satisfies(e -> assertThat(e.message()).startsWith("invalid YAML"));

    save(file, V1);
    awaitPolls(4);
    assertThat(configs).isEmpty();
    assertThat(errors).hasSize(1);
  }

  @Test
  void editsOfIncludedFilesAndNewFilesInAnIncludedFolderGoLive() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", "include: [upstreams.yaml, \"routes/*.yaml\"]\n");
    Path upstreams = TestConfigs.write(dir, "upstreams.yaml", "upstreams: [{ name: users, endpoints: [127.0.0.1:9001] }]\n");
    TestConfigs.write(dir, "routes/a.yaml", "routes: [{ name: a, upstream: users }]\n");
    watch(file);

    save(dir.resolve("routes/b.yaml"), "routes: [{ name: b, upstream: users }]\n");
    await().atMost(BOUND).until(() -> configs.size() == 1);
    assertThat(configs.get(0).gateway().routes()).extracting(RouteConfig::name).containsExactly("a", "b");

    save(upstreams, "upstreams: [{ name: users, endpoints: [127.0.0.1:9002] }]\n");
    await().atMost(BOUND).until(() -> configs.size() == 2);
    assertThat(configs.get(1).gateway().upstreams().get(0).endpoints().get(0).address()).isEqualTo("127.0.0.1:9002");
  }

  @Test
  void aConfigDirectoryIsWatched() throws Exception {
    Path conf = dir.resolve("conf");
    TestConfigs.write(dir, "conf/10-upstreams.yaml", "upstreams: [{ name: users, endpoints: [127.0.0.1:9001] }]\n");
    watch(conf);

    save(conf.resolve("20-routes.yaml"), "routes: [{ name: late, upstream: users }]\n");

    await().atMost(BOUND).until(() -> configs.size() == 1);
    assertThat(configs.get(0).gateway().routes()).extracting(RouteConfig::name).containsExactly("late");
  }

  @Test
  void aChangeBeforeStartIsReportedAtStart() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", V1);
    ValidatedConfig running = TestConfigs.load(file);
    save(file, V2);

    watcher = new ConfigWatcher(vertx, new ConfigLoader(TestConfigs.REGISTRY), file, Duration.ofMillis(50), listener);
    watcher.start(running).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(configs).singleElement().satisfies(c ->
        assertThat(c.gateway().routes()).extracting(RouteConfig::name).containsExactly("v2"));
  }
}
