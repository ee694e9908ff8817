package io.portico.plugins.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code tracing}: OpenTelemetry spans, a server span per request and a client span per upstream
 * call, with W3C {@code traceparent}/{@code tracestate} and baggage propagated upstream. A route
 * without the plugin pays nothing.
 */
public final class TracingPluginFactory implements PluginFactory<TracingConfig> {
  private static final AtomicReference<SpanExporter> EXPORTER_OVERRIDE = new AtomicReference<>();
  private final Map<TracingConfig, OpenTelemetrySdk> sdks = new ConcurrentHashMap<>();

  /**
   * Sends spans to {@code exporter} instead of OTLP, synchronously: for embedding the gateway and
   * for tests (with the SDK's in-memory exporter). Pass {@code null} to go back to OTLP.
   */
  public static void exportTo(SpanExporter exporter) {
    EXPORTER_OVERRIDE.set(exporter);
  }

  @Override
  public String name() {
    return "tracing";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 9_500;
  }

  @Override
  public Class<TracingConfig> configType() {
    return TracingConfig.class;
  }

  @Override
  public void validate(TracingConfig config, ConfigErrors errors) {
    if (config.samplingRatio() < 0 || config.samplingRatio() > 1) {
      errors.add("sampling-ratio", "must be between 0 and 1");
    }
    if (config.endpoint() != null && !config.endpoint().startsWith("http://") && !config.endpoint().startsWith("https://")) {
      errors.add("endpoint", "must be an http(s) URL of an OTLP/HTTP traces endpoint");
    }
  }

  @Override
  public Plugin create(TracingConfig config, PluginContext context) {
    OpenTelemetrySdk sdk = sdks.computeIfAbsent(config, TracingPluginFactory::sdk);
    return new TracingPlugin(sdk.getTracer("io.portico"), sdk.getPropagators().getTextMapPropagator(), context.routeName());
  }

  private static OpenTelemetrySdk sdk(TracingConfig config) {
    SpanExporter override = EXPORTER_OVERRIDE.get();
    SdkTracerProviderBuilder tracing = SdkTracerProvider.builder()
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName()))));
    if (override != null) {
      tracing.addSpanProcessor(SimpleSpanProcessor.create(override));
    } else if (config.endpoint() != null) {
      tracing.addSpanProcessor(BatchSpanProcessor.builder(
          OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint()).build()).build());
    }
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracing.build())
        .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
        .build();
  }
}
