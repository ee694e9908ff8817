package io.portico.config.bind;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The errors of one config being validated. An error given by path alone is located in the
 * document tree, so a check on bound records still reports the file and line.
 */
public final class ConfigProblems {

  private final ConfigNode root;
  private final List<ConfigError> errors = new ArrayList<>();

  public ConfigProblems(ConfigNode root) {
    this.root = root;
  }

  /**
   * Reports a problem at {@code path} (from the root), at the line the path leads to. Checks run
   * on records bound as far as possible, so a field that failed to bind shows up as missing: a
   * problem on a field (or inside one) that already has an error is not reported again, nor a
   * missing field for which an unknown key beside it was taken as a misspelling. One mistake
   * gives one error.
   */
  public void add(String path, String message) {
    if (message.startsWith("is required") && RecordBinder.explainedByTypo(errors, path) || alreadyFailed(path)) {
      return;
    }
    errors.add(new ConfigError(NodePaths.locate(root, path), path, message));
  }

  private boolean alreadyFailed(String path) {
    for (ConfigError error : errors) {
      String failed = error.path();
      if (path.equals(failed) || path.startsWith(failed + ".") || path.startsWith(failed + "[")) {
        return true;
      }
    }
    return false;
  }

  /** Whether an error was reported inside {@code path} (on one of its fields or items). */
  public boolean failedUnder(String path) {
    for (ConfigError error : errors) {
      if (error.path().startsWith(path + ".") || error.path().startsWith(path + "[")) {
        return true;
      }
    }
    return false;
  }

  /** The document's node at {@code path}, or null. */
  public ConfigNode node(String path) {
    return NodePaths.find(root, path);
  }

  /** The text of the scalar at {@code path}, or null when there is none. */
  public String scalar(String path) {
    return NodePaths.find(root, path) instanceof ConfigNode.Scalar scalar ? scalar.value() : null;
  }

  /** Where {@code path} (from the root) is defined, for "first at" hints. */
  public ConfigNode.Origin origin(String path) {
    return NodePaths.locate(root, path);
  }

  /** The live list, for binders that add to it directly. */
  public List<ConfigError> list() {
    return errors;
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Every error, in file and line order (checks run by topic, readers read top-down). */
  public ConfigException exception() {
    List<ConfigError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparing((ConfigError e) -> e.origin() == null ? "" : e.origin().source())
        .thenComparingInt(e -> e.origin() == null ? 0 : e.origin().line()));
    return new ConfigException(sorted);
  }
}
