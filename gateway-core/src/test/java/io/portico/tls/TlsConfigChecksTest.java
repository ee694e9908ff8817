package io.portico.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.X509Bundle;
import io.portico.config.ConfigException;
import io.portico.config.load.ConfigLoader;
import io.portico.config.ValidatedConfig;
import io.portico.plugin.PluginRegistry;
import io.portico.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What validation (and so {@code portico validate}) says about tls blocks and their files. */
class TlsConfigChecksTest {
  @TempDir
  Path dir;
  X509Bundle ca;

  @BeforeEach
  void files() {
    ca = TestPki.ca("test-ca");
    TestPki.write(dir, "api", TestPki.leaf(ca, "api.test", "api.test"));
    TestPki.write(dir, "shop", TestPki.leaf(ca, "shop.test", "shop.test"));
    TestPki.writeCa(dir, "ca", ca);
  }

  ValidatedConfig load(String yaml) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(PluginRegistry.load(getClass().getClassLoader())).load(file);
  }

  String errors(String yaml) {
    return assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class).actual().getMessage();
  }

  @Test
  void theIssuesContractLoads() throws Exception {
    ValidatedConfig config = load("""
        listen:
          port: 8443
          tls:
            certificates:
              - { cert: api.pem, key: api.key }
              - { cert: shop.pem, key: shop.key }
            client-auth: { mode: request, ca: ca.pem }
            protocols: [TLSv1.3, TLSv1.2]
        upstreams:
          - name: billing
            endpoints: [billing.internal:8443]
            tls: { ca: ca.pem, server-name: billing.internal, cert: api.pem, key: api.key }
        routes:
          - { name: billing, upstream: billing }
        """);

    assertThat(config.gateway().listen().tls().all()).hasSize(2);
    assertThat(config.gateway().listen().tls().clientAuth().mode()).isEqualTo("request");
    assertThat(config.gateway().upstreams().get(0).tls().serverName()).isEqualTo("billing.internal");
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsNamed() {
    String message = errors("""
        listen: { tls: { certificates: [ { cert: api.pem, key: api.key }, { cert: shop.pem, key: api.key } ] } }
        routes: []
        """);

    assertThat(message).contains("listen.tls.certificates[1]").contains("api.key is not the private key of")
        .contains("shop.pem");
  }

  @Test
  void missingAndUnparsableFilesAreNamed() throws Exception {
    Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    String message = errors("""
        listen: { tls: { cert: missing.pem, key: api.key } }
        upstreams:
          - { name: b, endpoints: [127.0.0.1:1], tls: { ca: garbage.pem } }
        routes:
          - { name: b, upstream: b }
        """);

    assertThat(message).contains("listen.tls").contains("missing.pem: no such file");
    assertThat(message).contains("upstreams[0].tls.ca").contains("garbage.pem");
  }

  @Test
  void incompleteBlocksAreRejected() {
    String message = errors("""
        listen: { tls: { cert: api.pem, key: api.key, client-auth: { mode: demand }, protocols: [TLSv1.1] } }
        upstreams:
          - { name: b, endpoints: [127.0.0.1:1], tls: { cert: api.pem } }
        routes:
          - { name: b, upstream: b }
        """);

    assertThat(message).contains("listen.tls.client-auth.mode: expected none, request or require, got \"demand\"");
    assertThat(message).contains("listen.tls.protocols[0]");
    assertThat(message).contains("upstreams[0].tls.key: is required with cert");
  }

  @Test
  void clientAuthNeedsItsCa() {
    assertThat(errors("""
        listen: { tls: { cert: api.pem, key: api.key, client-auth: { mode: require } } }
        routes: []
        """)).contains("listen.tls.client-auth.ca: is required with mode require");
  }
}
