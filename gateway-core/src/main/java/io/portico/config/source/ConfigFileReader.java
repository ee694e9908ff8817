package io.portico.config.source;

import io.portico.config.ConfigDocuments;
import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a config file with the files it includes ({@code include: [a.yaml, "conf.d/*.yaml"]},
 * relative to the including file; wildcards in the file name only), or every {@code *.yaml} and
 * {@code *.yml} of a directory in name order, and merges them with {@link DocumentMerger}.
 * Include cycles and files included twice are errors.
 *
 * <p>Blocking file I/O: call it off the event loops. One instance reads one config.
 */
public final class ConfigFileReader {

  private static final Set<String> INCLUDE = Set.of("include");

  private final List<ConfigError> errors = new ArrayList<>();
  private final DocumentMerger merger = new DocumentMerger(errors);
  private final List<Path> files = new ArrayList<>();
  private final Set<Path> directories = new LinkedHashSet<>();
  private final Set<Path> loaded = new HashSet<>();
  private final List<Path> chain = new ArrayList<>();
  private final ContentHash hash = new ContentHash();

  private ConfigFileReader() {}

  /** Reads a file or a directory; throws with every read, syntax and merge error found. */
  public static ConfigDocuments read(Path fileOrDir) throws ConfigException {
    Attempt attempt = attempt(fileOrDir);
    if (attempt.error() != null) {
      throw attempt.error();
    }
    return attempt.documents();
  }

  /**
   * The outcome of reading a config: the documents or the error, and in both cases the files and
   * folders that were looked at (what to watch for the edit that fixes a broken config).
   */
  public record Attempt(ConfigDocuments documents, ConfigException error, List<Path> files, List<Path> directories) {}

  public static Attempt attempt(Path fileOrDir) {
    ConfigFileReader reader = new ConfigFileReader();
    if (Files.isDirectory(fileOrDir)) {
      reader.directories.add(fileOrDir);
      for (Path file : reader.list(fileOrDir, "*.{yaml,yml}", new ConfigNode.Origin(fileOrDir.toString(), 0))) {
        reader.readFile(file, null);
      }
    } else {
      reader.readFile(fileOrDir, null);
    }
    List<Path> dirs = List.copyOf(reader.directories);
    if (!reader.errors.isEmpty()) {
      return new Attempt(null, new ConfigException(reader.errors), List.copyOf(reader.files), dirs);
    }
    ConfigNode.Mapping root = reader.merger.result(new ConfigNode.Origin(fileOrDir.toString(), 0));
    ConfigDocuments documents = new ConfigDocuments(root, reader.files, dirs, reader.hash.hex());
    return new Attempt(documents, null, documents.files(), dirs);
  }

  private void readFile(Path file, ConfigNode.Origin includedAt) {
    ConfigNode.Origin where = includedAt != null ? includedAt : new ConfigNode.Origin(file.toString(), 0);
    Path real;
    byte[] bytes;
    try {
      real = file.toRealPath();
      bytes = Files.readAllBytes(real);
    } catch (IOException e) {
      files.add(file); // watched, so that its appearance is noticed
      String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
      errors.add(new ConfigError(where, "", includedAt == null ? "cannot read: " + reason : "cannot read " + file + ": " + reason));
      return;
    }
    if (chain.contains(real)) {
      errors.add(new ConfigError(where, "include", "include cycle: " + cycle(real)));
      return;
    }
    if (!loaded.add(real)) {
      errors.add(new ConfigError(where, "include", file + " is read twice"));
      return;
    }
    files.add(file);
    hash.add(bytes);
    ConfigNode node;
    try {
      node = YamlReader.parse(YamlReader.decode(bytes), file.toString());
    } catch (ConfigException e) {
      errors.addAll(e.errors());
      return;
    }
    if (!(node instanceof ConfigNode.Mapping document)) {
      errors.add(new ConfigError(node.origin(), "", "a config document must be a mapping, got " + ConfigNode.describe(node)));
      return;
    }
    merger.merge(document, INCLUDE);
    chain.add(real);
    for (Include include : includes(file, document)) {
      readFile(include.path(), include.origin());
    }
    chain.remove(chain.size() - 1);
  }

  private record Include(Path path, ConfigNode.Origin origin) {}

  private List<Include> includes(Path file, ConfigNode.Mapping document) {
    ConfigNode node = document.entries().get("include");
    List<Include> result = new ArrayList<>();
    if (node == null || node instanceof ConfigNode.Scalar s && s.value() == null) {
      return result;
    }
    List<ConfigNode> items = node instanceof ConfigNode.Sequence seq ? seq.items() : List.of(node);
    for (int i = 0; i < items.size(); i++) {
      ConfigNode item = items.get(i);
      String path = node instanceof ConfigNode.Sequence ? NodePaths.index("include", i) : "include";
      if (!(item instanceof ConfigNode.Scalar scalar) || scalar.value() == null || scalar.value().isBlank()) {
        errors.add(new ConfigError(item.origin(), path, "expected a file name, got " + ConfigNode.describe(item)));
        continue;
      }
      Path target = file.resolveSibling(scalar.value()).normalize();
      String name = target.getFileName() == null ? "" : target.getFileName().toString();
      if (!hasWildcard(name)) {
        result.add(new Include(target, item.origin()));
      } else if (target.getParent() != null && hasWildcard(target.getParent().toString())) {
        errors.add(new ConfigError(item.origin(), path, "only the file name may hold wildcards"));
      } else {
        Path dir = target.getParent() != null ? target.getParent() : Path.of("");
        directories.add(dir);
        for (Path match : list(dir, name, item.origin())) {
          result.add(new Include(match, item.origin()));
        }
      }
    }
    return result;
  }

  /** Regular, non-hidden files of {@code dir} whose name matches the glob, in name order. */
  private List<Path> list(Path dir, String glob, ConfigNode.Origin origin) {
    PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
    List<Path> matches = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.toString().isEmpty() ? Path.of(".") : dir)) {
      for (Path entry : stream) {
        Path name = entry.getFileName();
        if (matcher.matches(name) && !name.toString().startsWith(".") && Files.isRegularFile(entry)) {
          matches.add(dir.resolve(name));
        }
      }
    } catch (IOException e) {
      errors.add(new ConfigError(origin, "", "cannot list " + dir + ": " + e.getMessage()));
    }
    matches.sort(null);
    return matches;
  }

  private static boolean hasWildcard(String name) {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0 || name.indexOf('{') >= 0;
  }

  private String cycle(Path real) {
    StringBuilder text = new StringBuilder();
    for (Path p : chain.subList(chain.indexOf(real), chain.size())) {
      text.append(p.getFileName()).append(" -> ");
    }
    return text.append(real.getFileName()).toString();
  }
}
