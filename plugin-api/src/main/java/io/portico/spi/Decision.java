package io.portico.spi;

import io.vertx.core.Future;

/**
 * What a plugin decides in {@link Plugin#onRequest} or {@link Plugin#onResponse}: carry on, or
 * answer the client with a {@link Reply}. A decision is a value, so a test can assert it.
 */
public sealed interface Decision permits Decision.Next, Reply {

  /** Carry on with the next plugin (or the upstream call). */
  static Decision next() {
    return Next.INSTANCE;
  }

  /** An already completed {@code Future} of {@link #next()}: the cheapest way to continue. */
  Future<Decision> CONTINUE = Future.succeededFuture(Next.INSTANCE);

  /** The "carry on" decision. */
  final class Next implements Decision {
    static final Next INSTANCE = new Next();

    private Next() {}

    @Override
    public String toString() {
      return "next";
    }
  }
}
