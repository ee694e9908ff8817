package io.portico.upstream.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads an HTTP/1.1 head off a raw socket, for the scripted peers of these tests. */
final class RawHeads {
  private RawHeads() {}

  /** The bytes up to and including the blank line that ends the head; fails if the peer hangs up first. */
  static String read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the peer hung up inside a head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
