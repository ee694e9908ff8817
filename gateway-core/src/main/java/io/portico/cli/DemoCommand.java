package io.portico.cli;

import io.portico.PorticoServer;
import io.portico.demo.EchoServer;
import io.portico.spi.Args;
import io.portico.spi.Command;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code portico demo}: the gateway on the default config plus two echo backends on the ports that
 * config names, for a first look at load-balanced proxying.
 */
final class DemoCommand implements Command {

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo [--config routes/gateway.yaml]   the gateway plus echo backends on 127.0.0.1:9001 and :9002";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args parsed = Args.parse(args, List.of("config", "backends"));
    Path config = Path.of(parsed.option("config", "routes/gateway.yaml"));
    List<Integer> ports = List.of(parsed.option("backends", "9001,9002").split(",")).stream()
        .map(String::trim).map(Integer::valueOf).toList();
    PorticoServer.Builder builder = PorticoServer.builder().config(config).beforeStart(vertx ->
        Future.all(ports.stream().map(p -> EchoServer.start(vertx, "127.0.0.1", p, "echo-" + p)).toList())
            .onSuccess(v -> out.println("demo: echo backends on " + ports))
            .mapEmpty());
    return ServerLifecycle.runUntilSignal(builder, out, err);
  }
}
