/**
 * Config: immutable records bound from YAML or JSON, and their loading and validation.
 *
 * <ul>
 *   <li>{@link io.portico.config.YamlReader} parses a document into a {@link
 *       io.portico.config.ConfigNode} tree that knows the file and line of every value.
 *   <li>{@link io.portico.config.RecordBinder} binds a tree strictly into records (kebab-case
 *       keys, unknown keys are errors).
 *   <li>{@link io.portico.config.ConfigLoader} reads files (with {@code include}) or directories,
 *       binds and validates the whole config, plugin and discovery blocks included, and returns a
 *       {@link io.portico.config.ValidatedConfig} or a {@link io.portico.config.ConfigException}
 *       holding every error as {@code file:line path: message}.
 *   <li>{@link io.portico.config.ConfigWatcher} reports edits of the files off the event loops;
 *       {@code portico validate} is {@code io.portico.cli.ValidateCommand}.
 * </ul>
 */
package io.portico.config;
