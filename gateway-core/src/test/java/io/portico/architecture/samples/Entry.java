package io.portico.architecture.samples;

/** The sample's entry point: the one class its root package may hold. */
public final class Entry {}
