package io.portico.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
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
    return vertx(options, candidates(settings),
        (opts, transport) -> Vertx.builder().with(opts).withTransport(transport).build());
  }

  /**
   * Starts on the first candidate that starts. io_uring can pass Netty's availability probe and
   * still fail to set up the loops' own, larger rings (a locked-memory limit on older kernels):
   * with {@code auto} the gateway then runs on the next transport instead of not at all.
   */
  static Vertx vertx(VertxOptions options, List<Transport> candidates, BiFunction<VertxOptions, Transport, Vertx> build) {
    RuntimeException failure = null;
    for (Transport transport : candidates) {
      try {
        Vertx vertx = build.apply(options, transport);
        log.info("event loops on the {} transport", transport.name());
        return vertx;
      } catch (RuntimeException | LinkageError e) {
        log.warn("event loops could not start on the {} transport: {}", transport.name(), e.toString());
        RuntimeException wrapped = new IllegalStateException("event loops could not start on " + transport.name(), e);
        if (failure != null) {
          wrapped.addSuppressed(failure);
        }
        failure = wrapped;
      }
    }
    throw failure;
  }

  /** The first transport {@link #vertx} tries. */
  static Transport choose(UnaryOperator<String> settings) {
    return candidates(settings).get(0);
  }

  /**
   * What the setting asks for: the transport it names, or for {@code auto} those available here,
   * best first, NIO last.
   *
   * @throws IllegalStateException when the setting is unknown or names a transport not available here
   */
  static List<Transport> candidates(UnaryOperator<String> settings) {
    String property = settings.apply(PROPERTY);
    boolean fromProperty = property != null && !property.isBlank();
    String setting = fromProperty ? property : settings.apply(ENV);
    String name = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    if (name.equals("auto")) {
      List<Transport> all = new ArrayList<>();
      for (Transport candidate : new Transport[] {Transport.IO_URING, Transport.EPOLL, Transport.KQUEUE}) {
        if (available(candidate)) {
          all.add(candidate);
        }
      }
      all.add(Transport.NIO);
      return List.copyOf(all);
    }
    String source = (fromProperty ? "-D" + PROPERTY : ENV) + "=" + setting;
    // a constant is null when the transport's classes are not on the class path
    Transport named = switch (name) {
      case "io_uring", "io-uring", "iouring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "kqueue" -> Transport.KQUEUE;
      case "nio" -> Transport.NIO;
      default -> throw new IllegalStateException(source + ": unknown transport (use auto, io_uring, epoll, kqueue or nio)");
    };
    if (!available(named)) {
      throw new IllegalStateException(source + ": not available here: " + reason(named));
    }
    return List.of(named);
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
