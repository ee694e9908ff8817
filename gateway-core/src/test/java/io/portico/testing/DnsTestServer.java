package io.portico.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on a loopback UDP port for tests: answers A and AAAA queries from a table that
 * tests change, with a TTL of one second, optionally after a delay; unknown names get NXDOMAIN.
 */
public final class DnsTestServer implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<String, List<String>> records = new ConcurrentHashMap<>();
  private final Map<String, Long> delays = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private final Channel channel;

  public DnsTestServer() throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answering());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  /** {@code host:port} to give the resolver. */
  public String address() {
    return "127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Answers {@code name} with these IPv4 or IPv6 addresses from now on. */
  public void set(String name, String... addresses) {
    records.put(name.endsWith(".") ? name : name + ".", List.of(addresses));
  }

  /** Answers NXDOMAIN for {@code name} from now on. */
  public void remove(String name) {
    records.remove(name.endsWith(".") ? name : name + ".");
  }

  /** Answers {@code name} only after {@code millis}. */
  public void delay(String name, long millis) {
    delays.put(name.endsWith(".") ? name : name + ".", millis);
  }

  public int queries() {
    return queries.get();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Answering extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) throws UnknownHostException {
      queries.incrementAndGet();
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      String name = question.name().toLowerCase();
      DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.setRecursionAvailable(true);
      response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
      List<String> addresses = records.get(name);
      if (addresses == null) {
        response.setCode(DnsResponseCode.NXDOMAIN);
      } else {
        for (String address : addresses) {
          byte[] bytes = InetAddress.getByName(address).getAddress();
          DnsRecordType type = bytes.length == 4 ? DnsRecordType.A : DnsRecordType.AAAA;
          if (type.equals(question.type())) {
            response.addRecord(DnsSection.ANSWER,
                new DefaultDnsRawRecord(question.name(), type, 1, Unpooled.wrappedBuffer(bytes)));
          }
        }
      }
      long delay = delays.getOrDefault(name, 0L);
      if (delay > 0) {
        ctx.executor().schedule(() -> ctx.writeAndFlush(response), delay, TimeUnit.MILLISECONDS);
      } else {
        ctx.writeAndFlush(response);
      }
    }
  }
}
