package io.portico.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport under the gateway's event loops, chosen once per process: the system property
 * {@code portico.transport} or the environment variable {@code PORTICO_TRANSPORT}, one of
 * {@code auto} (the default), {@code io_uring}, {@code epoll}, {@code kqueue} or {@code nio}.
 *
 * <p>{@code auto} takes io_uring when the kernel allows it, else epoll (kqueue on macOS), else NIO:
 * io_uring costs the plain proxy less CPU per request than epoll (docs/architecture.md); container
 * runtimes whose seccomp profile refuses io_uring's system calls leave it unavailable, and then
 * epoll is used. A transport named explicitly must be available, or the gateway does not start.
 */
public final class EventLoopTransport {
  private static final Logger log = LoggerFactory.getLogger(EventLoopTransport.class);
  static final String PROPERTY = "portico.transport";
  static final String ENV = "PORTICO_TRANSPORT";

  private EventLoopTransport() {
  }

  /** A Vert.x instance on the configured transport. */
  public static Vertx vertx(VertxOptions options) {
    return vertx(options, name -> name.equals(PROPERTY) ? System.getProperty(name) : System.getenv(name));
  }

  static Vertx vertx(VertxOptions options, UnaryOperator<String> settings) {
    Transport transport = choose(settings);
    log.info("event loops on the {} transport", transport.name());
    return Vertx.builder().with(options).withTransport(transport).build();
  }

  /** @throws IllegalStateException when the setting is unknown or names a transport not available here */
  static Transport choose(UnaryOperator<String> settings) {
    String setting = settings.apply(PROPERTY);
    String source = "-D" + PROPERTY;
    if (setting == null || setting.isBlank()) {
      setting = settings.apply(ENV);
      source = ENV;
    }
    String name = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    if (name.equals("auto")) {
      for (Transport candidate : new Transport[] {Transport.IO_URING, Transport.EPOLL, Transport.KQUEUE}) {
        if (available(candidate)) {
          return candidate;
        }
      }
      return Transport.NIO;
    }
    // a constant is null when the transport's classes are not on the class path
    Transport named = switch (name) {
      case "io_uring", "io-uring", "iouring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "kqueue" -> Transport.KQUEUE;
      case "nio" -> Transport.NIO;
      default -> throw new IllegalStateException(source + "=" + setting
          + ": unknown transport (use auto, io_uring, epoll, kqueue or nio)");
    };
    if (!available(named)) {
      throw new IllegalStateException(source + "=" + setting + ": not available here: " + reason(named));
    }
    return named;
  }

  private static boolean available(Transport transport) {
    return transport != null && transport.available();
  }

  private static String reason(Transport transport) {
    Throwable cause = transport == null ? null : transport.unavailabilityCause();
    return transport == null ? "its classes are not on the class path"
        : cause == null ? "no reason given" : String.valueOf(cause.getMessage());
  }
}
