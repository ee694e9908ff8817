package io.portico.spi;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code portico} sub-command. The gateway has its own ({@code run}, {@code validate},
 * {@code demo}); a module adds more by listing its implementation in
 * {@code META-INF/services/io.portico.spi.Command}, found through {@link java.util.ServiceLoader}
 * like plugin factories (for example {@code register} from the discovery-etcd module). A built-in
 * command wins over a module's of the same name.
 *
 * <p>Commands run on the launcher's main thread, before and outside any gateway: they may block,
 * and they see nothing of the engine but what this API offers.
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
