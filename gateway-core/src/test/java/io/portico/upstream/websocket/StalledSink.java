package io.portico.upstream.websocket;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A WebSocket server that truly stops reading: a plain blocking socket on its own thread that
 * answers one handshake, then reads nothing until {@link #resume}; after that it reads one message
 * (its fragments unmasked) and completes {@link #digest} with the SHA-256 of its payload. Unlike an
 * event-loop server, nothing below it buffers what it does not read, so whatever the sender pushes
 * meanwhile has to stay in the TCP buffers or in the gateway.
 */
final class StalledSink implements AutoCloseable {
  private final ServerSocket server;
  private final CountDownLatch resumed = new CountDownLatch(1);
  final CompletableFuture<String> digest = new CompletableFuture<>();
  volatile long payloadBytes;

  StalledSink() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread = new Thread(this::serve, "stalled-sink");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void resume() {
    resumed.countDown();
  }

  private void serve() {
    try (Socket socket = server.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      String key = handshake(in);
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + Handshake.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      resumed.await();
      MessageDigest sha = Sha256.digest();
      byte[] chunk = new byte[64 * 1024];
      boolean fin = false;
      while (!fin) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        fin = (first & 0x80) != 0;
        long length = second & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] mask = new byte[4];
        in.readFully(mask);
        long offset = 0;
        while (offset < length) {
          int n = (int) Math.min(chunk.length, length - offset);
          in.readFully(chunk, 0, n);
          for (int i = 0; i < n; i++) {
            chunk[i] ^= mask[(int) ((offset + i) & 3)];
          }
          sha.update(chunk, 0, n);
          offset += n;
        }
        payloadBytes += length;
      }
      digest.complete(HexFormat.of().formatHex(sha.digest()));
    } catch (Exception e) {
      digest.completeExceptionally(e);
    }
  }

  private static String handshake(InputStream in) throws IOException {
    String head = RawHeads.read(in);
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("sec-websocket-key:")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    throw new IOException("no Sec-WebSocket-Key in " + head);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
