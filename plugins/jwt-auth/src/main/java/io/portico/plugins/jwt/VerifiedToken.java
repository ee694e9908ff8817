package io.portico.plugins.jwt;

import java.util.Map;

/**
 * A token that passed every check, as remembered in the cache until its expiry.
 *
 * @param consumer the consumer claim's value, or {@code null}
 * @param headers request headers to set from claims ({@code claims-to-headers})
 * @param notBeforeMillis {@code nbf}, rechecked on cache hits (0 when absent)
 * @param expiresAtMillis {@code exp} (plus skew), or {@code Long.MAX_VALUE} without one
 */
record VerifiedToken(String consumer, Map<String, String> headers, long notBeforeMillis, long expiresAtMillis) {}
