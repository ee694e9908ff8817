package io.portico.cli;

import io.portico.PorticoServer;
import io.portico.spi.Args;
import io.portico.spi.Command;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code portico run [--config FILE]}: the gateway, until SIGTERM or SIGINT. */
final class RunCommand implements Command {

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String usage() {
    return "run [--config routes/gateway.yaml]    start the gateway";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args parsed = Args.parse(args, List.of("config"));
    Path config = Path.of(parsed.option("config", "routes/gateway.yaml"));
    return ServerLifecycle.runUntilSignal(PorticoServer.builder().config(config), out, err);
  }
}
