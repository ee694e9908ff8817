package io.portico.config.source;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a set of config files and folders holds right now: a hash of each file's bytes and the
 * visible entry names of each folder. Equal fingerprints mean equal content, whatever the
 * timestamps say: an unchanged rewrite or a touch is no change, and an edit is seen even on file
 * systems with coarse timestamps. Config files are small, so hashing them each poll is cheap.
 *
 * <p>Blocking I/O: call it off the event loops.
 */
public record FileFingerprint(List<String> lines) {

  public static FileFingerprint of(Collection<Path> files, Collection<Path> directories) {
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      lines.add(file + " " + contentHash(file));
    }
    for (Path dir : directories) {
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (!name.startsWith(".")) { // editors' swap and lock files
            names.add(name);
          }
        }
      } catch (IOException e) {
        names.add("(unreadable)");
      }
      names.sort(null);
      lines.add(dir + "/ " + String.join(" ", names));
    }
    return new FileFingerprint(List.copyOf(lines));
  }

  private static String contentHash(Path file) {
    try {
      ContentHash hash = new ContentHash();
      hash.add(Files.readAllBytes(file));
      return hash.hex();
    } catch (IOException e) {
      return "(missing)";
    }
  }
}
