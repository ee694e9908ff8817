package io.portico.upstream.grpcweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.portico.upstream.ResponseSink;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming pieces of the gRPC-Web translation: base64 both ways, content types, trailer frame. */
class GrpcWebCodecTest {
  private final Random random = new Random(16);

  @Test
  void contentTypesMapBothWays() {
    assertThat(GrpcWebMode.of("application/grpc-web")).isEqualTo(new GrpcWebMode(false, ""));
    assertThat(GrpcWebMode.of("application/grpc-web+proto")).isEqualTo(new GrpcWebMode(false, "+proto"));
    assertThat(GrpcWebMode.of("Application/GRPC-Web-Text; charset=utf-8")).isEqualTo(new GrpcWebMode(true, ""));
    assertThat(GrpcWebMode.of("application/grpc-web-text+proto")).isEqualTo(new GrpcWebMode(true, "+proto"));
    assertThat(GrpcWebMode.of("application/grpc")).isNull();
    assertThat(GrpcWebMode.of("application/grpc-webby")).isNull();
    assertThat(GrpcWebMode.of("application/json")).isNull();
    assertThat(GrpcWebMode.of(null)).isNull();

    assertThat(new GrpcWebMode(false, "+proto").upstreamContentType()).isEqualTo("application/grpc+proto");
    assertThat(new GrpcWebMode(true, "").upstreamContentType()).isEqualTo("application/grpc");
    assertThat(new GrpcWebMode(false, "").clientContentType("application/grpc+proto")).isEqualTo("application/grpc-web+proto");
    assertThat(new GrpcWebMode(true, "").clientContentType("application/grpc")).isEqualTo("application/grpc-web-text");
    assertThat(new GrpcWebMode(true, "").clientContentType("text/html")).isNull();
    assertThat(new GrpcWebMode(true, "").clientContentType("application/grpc-web")).isNull();
    assertThat(new GrpcWebMode(true, "").clientContentType(null)).isNull();
  }

