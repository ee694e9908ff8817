package io.portico.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.plugin.PluginJars;
import io.portico.spi.PluginApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Drop-in plugin jars built by a test: Java sources compiled against the test's class path, then packaged. */
public final class DropInJars {
  private DropInJars() {}

  /**
   * Compiles {@code sources} (class name → source, package {@code dropin}) into {@code jar},
   * declaring {@code factory} as its {@code PluginFactory}; {@code patch} may rewrite each class
   * file (to fake a build against another API).
   */
  public static Path build(Path work, Path jar, Map<String, String> sources, String factory,
      boolean manifestEntry, UnaryOperator<byte[]> patch) {
    try {
      Path src = Files.createDirectories(work.resolve("src-" + jar.getFileName()).resolve("dropin"));
      Path out = Files.createDirectories(work.resolve("out-" + jar.getFileName()));
      List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")));
      for (var source : sources.entrySet()) {
        Path file = src.resolve(source.getKey() + ".java");
        Files.writeString(file, source.getValue());
        args.add(file.toString());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("compiling " + jar.getFileName()).isZero();
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      if (manifestEntry) {
        manifest.getMainAttributes().putValue(PluginJars.API_ATTRIBUTE, PluginApi.VERSION);
      }
      Files.createDirectories(jar.getParent());
      try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(jar), manifest);
           Stream<Path> classes = Files.list(out.resolve("dropin"))) {
        for (Path path : classes.sorted().toList()) {
          put(jarOut, "dropin/" + path.getFileName(), patch.apply(Files.readAllBytes(path)));
        }
        if (factory != null) {
          put(jarOut, "META-INF/services/io.portico.spi.PluginFactory",
              ("dropin." + factory + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code bytes} with every occurrence of {@code from} replaced by {@code to} (same length). */
  public static byte[] replace(byte[] bytes, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    assertThat(t).hasSameSizeAs(f);
    byte[] copy = bytes.clone();
    for (int i = 0; i + f.length <= copy.length; i++) {
      if (Arrays.equals(copy, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(t, 0, copy, i, t.length);
      }
    }
    return copy;
  }

  private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
    jar.putNextEntry(new JarEntry(name));
    jar.write(bytes);
    jar.closeEntry();
  }
}
