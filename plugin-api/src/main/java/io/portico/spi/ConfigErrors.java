package io.portico.spi;

/**
 * Collects validation errors of one plugin config. The gateway turns each into one line of the
 * form {@code file:line path: message}, locating the field in the source document.
 */
public interface ConfigErrors {

  /**
   * Records an error on a field of the config, given as a path relative to the plugin's block:
   * {@code "limits[0].per"}, {@code "issuer"}, or {@code ""} for the block as a whole.
   */
  void add(String field, String message);
}
