package io.portico.testing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real gRPC server (grpc-java over its own Netty, plaintext HTTP/2) on 127.0.0.1 and a free port,
 * with a service {@code test.Echo} whose messages are plain bytes (no code generation) and the
 * standard health service {@code grpc.health.v1.Health}. It counts calls and cancellations and
 * keeps the metadata of the last call, so tests can see what reached it through the gateway.
 *
 * <p>{@link #UNARY} interprets its request as a command (UTF-8):
 * <ul>
 *   <li>{@code sleep:MS}: answers with the request after MS milliseconds (a cancellation first is
 *       counted in {@link #cancellations()});
 *   <li>{@code fail:CODE}: a trailers-only answer with that status, the description
 *       {@code "failed on request"} and the trailer {@code x-detail: why};
 *   <li>{@code trailer}: answers with the request, then status OK with the trailer
 *       {@code x-custom: yes};
 *   <li>anything else: echoed back.
 * </ul>
 * {@link #STREAM} takes {@code "COUNT:SIZE"} and sends COUNT messages of SIZE bytes, honouring flow
 * control; {@link #SUM} answers {@code "MESSAGES:BYTES"} for what the client streamed; {@link #CHAT}
 * echoes each message.
 */
public final class GrpcBackend implements AutoCloseable {
  /** Marshals messages as their raw bytes. */
  public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  public static final String SERVICE = "test.Echo";
  public static final MethodDescriptor<byte[], byte[]> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> STREAM =
      method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> SUM = method("Sum", MethodDescriptor.MethodType.CLIENT_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

  /** Trailer key the {@code fail:} and {@code trailer} commands set. */
  public static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> CUSTOM = Metadata.Key.of("x-custom", Metadata.ASCII_STRING_MARSHALLER);

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "grpc-backend-timer");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger cancellations = new AtomicInteger();
  private final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;

  private GrpcBackend(int port) throws IOException {
    ServerServiceDefinition echo = ServerServiceDefinition.builder(SERVICE)
        .addMethod(UNARY, new UnaryCommands())
        .addMethod(STREAM, ServerCalls.asyncServerStreamingCall(this::stream))
        .addMethod(SUM, ServerCalls.asyncClientStreamingCall(this::sum))
        .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(this::chat))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(echo)
        .addService(health.getHealthService())
        .intercept(new io.grpc.ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
              ServerCallHandler<Q, A> next) {
            calls.incrementAndGet();
            lastHeaders.set(headers);
            return next.startCall(call, headers);
          }
        })
        .build()
        .start();
  }

  /** Starts a server on a free port. */
  public static GrpcBackend start() {
    return start(0);
  }

  /** Starts a server on {@code port} (0: a free one), e.g. again on the port of one stopped before. */
  public static GrpcBackend start(int port) {
    try {
      return new GrpcBackend(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Calls that reached the server. */
  public int calls() {
    return calls.get();
  }

  /** Calls the server saw cancelled (the client or the gateway reset the stream). */
  public int cancellations() {
    return cancellations.get();
  }

  /** The request metadata of the last call, or {@code null}. */
  public Metadata lastHeaders() {
    return lastHeaders.get();
  }

  /** The standard health service: set a service's status with {@link HealthStatusManager#setStatus}. */
  public HealthStatusManager health() {
    return health;
  }

  /** A plaintext (prior-knowledge HTTP/2) channel to {@code 127.0.0.1:port}, e.g. the gateway's. */
  public static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Graceful stop: GOAWAY to the clients, calls in flight finish, then the port closes. */
  public void shutdownGracefully() {
    server.shutdown();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
  }

  private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  private void stream(byte[] request, StreamObserver<byte[]> responses) {
    String[] parts = text(request).split(":");
    int count = Integer.parseInt(parts[0]);
    byte[] message = new byte[parts.length > 1 ? Integer.parseInt(parts[1]) : 16];
    ServerCallStreamObserver<byte[]> out = (ServerCallStreamObserver<byte[]>) responses;
    int[] sent = {0};
    boolean[] done = {false};
    out.setOnCancelHandler(cancellations::incrementAndGet);
    // sends while the client takes more, resumes when it is ready again: flow control end to end
    out.setOnReadyHandler(() -> {
      while (out.isReady() && sent[0] < count && !out.isCancelled()) {
        out.onNext(message);
        sent[0]++;
      }
      if (sent[0] == count && !done[0]) {
        done[0] = true;
        out.onCompleted();
      }
    });
  }

  private StreamObserver<byte[]> sum(StreamObserver<byte[]> response) {
    ((ServerCallStreamObserver<byte[]>) response).setOnCancelHandler(cancellations::incrementAndGet);
    return new StreamObserver<>() {
      private long messages;
      private long bytes;

      @Override
      public void onNext(byte[] value) {
        messages++;
        bytes += value.length;
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        response.onNext(bytes(messages + ":" + bytes));
        response.onCompleted();
      }
    };
  }

  private StreamObserver<byte[]> chat(StreamObserver<byte[]> response) {
    ((ServerCallStreamObserver<byte[]>) response).setOnCancelHandler(cancellations::incrementAndGet);
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        response.onNext(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        response.onCompleted();
      }
    };
  }

  /** The unary method, written against {@link ServerCall} so it can set trailers of its own. */
  private final class UnaryCommands implements ServerCallHandler<byte[], byte[]> {
    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
      call.request(1);
      return new ServerCall.Listener<>() {
        private volatile boolean cancelled;

        @Override
        public void onMessage(byte[] message) {
          String command = text(message);
          if (command.startsWith("sleep:")) {
            long millis = Long.parseLong(command.substring("sleep:".length()));
            timers.schedule(() -> {
              if (!cancelled) {
                answer(call, message, new Metadata());
              }
            }, millis, TimeUnit.MILLISECONDS);
          } else if (command.startsWith("fail:")) {
            Metadata trailers = new Metadata();
            trailers.put(DETAIL, "why");
            call.close(Status.fromCodeValue(Integer.parseInt(command.substring("fail:".length())))
                .withDescription("failed on request"), trailers);
          } else if (command.equals("trailer")) {
            Metadata trailers = new Metadata();
            trailers.put(CUSTOM, "yes");
            answer(call, message, trailers);
          } else {
            answer(call, message, new Metadata());
          }
        }

        @Override
        public void onCancel() {
          cancelled = true;
          cancellations.incrementAndGet();
        }
      };
    }

    private void answer(ServerCall<byte[], byte[]> call, byte[] message, Metadata trailers) {
      synchronized (call) {
        call.sendHeaders(new Metadata());
        call.sendMessage(message);
        call.close(Status.OK, trailers);
      }
    }
  }
}
