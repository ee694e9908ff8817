package io.portico.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} (or {@code --name=value}) options and positional arguments of a {@link Command}'s line. */
public final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /** Parses {@code args}; an option without a value, or not in {@code known}, is an error. */
  public static Args parse(List<String> args, List<String> known) {
    Args parsed = new Args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        String value;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new IllegalArgumentException("option --" + name + " needs a value");
        }
        if (!known.contains(name)) {
          throw new IllegalArgumentException("unknown option --" + name);
        }
        parsed.options.put(name, value);
      } else {
        parsed.positional.add(arg);
      }
    }
    return parsed;
  }

  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  public List<String> positional() {
    return positional;
  }
}