  @Test
  void base64SplitAnywhereAndPaddedPerPieceDecodesToTheBytes() {
    for (int round = 0; round < 200; round++) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      // encoded in pieces, each padded on its own, as some clients send it
      StringBuilder text = new StringBuilder();
      for (int at = 0; at < bytes.length; ) {
        int piece = 1 + random.nextInt(10);
        int end = Math.min(bytes.length, at + piece);
        text.append(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, at, end)));
        if (random.nextInt(5) == 0) {
          text.append("\r\n");
        }
        at = end;
      }
      Base64Decoder decoder = new Base64Decoder();
      Buffer decoded = Buffer.buffer();
      byte[] wire = text.toString().getBytes(StandardCharsets.US_ASCII);
      for (int at = 0; at < wire.length; ) {
        int end = Math.min(wire.length, at + 1 + random.nextInt(7));
        decoded.appendBuffer(decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(wire, at, end))));
        at = end;
      }
      decoded.appendBuffer(decoder.finish());
      assertThat(decoded.getBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void unpaddedEndsAreAcceptedAndGarbageIsNot() {
    assertThat(Base64Decoder.decodeAll(Buffer.buffer("AQI")).getBytes()).isEqualTo(new byte[] {1, 2});
    assertThat(Base64Decoder.decodeAll(Buffer.buffer("AQ")).getBytes()).isEqualTo(new byte[] {1});
    assertThat(Base64Decoder.decodeAll(Buffer.buffer("-_8=")).getBytes()).isEqualTo(new byte[] {(byte) 0xFB, (byte) 0xFF});
    assertThatThrownBy(() -> Base64Decoder.decodeAll(Buffer.buffer("A"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Decoder.decodeAll(Buffer.buffer("A==="))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Decoder.decodeAll(Buffer.buffer("AQ=A"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Decoder.decodeAll(Buffer.buffer("AQ*A"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Decoder.decodeAll(Buffer.buffer("AQ="))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTextAnswerIsOneBase64StringPaddedOnlyAtTheEndWithTheTrailerFrameInside() {
    for (int round = 0; round < 100; round++) {
      byte[] body = new byte[random.nextInt(3000)];
      random.nextBytes(body);
      Collecting sink = new Collecting();
      GrpcWebResponse translator = new GrpcWebResponse(sink, true);
      int at = 0;
      while (at < body.length) {
        int end = Math.min(body.length, at + 1 + random.nextInt(500));
        translator.content(new DefaultHttpContent(Unpooled.copiedBuffer(body, at, end - at)));
        at = end;
      }
      LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      last.trailingHeaders().add("grpc-status", "0").add("X-Custom", "yes");
      translator.end(last);

      String text = sink.text();
      assertThat(text.indexOf('=')).as("padding only at the end").isIn(-1, text.length() - 1, text.length() - 2);
      byte[] decoded = Base64.getDecoder().decode(text);
      byte[] trailer = "grpc-status: 0\r\nx-custom: yes\r\n".getBytes(StandardCharsets.US_ASCII);
      Buffer expected = Buffer.buffer(body).appendByte((byte) 0x80).appendInt(trailer.length).appendBytes(trailer);
      assertThat(decoded).isEqualTo(expected.getBytes());
      assertThat(sink.noHttpTrailers).isTrue();
      assertThat(sink.released()).isTrue();
    }
  }

  @Test
  void aBinaryAnswerPassesItsChunksAsTheyAreAndEndsWithTheTrailerFrame() {
    Collecting sink = new Collecting();
    GrpcWebResponse translator = new GrpcWebResponse(sink, false);
    HttpContent chunk = new DefaultHttpContent(Unpooled.copiedBuffer(new byte[] {0, 0, 0, 0, 1, 42}));
    translator.content(chunk);
    LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer(new byte[] {7}));
    last.trailingHeaders().add("grpc-status", "3").add("grpc-message", "bad%20order");
    translator.end(last);

    assertThat(sink.chunks.get(0)).isSameAs(chunk);
    byte[] trailer = "grpc-status: 3\r\ngrpc-message: bad%20order\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(sink.bytes()).isEqualTo(Buffer.buffer(new byte[] {0, 0, 0, 0, 1, 42, 7}).appendByte((byte) 0x80)
        .appendInt(trailer.length).appendBytes(trailer).getBytes());
    assertThat(sink.noHttpTrailers).isTrue();
    assertThat(last.refCnt()).isZero();
  }

  @Test
  void anAnswerWithoutTrailersGetsNoTrailerFrame() {
    Collecting sink = new Collecting();
    GrpcWebResponse translator = new GrpcWebResponse(sink, false);
    translator.end(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER));
    assertThat(sink.bytes()).isEmpty();
  }

  /** Keeps what the translator passes on (copies), releasing it as the relay would. */
  private static final class Collecting implements ResponseSink {
    final List<HttpContent> chunks = new ArrayList<>();
    final Buffer body = Buffer.buffer();
    boolean noHttpTrailers;
    private final List<ByteBuf> passed = new ArrayList<>();

    @Override
    public void content(HttpContent content) {
      chunks.add(content);
      take(content);
    }

    @Override
    public void end(LastHttpContent last) {
      noHttpTrailers = last.trailingHeaders().isEmpty(); // the client never gets HTTP trailers
      take(last);
    }

    private void take(HttpContent content) {
      ByteBuf bytes = content.content();
      byte[] copy = new byte[bytes.readableBytes()];
      bytes.getBytes(bytes.readerIndex(), copy);
      body.appendBytes(copy);
      passed.add(bytes);
      content.release();
    }

    @Override
    public void failed(Throwable cause) {}

    String text() {
      return body.toString(StandardCharsets.US_ASCII);
    }

    byte[] bytes() {
      return body.getBytes();
    }

    boolean released() {
      return passed.stream().allMatch(b -> b.refCnt() == 0);
    }
  }
}
