package io.portico.plugins.kubernetes;

/**
 * {@code discovery: { kubernetes: {...} }} at the top of the config. All optional: in a pod the
 * service account is used and the namespace is the pod's own; elsewhere the kubeconfig.
 *
 * @param namespace default namespace of upstreams that name none
 * @param masterUrl API server URL, overriding in-cluster and kubeconfig settings
 * @param kubeconfig a kubeconfig file, relative to the config file
 * @param trustCerts accept the API server's certificate without verification (tests only)
 */
public record KubernetesSettings(String namespace, String masterUrl, String kubeconfig, Boolean trustCerts) {
  public KubernetesSettings {
    trustCerts = trustCerts != null ? trustCerts : Boolean.FALSE;
  }
}
