package io.portico.plugins.kubernetes;

/**
 * An upstream's {@code discovery: { type: kubernetes, service: users, port: http, namespace: shop }}.
 *
 * @param service the Service whose EndpointSlices are followed
 * @param port the port's name or number in the slices; default the first port
 * @param namespace default the settings' namespace
 */
public record KubernetesUpstream(String service, String port, String namespace) {}
