package io.portico.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/** Takes an upstream answer's body as it is read. Called on the event loop. */
public interface ResponseSink {
  /** A piece of the body; the sink owns and releases {@code content}. */
  void content(HttpContent content);

  /** The end of the body, possibly with its last bytes; the sink owns {@code last}. */
  void end(LastHttpContent last);

  /** The upstream broke off before the end. */
  void failed(Throwable cause);
}
