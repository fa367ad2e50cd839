package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tunnelier.agent.plan.TunnelKeys;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WireGuard keys of the Tunnels this node is the gateway of, read with a plain GET of the
 * {@code <name>-keys} Secret (and, for the peer's public key the operator generated, of {@code
 * <name>-peer-config}), and the last good ones kept: while the API server cannot be reached, a
 * running tunnel keeps its keys and stays up instead of being closed for want of them. A Secret
 * that is gone (the GET answers "not found") takes its keys with it. Never logs a key; keys read
 * again unchanged are wiped at once, so each tunnel's private key has one copy here, not one per
 * reconcile. Keys replaced or forgotten are not wiped: the running datapath's config may still hold
 * them (its own identity is wiped when it closes).
 */
public final class KeySecrets {
  private static final Logger LOG = LoggerFactory.getLogger(KeySecrets.class);

  /** One GET of a Secret: null when it does not exist; throws when the API server fails. */
  public interface Getter {
    Secret get(String namespace, String name);
  }

  /**
   * @param keys null when there are none (no Secret, or none ever read)
   * @param cached the API server failed: these are the last good keys, kept by the agent
   */
  public record Read(TunnelKeys keys, boolean cached) {}

  private final Getter getter;
  private final Map<String, TunnelKeys> lastGood = new HashMap<>();

  public KeySecrets(Getter getter) {
    this.getter = getter;
  }

  public static KeySecrets of(KubernetesClient client) {
    return new KeySecrets((ns, name) -> client.secrets().inNamespace(ns).withName(name).get());
  }

  /** The keys for {@code t} (a WireGuard Tunnel this node is the gateway of). */
  public synchronized Read read(Tunnel t) {
    String namespace = t.getMetadata().getNamespace();
    String name = t.getMetadata().getName();
    String key = namespace + "/" + name;
    try {
      Secret s = getter.get(namespace, name + "-keys");
      if (s == null) {
        lastGood.remove(key);
        return new Read(null, false);
      }
      TunnelKeys k = KubeObjects.keys(s);
      boolean specHasPeerKey =
          t.getSpec().getPeer() != null
              && t.getSpec().getPeer().getPublicKey() != null
              && !t.getSpec().getPeer().getPublicKey().isBlank();
      if (k.peerPublicKey() == null && !specHasPeerKey) {
        // The operator generated the peer's keypair: its public key is in <name>-peer-config.
        Secret peer = getter.get(namespace, name + "-peer-config");
        if (peer != null) {
          k = new TunnelKeys(k.privateKey(), KubeObjects.peerPublicKey(peer));
        }
      }
      for (TunnelPeers.Peer peer : TunnelPeers.of(t)) {
        if (!peer.primary()
            && (peer.spec().getPublicKey() == null || peer.spec().getPublicKey().isBlank())) {
          // A backup whose keypair the operator generated: its public key is in its own Secret.
          Secret backup = getter.get(namespace, TunnelPeers.configSecretName(name, peer.name()));
          byte[] pk = backup == null ? null : KubeObjects.peerPublicKey(backup);
          if (pk != null) {
            k = k.withBackupPeerKey(peer.name(), pk);
          }
        }
      }
      TunnelKeys known = lastGood.get(key);
      if (k.equals(known)) {
        // Read again unchanged (every reconcile): keep the copy in use, wipe the new one.
        k.wipe();
        return new Read(known, false);
      }
      lastGood.put(key, k);
      return new Read(k, false);
    } catch (KubernetesClientException e) {
      TunnelKeys cached = lastGood.get(key);
      LOG.atWarn()
          .setMessage("cannot read key Secrets")
          .addKeyValue("tunnel", key)
          .addKeyValue("code", e.getCode())
          .addKeyValue("cached", cached != null)
          .log();
      return new Read(cached, cached != null);
    }
  }

  /** Forgets the keys of Tunnels not in {@code keep} (deleted, or no longer this node's). */
  public synchronized void retain(java.util.Set<String> keep) {
    lastGood.keySet().retainAll(keep);
  }
}
