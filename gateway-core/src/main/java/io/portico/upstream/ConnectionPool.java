package io.portico.upstream;

/**
 * The connections of one event loop to one endpoint, handing each try an {@link UpstreamConnection}:
 * a whole HTTP/1.1 connection ({@link Http1ConnectionPool}) or one stream of a multiplexed HTTP/2
 * connection ({@link Http2ConnectionPool}). Confined to its event loop.
 */
public interface ConnectionPool {

  /** Waits for a connection. Called on the event loop. */
  interface Lease {
    void acquired(UpstreamConnection connection);

    void connectFailed(Throwable cause);
  }

  /** {@code host:port} of the endpoint. */
  String address();

  /** Hands {@code lease} a connection now, once one is connected, or when one comes back. */
  void acquire(Lease lease);

  /** Forgets a lease that no longer waits (its exchange ended or timed out). */
  void cancel(Lease lease);

  /**
   * Takes a connection back after an exchange; a connection that may not be reused is closed.
   * Called by the connection itself.
   */
  void release(UpstreamConnection connection, boolean reusable);

  /** A connection closed (idle, in use, or just failed). Called by the connection itself. */
  void closed(UpstreamConnection connection);

  /** Closes the idle connections and refuses new ones (the loop's listener is stopping). */
  void close();
}
