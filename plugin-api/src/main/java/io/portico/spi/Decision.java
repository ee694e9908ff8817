package io.portico.spi;

import io.vertx.core.Future;

/**
 * What a plugin decides in {@link Plugin#onRequest} or {@link Plugin#onResponse}: carry on, or
 * answer the client with a {@link Reply}. A decision is a value, so a test can assert it.
 *
 * <p>A phase returns a {@link Future} of its decision, so that it may wait for I/O; when it decides
 * at once, it returns the decision {@link #asFuture() as a completed future}:
 *
 * <pre>{@code
 * public Future<Decision> onRequest(Exchange exchange) {
 *   if (exchange.requestHeaders().get("x-api-key") == null) {
 *     return UNAUTHORIZED.asFuture();      // a Reply built once, in create()
 *   }
 *   return Decision.next().asFuture();     // carry on
 * }
 * }</pre>
 */
public sealed interface Decision permits Decision.Next, Reply {

  /** Carry on with the next plugin (or the upstream call). */
  static Decision next() {
    return Next.INSTANCE;
  }

  /**
   * This decision as an already completed future, what a phase returns when it decided without
   * waiting. {@code Decision.next().asFuture()} returns one shared instance: it allocates nothing.
   *
   * @since 1.4
   */
  default Future<Decision> asFuture() {
    return Future.succeededFuture(this);
  }

  /**
   * An already completed {@code Future} of {@link #next()}.
   *
   * @deprecated since 1.4: return {@code Decision.next().asFuture()}, the same instance, so that
   *     "carry on" is written one way
   */
  @Deprecated(since = "1.4")
  Future<Decision> CONTINUE = Next.FUTURE;

  /** The "carry on" decision. */
  final class Next implements Decision {
    static final Next INSTANCE = new Next();
    static final Future<Decision> FUTURE = Future.succeededFuture(INSTANCE);

    private Next() {}

    @Override
    public Future<Decision> asFuture() {
      return FUTURE;
    }

    @Override
    public String toString() {
      return "next";
    }
  }
}
