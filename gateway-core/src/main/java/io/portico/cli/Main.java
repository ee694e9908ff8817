package io.portico.cli;

import io.portico.spi.Command;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** {@code portico <command> [options]}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // Netty's pooled allocator emits JFR events for its chunks; the first allocation (the first
    // request, usually the readiness probe) then initialises JFR's event machinery, about 300 ms
    // of a start otherwise ready in 600 ms. -Dio.netty.jfr.enabled=true brings the events back.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
      usage(commands, out);
      return args.isEmpty() ? 2 : 0;
    }
    Command command = commands.get(args.get(0));
    if (command == null) {
      err.println("portico: unknown command \"" + args.get(0) + "\"");
      usage(commands, err);
      return 2;
    }
    try {
      return command.run(new ArrayList<>(args.subList(1, args.size())), out, err);
    } catch (IllegalArgumentException e) {
      err.println("portico " + command.name() + ": " + e.getMessage());
      err.println("usage: " + command.usage());
      return 2;
    } catch (Exception e) {
      err.println("portico " + command.name() + ": " + e);
      return 1;
    }
  }

  static Map<String, Command> commands() {
    Map<String, Command> commands = new LinkedHashMap<>();
    for (Command c : List.of(new RunCommand(), new ValidateCommand(), new DemoCommand())) {
      commands.put(c.name(), c);
    }
    for (Command c : ServiceLoader.load(Command.class)) {
      commands.putIfAbsent(c.name(), c);
    }
    return commands;
  }

  private static void usage(Map<String, Command> commands, PrintStream out) {
    out.println("usage: portico <command> [options]");
    commands.values().forEach(c -> out.println("  " + c.usage()));
  }
}
