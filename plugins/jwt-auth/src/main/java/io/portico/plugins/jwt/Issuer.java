package io.portico.plugins.jwt;

import java.util.Set;

/** A trusted issuer at run time: its audiences and its key source. */
record Issuer(String name, Set<String> audiences, KeySource keys) {}
