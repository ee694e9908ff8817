package io.portico.plugins.sampleb;

/** Sample: a class of another plugin. */
public final class OtherPlugin {}
