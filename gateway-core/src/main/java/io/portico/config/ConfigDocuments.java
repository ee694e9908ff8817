package io.portico.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The documents of a file config, read and merged but not yet bound.
 *
 * @param root the merged top-level mapping (without {@code include})
 * @param files every file read, in reading order: the ones to watch for edits
 * @param directories folders whose listing matters (a config directory, a wildcard include):
 *     a file added there changes the config
 * @param version the first 12 hex digits of the SHA-256 over the files' bytes
 */
public record ConfigDocuments(ConfigNode.Mapping root, List<Path> files, List<Path> directories, String version) {
  public ConfigDocuments {
    files = List.copyOf(files);
    directories = List.copyOf(directories);
  }
}
