package io.portico.plugins.observability;

/**
 * @param endpoint OTLP/HTTP traces endpoint, e.g. {@code http://otel-collector:4318/v1/traces}
 * @param samplingRatio share of new traces recorded (parent decisions are followed), default 1.0
 * @param serviceName the {@code service.name} resource attribute, default {@code portico}
 */
public record TracingConfig(String endpoint, Double samplingRatio, String serviceName) {
  public TracingConfig {
    samplingRatio = samplingRatio != null ? samplingRatio : 1.0;
    serviceName = serviceName != null ? serviceName : "portico";
  }
}
