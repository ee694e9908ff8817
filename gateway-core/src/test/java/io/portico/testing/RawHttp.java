package io.portico.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Writes raw bytes to a server and reads what comes back, to test what parsers do with them. */
public final class RawHttp {
  /** What the server answered and whether it closed the connection. */
  public record Exchange(String response, boolean closed) {
    public int status() {
      if (!response.startsWith("HTTP/1.")) {
        return -1;
      }
      return Integer.parseInt(response.substring(9, 12));
    }

    public String body() {
      int end = response.indexOf("\r\n\r\n");
      return end < 0 ? "" : response.substring(end + 4);
    }
  }

  private RawHttp() {}

  /** Sends {@code request} and reads until the server closes or is quiet for {@code quietMillis}. */
  public static Exchange send(int port, String request, int quietMillis) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(quietMillis);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Exchange read(Socket socket) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    boolean closed;
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (IOException e) {
      closed = true; // reset
    }
    return new Exchange(out.toString(StandardCharsets.ISO_8859_1), closed);
  }
}
