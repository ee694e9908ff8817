package io.portico.bench;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gRPC backend of {@code loadtest/grpc-vs-nginx.sh}: a grpc-java server (plaintext HTTP/2) on
 * 127.0.0.1 with one unary method, {@code bench.Echo/Unary}, that answers each message with itself.
 * Messages are raw bytes (no code generation). Handlers run on the transport threads, so the
 * backend adds as little as it can to what the proxies in front of it are measured by. On exit it
 * prints how many calls it answered, which the script checks against the load generator's count.
 *
 * <pre>java -cp ... io.portico.bench.GrpcEchoServer PORT</pre>
 */
public final class GrpcEchoServer {
  private GrpcEchoServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
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
    MethodDescriptor<byte[], byte[]> unary = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("bench.Echo/Unary")
        .setRequestMarshaller(bytes)
        .setResponseMarshaller(bytes)
        .build();
    LongAdder answered = new LongAdder();
    ServerServiceDefinition echo = ServerServiceDefinition.builder("bench.Echo")
        .addMethod(unary, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(request);
          response.onCompleted();
          answered.increment();
        }))
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .directExecutor()
        .addService(echo)
        .build()
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      System.out.println("answered " + answered.sum());
      System.out.flush();
    }));
    System.out.println("listening on 127.0.0.1:" + server.getPort());
    server.awaitTermination();
  }
}
