package io.portico.plugins.etcd;

import io.portico.spi.Args;
import io.portico.spi.Command;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * {@code portico register --service S --address H:P --ttl 10s [--etcd URL] [--id ID] [--weight N]
 * [--prefix /portico/]}: keeps an instance of any language registered until SIGTERM or SIGINT.
 */
public final class RegisterCommand implements Command {
  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public String name() {
    return "register";
  }

  @Override
  public String usage() {
    return "register --service S --address H:P --ttl 10s [--etcd URL] [--id ID] [--weight N]   keep an instance registered in etcd";
  }

  /** Ends {@link #run} as a signal would (for embedding and tests). */
  public void stop() {
    stop.countDown();
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args parsed = Args.parse(args, List.of("service", "address", "ttl", "etcd", "id", "weight", "prefix"));
    String service = parsed.option("service", null);
    String address = parsed.option("address", null);
    if (service == null || address == null) {
      throw new IllegalArgumentException("--service and --address are required");
    }
    Duration ttl = Duration.ofSeconds(Long.parseLong(parsed.option("ttl", "10s").replaceAll("s$", "")));
    String id = parsed.option("id", address.replace(':', '-'));
    int weight = Integer.parseInt(parsed.option("weight", "1"));
    EtcdRegistrar registrar = EtcdRegistrar.connect(List.of(parsed.option("etcd", "http://127.0.0.1:2379")),
        parsed.option("prefix", "/portico/"));
    Signal.handle(new Signal("TERM"), s -> stop());
    Signal.handle(new Signal("INT"), s -> stop());
    try (EtcdRegistrar.Registration registration = registrar.register(service, id, address, weight, ttl)) {
      out.println("registered " + registration.key() + " -> " + address + " (ttl " + ttl.toSeconds() + "s); stop with Ctrl-C");
      stop.await();
    }
    out.println("deregistered");
    return 0;
  }
}
