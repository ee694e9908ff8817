package io.portico.config.source;

import io.portico.config.ConfigNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The version of a config: the first 12 hex digits of a SHA-256 over its content (the bytes of
 * the files, or a canonical rendering of a node tree). Equal content gives an equal version.
 */
public final class ContentHash {

  private final MessageDigest digest;

  ContentHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  void add(byte[] bytes) {
    digest.update(bytes);
  }

  String hex() {
    return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
  }

  /** The version of a node tree, independent of where it came from (origins are left out). */
  public static String of(ConfigNode node) {
    StringBuilder text = new StringBuilder();
    render(node, text);
    ContentHash hash = new ContentHash();
    hash.add(text.toString().getBytes(StandardCharsets.UTF_8));
    return hash.hex();
  }

  private static void render(ConfigNode node, StringBuilder out) {
    if (node instanceof ConfigNode.Scalar scalar) {
      if (scalar.value() == null) {
        out.append('~');
      } else {
        out.append('"').append(scalar.value().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    } else if (node instanceof ConfigNode.Sequence sequence) {
      out.append('[');
      for (ConfigNode item : sequence.items()) {
        render(item, out);
        out.append(',');
      }
      out.append(']');
    } else {
      out.append('{');
      for (Map.Entry<String, ConfigNode> entry : ((ConfigNode.Mapping) node).entries().entrySet()) {
        out.append('"').append(entry.getKey().replace("\\", "\\\\").replace("\"", "\\\"")).append("\":");
        render(entry.getValue(), out);
        out.append(',');
      }
      out.append('}');
    }
  }
}
