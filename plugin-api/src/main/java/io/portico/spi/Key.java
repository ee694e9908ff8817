package io.portico.spi;

import java.util.Objects;

/**
 * A typed key for per-exchange state ({@link Exchange#get}, {@link Exchange#put}). Keys compare by
 * identity: create one as a {@code static final} field and share it with the plugins that read
 * it.
 *
 * @param <T> the type of the value stored under this key
 */
public final class Key<T> {
  private final String name;
  private final Class<T> type;

  private Key(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  /** A new key; {@code name} is for diagnostics only. */
  public static <T> Key<T> of(String name, Class<T> type) {
    return new Key<>(name, type);
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return "Key(" + name + ")";
  }
}
