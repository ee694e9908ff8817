package io.portico.tls;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code portico_tls_certificate_expiry_seconds{source,subject}}: seconds until each loaded
 * certificate expires (negative once it has). A source ({@code listen}, {@code listen.client-auth},
 * {@code upstream:NAME}, {@code upstream:NAME.ca}) replaces its gauges when its files are reloaded.
 * Thread-safe.
 */
public final class CertificateExpiry {
  static final String METRIC = "portico.tls.certificate.expiry.seconds";

  private final MeterRegistry registry;
  private final Map<String, List<Gauge>> bySource = new HashMap<>();

  public CertificateExpiry(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The certificates {@code source} uses now (leaf certificates and CAs alike). */
  public synchronized void loaded(String source, List<X509Certificate> certificates) {
    forget(source);
    List<Gauge> gauges = new ArrayList<>(certificates.size());
    for (X509Certificate certificate : certificates) {
      long notAfter = certificate.getNotAfter().getTime();
      gauges.add(Gauge.builder(METRIC, () -> (notAfter - System.currentTimeMillis()) / 1000.0)
          .description("Seconds until the certificate expires")
          .tag("source", source)
          .tag("subject", certificate.getSubjectX500Principal().getName())
          .strongReference(true)
          .register(registry));
    }
    bySource.put(source, gauges);
  }

  /** Removes the gauges of {@code source}. */
  public synchronized void forget(String source) {
    List<Gauge> old = bySource.remove(source);
    if (old != null) {
      old.forEach(registry::remove);
    }
  }
}
