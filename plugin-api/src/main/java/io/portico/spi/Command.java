package io.portico.spi;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code portico} sub-command. Built-in commands are listed in {@link Main}; modules add more
 * through {@link java.util.ServiceLoader} (for example {@code register} from the etcd module).
 */
public interface Command {

  /** The word after {@code portico}. */
  String name();

  /** One line for {@code portico help}. */
  String usage();

  /**
   * Runs the command on the calling (main) thread and returns the process exit code. A command
   * that keeps running (a server) returns only when it is stopped.
   */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
