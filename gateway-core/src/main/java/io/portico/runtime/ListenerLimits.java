package io.portico.runtime;

import io.portico.config.LimitsConfig;

/**
 * The request head limits the framing guard enforces, fixed when the listener starts.
 *
 * @param maxRequestLine longest request line (414 beyond)
 * @param maxHeaderSize total bytes of header lines (431 beyond)
 * @param maxHeaders number of header lines (431 beyond)
 * @param headTimeoutMillis deadline for a whole request head once it started (0: none)
 */
public record ListenerLimits(int maxRequestLine, int maxHeaderSize, int maxHeaders, long headTimeoutMillis) {

  static ListenerLimits of(LimitsConfig limits) {
    return new ListenerLimits(limits.maxRequestLine(), limits.maxHeaderSize(), limits.maxHeaders(),
        limits.headerTimeout().toMillis());
  }
}
