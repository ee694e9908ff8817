package io.portico.plugins.essentials;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.util.List;

/**
 * {@code client-cert}: the route needs a client certificate the listener verified (see
 * {@code listen.tls.client-auth}). Without one the answer is 401 {@code client_certificate_required};
 * when {@code subjects} is given and neither the certificate's subject nor any of its SANs matches
 * a pattern, 403 {@code client_certificate_forbidden}. The identity goes upstream in the configured
 * headers; headers of those names sent by the client are always removed first.
 */
public final class ClientCertPluginFactory implements PluginFactory<ClientCertPluginFactory.Config> {

  /**
   * @param subjects patterns matched against the subject (RFC 2253, e.g. {@code CN=ops-1,O=Acme})
   *     and each SAN value; {@code *} matches any run of characters; empty: any verified certificate
   * @param headers where the identity goes upstream
   */
  public record Config(List<String> subjects, Headers headers) {
    public Config {
      subjects = subjects != null ? List.copyOf(subjects) : List.of();
      headers = headers != null ? headers : new Headers(null, null, null);
    }
  }

  /**
   * Request header names for the identity; absent ones are not sent.
   *
   * @param subject the subject, RFC 2253
   * @param fingerprint SHA-256 of the certificate (DER), lower-case hex
   * @param san the SANs, comma separated
   */
  public record Headers(String subject, String fingerprint, String san) {}

  @Override
  public String name() {
    return "client-cert";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public int priority() {
    return 200; // before token checks: a refused certificate is answered without parsing a token
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public void validate(Config config, ConfigErrors errors) {
    for (int i = 0; i < config.subjects().size(); i++) {
      String pattern = config.subjects().get(i);
      if (pattern == null || pattern.isBlank()) {
        errors.add("subjects[" + i + "]", "must not be empty");
      }
    }
    Headers headers = config.headers();
    header(headers.subject(), "headers.subject", errors);
    header(headers.fingerprint(), "headers.fingerprint", errors);
    header(headers.san(), "headers.san", errors);
  }

  private static void header(String name, String path, ConfigErrors errors) {
    if (name != null && !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      errors.add(path, "not a header name: \"" + name + "\"");
    }
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    return new ClientCertPlugin(config);
  }
}
