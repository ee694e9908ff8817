package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code config:} block names at most one config store, and only an installed one. */
class ConfigStoreChoiceTest {
  @TempDir Path dir;

  @Test
  void etcdAndKubernetesAreMutuallyExclusive() {
    String yaml = """
        config:
          etcd: { endpoints: [http://127.0.0.1:2379] }
          kubernetes: { namespace: shop }
        """;
    List<ConfigError> errors = TestConfigs.errors(TestConfigs.write(dir, "gateway.yaml", yaml));
    assertThat(errors).anySatisfy(error -> {
      assertThat(error.path()).isEqualTo("config.kubernetes");
      assertThat(error.message()).contains("config.etcd and config.kubernetes are mutually exclusive");
    });
  }

  @Test
  void kubernetesStoreNeedsItsModule() {
    String yaml = """
        config:
          kubernetes: { namespace: shop }
        """;
    List<ConfigError> errors = TestConfigs.errors(TestConfigs.write(dir, "gateway.yaml", yaml));
    assertThat(errors).anySatisfy(error -> {
      assertThat(error.path()).isEqualTo("config.kubernetes");
      assertThat(error.message()).contains("no config store of type kubernetes is installed");
    });
  }
}
