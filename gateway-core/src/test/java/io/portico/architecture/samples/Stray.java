package io.portico.architecture.samples;

/** Bad sample: a second class in the root package. */
public final class Stray {}
