package io.portico.server.framing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.portico.config.ConfigException;
import io.portico.config.load.ConfigLoader;
import io.portico.exchange.HostRules;
import io.portico.plugin.PluginRegistry;
import io.portico.route.BadPathException;
import io.portico.route.PathNormalizer;
import io.portico.upstream.FieldSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the code that reads what clients and operators send: the request-head framing guard, the
 * path normaliser, the Host rules, the HTTP/2 field rules and the config binder. One fuzz test (Jazzer
 * fuzzes one per JVM) whose first byte picks the target, so a single bounded run covers all five.
 *
 * <p>In {@code mvn test} it replays the committed seeds in {@code InputsFuzzTestInputs/}; in
 * {@code mvn verify} it fuzzes for {@code maxDuration} (see the module's pom); a crash found is a
 * file to add to the seeds, which makes it a regression test.
 */
class InputsFuzzTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.load(InputsFuzzTest.class.getClassLoader());
  private static Path configDir;

  @FuzzTest(maxDuration = "10s")
  void inputs(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 4)) {
      case 0 -> framing(data.consumeRemainingAsBytes());
      case 1 -> path(data.consumeRemainingAsAsciiString());
      case 2 -> host(data.consumeRemainingAsAsciiString());
      case 3 -> http2Fields(data);
      default -> config(data.consumeRemainingAsString());
    }
  }

  /** The scanner never throws, stops at a violation with a reason, and never reads past the end. */
  private static void framing(byte[] bytes) {
    FramingScanner scanner = new FramingScanner(256, 1024, 16);
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    int pos = 0;
    while (pos < bytes.length) {
      int next = scanner.scan(buf, pos, bytes.length);
      assertThat(next).isBetween(pos, bytes.length);
      if (scanner.event() == FramingScanner.VIOLATION) {
        assertThat(scanner.violation()).isNotNull();
        return;
      }
      if (scanner.event() == FramingScanner.PREFACE || scanner.event() == FramingScanner.UPGRADE) {
        return;
      }
      if (next == pos && scanner.event() == FramingScanner.CONSUMED) {
        return; // nothing more taken: the walk is done
      }
      pos = next;
    }
  }

  /** A normalised path is absolute, has no dot-segments (with or without parameters), and is stable. */
  private static void path(String raw) {
    String normal;
    try {
      normal = PathNormalizer.normalize(raw);
    } catch (BadPathException refused) {
      return;
    }
    assertThat(normal).startsWith("/").doesNotContain("//").doesNotContain("\\");
    for (String segment : normal.split("/")) {
      String bare = segment.indexOf(';') >= 0 ? segment.substring(0, segment.indexOf(';')) : segment;
      assertThat(bare).isNotIn(".", "..");
    }
    assertThat(PathNormalizer.normalize(normal)).isEqualTo(normal);
  }

  /** An accepted authority has no userinfo, whitespace, controls or path characters. */
  private static void host(String authority) {
    if (HostRules.isValidAuthority(authority)) {
      assertThat(authority).doesNotContain("@", " ", "/", "?", "#", "\r", "\n", "\0", "\t");
    }
  }

  /** Accepted fields have lower-case token names (or pseudo names) and no NUL, CR, LF in values. */
  private static void http2Fields(FuzzedDataProvider data) {
    boolean trailers = data.consumeBoolean();
    List<Map.Entry<CharSequence, CharSequence>> fields = new ArrayList<>();
    int count = data.consumeInt(0, 8);
    for (int i = 0; i < count; i++) {
      fields.add(new AbstractMap.SimpleEntry<>(data.consumeAsciiString(12), data.consumeAsciiString(24)));
    }
    if (Http2FieldRules.problem(fields, trailers) == null) {
      for (Map.Entry<CharSequence, CharSequence> field : fields) {
        String name = field.getKey().toString();
        assertThat(name.startsWith(":") || FieldSyntax.isLowerCaseToken(name)).as(name).isTrue();
        assertThat(FieldSyntax.hasLineBreakOrNul(field.getValue())).isFalse();
      }
    }
  }

  /** YAML in, a config or a ConfigException out: never another exception. */
  private static void config(String yaml) {
    try {
      if (configDir == null) {
        configDir = Files.createTempDirectory("portico-fuzz");
        configDir.toFile().deleteOnExit();
      }
      Path file = configDir.resolve("gateway.yaml");
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      new ConfigLoader(REGISTRY).load(file);
    } catch (ConfigException rejected) {
      // the expected way to say no
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
