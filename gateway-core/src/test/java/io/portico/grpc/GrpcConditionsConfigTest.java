package io.portico.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.TestConfigs;
import io.portico.config.ValidatedConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gRPC status names as retry and outlier conditions: accepted by name, refused with file, line and field. */
class GrpcConditionsConfigTest {
  @TempDir
  Path dir;

  static final String VALID = """
      upstreams:
        - name: orders
          endpoints: [127.0.0.1:50051]
          outlier: { consecutive-failures: 3, grpc-statuses: [unavailable, internal] }
      routes:
        - name: orders
          match: { path-prefix: /orders.v1.Orders/ }
          upstream: orders
          retries: { attempts: 3, on: [unavailable, resource-exhausted, connect-failure, 503] }
      """;

  @Test
  void namesAreAccepted() throws ConfigException {
    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", VALID));
    assertThat(config.gateway().routes().get(0).retries().on())
        .containsExactly("unavailable", "resource-exhausted", "connect-failure", "503");
    assertThat(config.gateway().upstreams().get(0).outlier().grpcStatuses()).containsExactly("unavailable", "internal");
  }

  @Test
  void anUnknownRetryNameIsAnErrorAtItsLineAndField() {
    ConfigError error = onlyError(VALID.replace("on: [unavailable, resource-exhausted", "on: [unavailable, resource-exausted"));
    assertThat(error.path()).isEqualTo("routes[0].retries.on[1]");
    assertThat(error.origin().line()).isEqualTo(9);
    assertThat(error.message()).isEqualTo("expected connect-failure, reset, timeout or a status such as 503, got"
        + " \"resource-exausted\" (did you mean \"resource-exhausted\"?)");
  }

  @Test
  void anUnknownOutlierNameIsAnErrorAtItsLineAndField() {
    ConfigError error = onlyError(VALID.replace("grpc-statuses: [unavailable, internal]", "grpc-statuses: [unavailable, 14]"));
    assertThat(error.path()).isEqualTo("upstreams[0].outlier.grpc-statuses[1]");
    assertThat(error.origin().line()).isEqualTo(4);
    assertThat(error.message()).startsWith("expected a gRPC status name such as unavailable, got \"14\"");
  }

  private ConfigError onlyError(String yaml) {
    Path file = TestConfigs.write(dir, "gateway.yaml", yaml);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> TestConfigs.load(file));
    assertThat(e).isNotNull();
    List<ConfigError> errors = e.errors();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).origin().source()).isEqualTo(file.toString());
    return errors.get(0);
  }
}
