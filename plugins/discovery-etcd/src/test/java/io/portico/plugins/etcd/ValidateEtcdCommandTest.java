package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdKv.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.portico.cli.ValidateCommand;
import io.portico.plugin.PluginRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portico validate FILE --etcd URL}: the stored entries checked over the file, before any gateway loads them. */
class ValidateEtcdCommandTest {
  @TempDir
  Path dir;

  EtcdProcess etcd;
  EtcdKv kv;
  Path config;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    etcd = new EtcdProcess();
    kv = new EtcdKv(etcd);
    config = dir.resolve("gateway.yaml");
    // the file names no etcd: --etcd supplies it
    Files.writeString(config, """
        upstreams: [{ name: app, endpoints: [127.0.0.1:9] }]
        routes: [{ name: files, match: { path-prefix: /files }, upstream: app }]
        """);
  }

  @AfterEach
  void stop() throws Exception {
    etcd.close();
  }

  private int validate(String url) {
    return new ValidateCommand(PluginRegistry.load(getClass().getClassLoader()))
        .run(List.of(config.toString(), "--etcd", url), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void validStoredEntriesPass() throws Exception {
    kv.put("/portico/routes/orders", route("/orders", "app"));
    assertThat(validate(etcd.url())).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK ").contains("1 stored entries").contains("2 routes");
  }

  @Test
  void anInvalidStoredEntryFailsWithItsKeyAndError() throws Exception {
    kv.put("/portico/routes/orders", route("/orders", "app"));
    kv.put("/portico/routes/broken", route("/broken", "nowhere"));
    assertThat(validate(etcd.url())).isEqualTo(1);
    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(errors).contains("/portico/routes/broken").contains("nowhere").contains("1 stored entry");
    assertThat(errors).doesNotContain("/portico/routes/orders");
  }

  @Test
  void anUnreachableEtcdFails() throws Exception {
    String url = etcd.url();
    etcd.close();
    assertThat(validate(url)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("did not answer");
  }
}
