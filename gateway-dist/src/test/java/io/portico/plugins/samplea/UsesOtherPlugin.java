package io.portico.plugins.samplea;

import io.portico.plugins.sampleb.OtherPlugin;

/** Bad sample: a plugin using another plugin's class. */
public final class UsesOtherPlugin {
  OtherPlugin other;
}
