package io.tunnelier.agent.plan;

/**
 * One element of the CNI plugin's hold sets: a pod's address, held since the container runtime set
 * up the pod's network, and the UID of the pod the plugin held it for.
 *
 * @param address canonical text (RFC 5952 for IPv6), as nft prints it
 * @param podUid the element's comment; null when an element has none
 */
public record HeldPod(String address, String podUid) {}
