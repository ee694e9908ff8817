package io.portico.testing.plugins;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Reply;
import io.portico.spi.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Test plugins that log their phases to {@link TraceLog} as {@code <request-id> <name>.<phase>}
 * and can answer, fail or answer late on request. Three kinds at three stages.
 */
public abstract class TracePluginFactory implements PluginFactory<TracePluginFactory.Config> {

  /**
   * @param replyStatus answer with this status in onRequest
   * @param fail throw in onRequest
   * @param delayMillis complete onRequest after this delay (asynchronously)
   * @param replaceStatus replace the answer with this status in onResponse
   */
  public record Config(Integer replyStatus, Boolean fail, Integer delayMillis, Integer replaceStatus, String addHeader,
      String tag, Boolean failCreate, Long readBody, Integer warmUpMillis, Boolean expose) {
    public Config {
      fail = fail != null ? fail : Boolean.FALSE;
      delayMillis = delayMillis != null ? delayMillis : 0;
      failCreate = failCreate != null ? failCreate : Boolean.FALSE;
    }
  }

  private final String name;
  private final Stage stage;

  TracePluginFactory(String name, Stage stage) {
    this.name = name;
    this.stage = stage;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Stage stage() {
    return stage;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    if (config.failCreate()) {
      throw new IllegalStateException("plugin " + name + " refuses to be created");
    }
    TraceLog.add("lifecycle " + name + ".create " + context.routeName() + " " + config.tag());
    return new Plugin() {
      @Override
      public Future<Void> warmUp() {
        if (config.warmUpMillis() == null) {
          return Future.succeededFuture();
        }
        Promise<Void> warm = Promise.promise();
        context.vertx().setTimer(config.warmUpMillis(), t -> {
          TraceLog.add("lifecycle " + name + ".warm " + context.routeName());
          warm.complete();
        });
        return warm.future();
      }

      @Override
      public Future<Void> close() {
        TraceLog.add("lifecycle " + name + ".close " + context.routeName() + " " + config.tag());
        return Future.succeededFuture();
      }

      @Override
      public Future<Decision> onRequest(Exchange exchange) {
        TraceLog.add(exchange.requestId() + " " + name + ".onRequest");
        if (config.tag() != null) {
          exchange.additionalResponseHeaders().set("x-tag", config.tag());
        }
        if (config.addHeader() != null) {
          exchange.requestHeaders().set(config.addHeader(), name);
          exchange.additionalResponseHeaders().set(config.addHeader(), name);
        }
        if (Boolean.TRUE.equals(config.expose())) {
          exchange.requestHeaders().set("x-seen-client-ip", exchange.clientIp());
          exchange.requestHeaders().set("x-seen-scheme", exchange.scheme());
          exchange.requestHeaders().set("x-seen-host", exchange.host());
        }
        if (config.readBody() != null) {
          return exchange.body(config.readBody()).map(body -> {
            exchange.requestHeaders().set("x-body-length", Integer.toString(body.length()));
            return Decision.next();
          });
        }
        if (config.fail()) {
          throw new IllegalStateException("plugin " + name + " fails on purpose");
        }
        Decision decision = config.replyStatus() != null
            ? Reply.error(config.replyStatus(), name + "_says_no", "refused by " + name)
            : Decision.next();
        if (config.delayMillis() > 0) {
          Promise<Decision> later = Promise.promise();
          context.vertx().setTimer(config.delayMillis(), t -> later.complete(decision));
          return later.future();
        }
        return Future.succeededFuture(decision);
      }

      @Override
      public Future<Decision> onResponse(Exchange exchange) {
        TraceLog.add(exchange.requestId() + " " + name + ".onResponse " + exchange.status());
        if (config.replaceStatus() != null) {
          return Reply.status(config.replaceStatus()).withHeader("x-replaced-by", name).asFuture();
        }
        return Decision.next().asFuture();
      }

      @Override
      public void onComplete(ExchangeLog log) {
        TraceLog.completed(log);
        TraceLog.add(log.requestId() + " " + name + ".onComplete " + log.status()
            + (log.errorCode() != null ? " " + log.errorCode() : ""));
      }
    };
  }

  /** {@code trace-ingress}. */
  public static final class Ingress extends TracePluginFactory {
    public Ingress() {
      super("trace-ingress", Stage.INGRESS);
    }
  }

  /** {@code trace-authn}. */
  public static final class Authn extends TracePluginFactory {
    public Authn() {
      super("trace-authn", Stage.AUTHN);
    }
  }

  /** {@code trace-traffic}. */
  public static final class Traffic extends TracePluginFactory {
    public Traffic() {
      super("trace-traffic", Stage.TRAFFIC);
    }
  }
}
