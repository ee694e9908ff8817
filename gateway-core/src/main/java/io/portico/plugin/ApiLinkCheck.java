package io.portico.plugin;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Resolves, before any request, what a plugin jar's classes use of the API the gateway provides
 * (the plugin API and Vert.x/Netty): every class, method and field they reference there must exist
 * in the running gateway. The JVM links such references lazily, at their first call; a jar built
 * against a newer API would otherwise load fine and throw {@link NoSuchMethodError} at the first
 * request that reaches the missing method.
 *
 * <p>Reads each class file's constant pool only: no plugin class is loaded or initialised.
 */
final class ApiLinkCheck {
  /** Packages (internal form) the gateway provides to plugins. */
  private static final String[] PROVIDED = {"io/portico/spi/", "io/vertx/", "io/netty/"};

  private final ClassLoader gateway;
  private final Set<String> inJar = new HashSet<>();
  private final Set<String> problems = new TreeSet<>();

  private ApiLinkCheck(ClassLoader gateway) {
    this.gateway = gateway;
  }

  /**
   * What the jar's classes reference that the gateway lacks, one line each ({@code
   * io.portico.spi.Exchange.declaredContentLength()J}); empty when everything resolves.
   */
  static List<String> unresolved(Path jar, ClassLoader gateway) throws IOException {
    ApiLinkCheck check = new ApiLinkCheck(gateway);
    List<byte[]> classes = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
          check.inJar.add(name.substring(0, name.length() - ".class".length()));
          try (InputStream in = file.getInputStream(entry)) {
            classes.add(in.readAllBytes());
          }
        }
      }
    }
    for (byte[] bytes : classes) {
      check.scan(bytes);
    }
    return List.copyOf(check.problems);
  }

  /** Walks one class file's constant pool and checks its class, method and field references. */
  private void scan(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      return;
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] tag = new int[count];
    int[] first = new int[count];
    int[] second = new int[count];
    for (int i = 1; i < count; i++) {
      tag[i] = in.readUnsignedByte();
      switch (tag[i]) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // eight-byte constants take two slots
        }
        case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
        case 9, 10, 11, 12, 17, 18 -> {
          first[i] = in.readUnsignedShort();
          second[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          first[i] = in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag[i]);
      }
    }
    for (int i = 1; i < count; i++) {
      if (tag[i] == 7) {
        providedClass(utf8[first[i]]);
      } else if (tag[i] == 9 || tag[i] == 10 || tag[i] == 11) {
        String owner = utf8[first[first[i]]];
        int nameAndType = second[i];
        String name = utf8[first[nameAndType]];
        String descriptor = utf8[second[nameAndType]];
        Class<?> type = providedClass(owner);
        if (type != null && !(tag[i] == 9 ? hasField(type, name, descriptor) : hasMethod(type, name, descriptor))) {
          problems.add(type.getName() + "." + name + (tag[i] == 9 ? ":" : "") + descriptor);
        }
      }
    }
  }

  /** The gateway's class for a provided name; {@code null} for other names (and records a missing one). */
  private Class<?> providedClass(String internalName) {
    String name = internalName;
    while (name.startsWith("[")) {
      name = name.substring(1);
    }
    if (name.startsWith("L") && name.endsWith(";")) {
      name = name.substring(1, name.length() - 1);
    }
    if (!provided(name) || inJar.contains(name)) {
      return null;
    }
    try {
      return Class.forName(name.replace('/', '.'), false, gateway);
    } catch (ClassNotFoundException | LinkageError e) {
      problems.add(name.replace('/', '.') + " (class)");
      return null;
    }
  }

  private static boolean provided(String internalName) {
    for (String prefix : PROVIDED) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasMethod(Class<?> owner, String name, String descriptor) {
    if (name.equals("<init>")) {
      for (Constructor<?> constructor : owner.getDeclaredConstructors()) {
        if (descriptor(constructor.getParameterTypes(), void.class).equals(descriptor)) {
          return true;
        }
      }
      return false;
    }
    for (Class<?> type : hierarchy(owner)) {
      for (Method method : type.getDeclaredMethods()) {
        if (method.getName().equals(name)
            && descriptor(method.getParameterTypes(), method.getReturnType()).equals(descriptor)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasField(Class<?> owner, String name, String descriptor) {
    for (Class<?> type : hierarchy(owner)) {
      for (Field field : type.getDeclaredFields()) {
        if (field.getName().equals(name) && field.getType().descriptorString().equals(descriptor)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The type, its superclasses and every interface they implement (and {@code Object}). */
  private static List<Class<?>> hierarchy(Class<?> owner) {
    List<Class<?>> all = new ArrayList<>();
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(owner);
    todo.add(Object.class);
    while (!todo.isEmpty()) {
      Class<?> type = todo.poll();
      if (seen.add(type)) {
        all.add(type);
        if (type.getSuperclass() != null) {
          todo.add(type.getSuperclass());
        }
        todo.addAll(List.of(type.getInterfaces()));
      }
    }
    return all;
  }

  private static String descriptor(Class<?>[] parameters, Class<?> returns) {
    StringBuilder out = new StringBuilder("(");
    for (Class<?> parameter : parameters) {
      out.append(parameter.descriptorString());
    }
    return out.append(')').append(returns.descriptorString()).toString();
  }
}
