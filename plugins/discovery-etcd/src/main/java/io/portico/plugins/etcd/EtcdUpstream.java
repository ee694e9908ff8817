package io.portico.plugins.etcd;

/** An upstream's {@code discovery: { type: etcd, service: users }}. */
public record EtcdUpstream(String service) {}
