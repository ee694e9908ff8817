package io.portico.exchange;

import io.portico.spi.Key;

/** Per-exchange values under typed keys: a few pairs in arrays, compared by key identity. */
final class Attributes {
  private Key<?>[] keys = new Key<?>[4];
  private Object[] values = new Object[4];
  private int size;

  <T> T get(Key<T> key) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        return key.type().cast(values[i]);
      }
    }
    return null;
  }

  <T> void put(Key<T> key, T value) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        if (value == null) {
          remove(i);
        } else {
          values[i] = value;
        }
        return;
      }
    }
    if (value == null) {
      return;
    }
    if (size == keys.length) {
      keys = java.util.Arrays.copyOf(keys, size * 2);
      values = java.util.Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size++] = key.type().cast(value);
  }

  private void remove(int index) {
    size--;
    keys[index] = keys[size];
    values[index] = values[size];
    keys[size] = null;
    values[size] = null;
  }
}
