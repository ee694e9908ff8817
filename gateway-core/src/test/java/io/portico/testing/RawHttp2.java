package io.portico.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A deliberately raw HTTP/2 client: it writes header blocks as literal HPACK fields exactly as
 * given (any bytes, any order, upper case, pseudo-header fields anywhere), which no well-behaved
 * encoder would, and reads back what the server makes of each stream. Over cleartext with prior
 * knowledge, after an HTTP/1.1 {@code Upgrade: h2c}, or over TLS with ALPN {@code h2}.
 */
public final class RawHttp2 implements AutoCloseable {
  private final java.util.Set<Integer> endedWithHeaders = new java.util.HashSet<>();
  private final java.util.Map<Integer, List<Http2Headers>> received = new java.util.HashMap<>();
  /** What became of one stream: an answer, a reset, or the end of the connection. */
  public record Outcome(int status, String body, long resetCode, boolean connectionClosed) {
    public boolean reset() {
      return resetCode >= 0;
    }

    /** A stream error or a 400: the two answers RFC 9113 allows for a malformed request. */
    public boolean refused() {
      return resetCode == 1 || status == 400 || connectionClosed;
    }
  }

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int CONTINUATION = 9;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private final Map<Integer, Integer> statuses = new HashMap<>();
  private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
  private final Map<Integer, Long> resets = new HashMap<>();
  private final Map<Integer, Boolean> ended = new HashMap<>();
  private boolean closed;

  private RawHttp2(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
    socket.setSoTimeout(10_000);
  }

  /** Cleartext HTTP/2 with prior knowledge. */
  public static RawHttp2 priorKnowledge(int port) {
    try {
      RawHttp2 client = new RawHttp2(new Socket("127.0.0.1", port));
      client.preface();
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** HTTP/2 over TLS, negotiated with ALPN; the server's certificate is not checked. */
  public static RawHttp2 tls(int port) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      if (!"h2".equals(socket.getApplicationProtocol())) {
        throw new IllegalStateException("server did not choose h2: " + socket.getApplicationProtocol());
      }
      RawHttp2 client = new RawHttp2(socket);
      client.preface();
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Cleartext HTTP/2 after an HTTP/1.1 upgrade of {@code GET path}; the answer to that first
   * request is stream 1, so the caller's streams start at 3.
   */
  public static RawHttp2 upgrade(int port, String path) {
    try {
      RawHttp2 client = new RawHttp2(new Socket("127.0.0.1", port));
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
      client.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      client.out.flush();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) client.in.readUnsignedByte());
      }
      if (!head.toString().startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("upgrade refused: " + head);
      }
      client.preface();
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void preface() throws IOException {
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  /** Sends a HEADERS frame of literal fields, {@code name, value, name, value…}, as given. */
  public RawHttp2 headers(int streamId, boolean endStream, List<String> fields) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < fields.size(); i += 2) {
      block.write(0x00); // literal field without indexing, new name
      string(block, fields.get(i));
      string(block, fields.get(i + 1));
    }
    return send(HEADERS, (endStream ? 0x1 : 0) | 0x4, streamId, block.toByteArray());
  }

  /** Sends a DATA frame. */
  public RawHttp2 data(int streamId, boolean endStream, String payload) {
    return send(DATA, endStream ? 0x1 : 0, streamId, payload.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A {@code GET path} on {@code streamId} with the usual pseudo-header fields, then {@code extra}. */
  public static List<String> get(String path, String... extra) {
    List<String> fields = new java.util.ArrayList<>(List.of(":method", "GET", ":scheme", "http", ":path", path,
        ":authority", "127.0.0.1"));
    fields.addAll(List.of(extra));
    return fields;
  }

  /**
   * Whether {@code streamId} ended on a HEADERS frame with END_STREAM and no DATA frame before it
   * (a trailers-only answer); call after {@link #await}.
   */
  public boolean endedWithHeaders(int streamId) {
    return endedWithHeaders.contains(streamId);
  }

  /** The header blocks received on {@code streamId}, in order; call after {@link #await}. */
  public List<Http2Headers> headerBlocks(int streamId) {
    return received.getOrDefault(streamId, List.of());
  }

  /** Reads frames until {@code streamId} ends, is reset or the connection closes. */
  public Outcome await(int streamId) {
    try {
      while (!closed && !ended.containsKey(streamId) && !resets.containsKey(streamId)) {
        readFrame();
      }
    } catch (EOFException | SocketTimeoutException e) {
      closed = true;
    } catch (IOException e) {
      closed = true;
    }
    ByteArrayOutputStream body = bodies.get(streamId);
    return new Outcome(statuses.getOrDefault(streamId, -1),
        body == null ? "" : body.toString(StandardCharsets.UTF_8), resets.getOrDefault(streamId, -1L),
        closed && !ended.containsKey(streamId) && !resets.containsKey(streamId));
  }

  private void readFrame() throws IOException {
    int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int streamId = in.readInt() & 0x7FFFFFFF;
    byte[] payload = new byte[length];
    in.readFully(payload);
    switch (type) {
      case DATA -> {
        bodies.computeIfAbsent(streamId, id -> new ByteArrayOutputStream()).write(payload);
        if ((flags & 0x1) != 0) {
          ended.put(streamId, true);
        }
      }
      case HEADERS, CONTINUATION -> {
        Http2Headers headers = decode(streamId, payload, flags, type);
        if (headers.status() != null) {
          statuses.put(streamId, Integer.parseInt(headers.status().toString()));
        }
        received.computeIfAbsent(streamId, id -> new java.util.ArrayList<>()).add(headers);
        if ((flags & 0x1) != 0) {
          ended.put(streamId, true);
          if (!bodies.containsKey(streamId)) {
            endedWithHeaders.add(streamId);
          }
        }
      }
      case RST_STREAM -> resets.put(streamId, ((long) (payload[0] & 0xFF) << 24) | ((payload[1] & 0xFF) << 16)
          | ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF));
      case SETTINGS -> {
        if ((flags & 0x1) == 0) {
          frame(SETTINGS, 0x1, 0, new byte[0]);
        }
      }
      case PING -> {
        if ((flags & 0x1) == 0) {
          frame(PING, 0x1, 0, payload);
        }
      }
      case GOAWAY -> closed = true;
      default -> { }
    }
  }

  private Http2Headers decode(int streamId, byte[] payload, int flags, int type) throws IOException {
    int offset = 0;
    int end = payload.length;
    if (type == HEADERS) {
      if ((flags & 0x8) != 0) {
        end -= payload[0] & 0xFF;
        offset = 1;
      }
      if ((flags & 0x20) != 0) {
        offset += 5;
      }
    }
    ByteBuf block = Unpooled.wrappedBuffer(payload, offset, end - offset);
    try {
      return decoder.decodeHeaders(streamId, block);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  private RawHttp2 send(int type, int flags, int streamId, byte[] payload) {
    try {
      frame(type, flags, streamId, payload);
      return this;
    } catch (IOException e) {
      closed = true; // the server may have closed already; await() tells
      return this;
    }
  }

  private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags, (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8),
        (byte) streamId};
    out.write(head);
    out.write(payload);
    out.flush();
  }

  private static void string(ByteArrayOutputStream block, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    integer(block, bytes.length, 7, 0x00); // no Huffman coding: the bytes go as they are
    block.write(bytes, 0, bytes.length);
  }

  private static void integer(ByteArrayOutputStream block, int value, int prefixBits, int mask) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      block.write(mask | value);
      return;
    }
    block.write(mask | max);
    value -= max;
    while (value >= 128) {
      block.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    block.write(value);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) { }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) { }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
