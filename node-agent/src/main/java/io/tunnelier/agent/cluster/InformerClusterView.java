package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tunnelier.agent.plan.ClusterSnapshot;
import io.tunnelier.agent.plan.NodeInfo;
import io.tunnelier.agent.plan.PodInfo;
import io.tunnelier.agent.plan.TunnelKeys;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8 informers on Tunnels (all namespaces), Nodes, and Pods of the namespaces that have an
 * Egress Tunnel (one informer per such namespace, started and stopped as Tunnels come and go). The
 * key Secret of a WireGuard Tunnel this node is the gateway of is read with a plain GET (the agent
 * may get Secrets, not list or watch them).
 */
public final class InformerClusterView implements ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(InformerClusterView.class);
  private final KubernetesClient client;
  private final String nodeName;
  private final Map<String, SharedIndexInformer<Pod>> podInformers = new HashMap<>();
  private SharedIndexInformer<Tunnel> tunnels;
  private SharedIndexInformer<Node> nodes;
  private Runnable onChange = () -> {};

  public InformerClusterView(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  @Override
  public void start(Runnable onChange) {
    this.onChange = onChange;
    tunnels = client.resources(Tunnel.class).inAnyNamespace().runnableInformer(0);
    Runnable tunnelsChanged =
        () -> {
          syncPodInformers();
          onChange.run();
        };
    tunnels.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Tunnel t) {
            tunnelsChanged.run();
          }

          @Override
          public void onUpdate(Tunnel before, Tunnel after) {
            // Status reports (any node's, the operator's conditions) change no plan.
            if (TunnelChanges.mattersToAgents(before, after)) {
              tunnelsChanged.run();
            }
          }

          @Override
          public void onDelete(Tunnel t, boolean deletedFinalStateUnknown) {
            tunnelsChanged.run();
          }
        });
    nodes = client.nodes().runnableInformer(0);
    nodes.addEventHandler(handler(onChange));
  }

  /** Lists and starts watching; returns once Tunnels, Nodes and the pods they need are synced. */
  @Override
  public void awaitReady() throws Exception {
    tunnels.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    nodes.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    syncPodInformers();
  }

  private synchronized List<SharedIndexInformer<Pod>> snapshotOfPodInformers() {
    return new ArrayList<>(podInformers.values());
  }

  /** One pod informer per namespace with an Egress Tunnel; none elsewhere. */
  private synchronized void syncPodInformers() {
    Set<String> wanted = new HashSet<>();
    for (Tunnel t : tunnels.getStore().list()) {
      if (t.getSpec() != null && t.getSpec().getType() == TunnelType.EGRESS) {
        wanted.add(t.getMetadata().getNamespace());
      }
    }
    for (String ns : new HashSet<>(podInformers.keySet())) {
      if (!wanted.contains(ns)) {
        podInformers.remove(ns).close();
        LOG.info("msg=\"stopped watching pods\" namespace={}", ns);
      }
    }
    for (String ns : wanted) {
      if (!podInformers.containsKey(ns)) {
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(ns).runnableInformer(0);
        informer.addEventHandler(handler(onChange));
        informer.start(); // its first list triggers a reconcile through the handler
        podInformers.put(ns, informer);
        LOG.info("msg=\"watching pods\" namespace={}", ns);
      }
    }
  }

  private static <T> ResourceEventHandler<T> handler(Runnable onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.run();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        onChange.run();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
  }

  @Override
  public ClusterSnapshot snapshot() {
    List<Tunnel> ts = tunnels.getStore().list();
    List<NodeInfo> ns = nodes.getStore().list().stream().map(KubeObjects::node).toList();
    List<PodInfo> ps = new ArrayList<>();
    for (SharedIndexInformer<Pod> i : snapshotOfPodInformers()) {
      i.getStore().list().forEach(p -> ps.add(KubeObjects.pod(p)));
    }
    Map<String, TunnelKeys> keys = new HashMap<>();
    for (Tunnel t : ts) {
      boolean gateway = t.getStatus() != null && nodeName.equals(t.getStatus().getActiveGateway());
      boolean wireGuard =
          t.getSpec() != null
              && (t.getSpec().getEncapsulation() == null
                  || t.getSpec().getEncapsulation() == Encapsulation.WIREGUARD);
      if (gateway && wireGuard && t.getMetadata().getDeletionTimestamp() == null) {
        String namespace = t.getMetadata().getNamespace();
        String name = t.getMetadata().getName();
        try {
          Secret s = client.secrets().inNamespace(namespace).withName(name + "-keys").get();
          if (s != null) {
            TunnelKeys k = KubeObjects.keys(s);
            boolean specHasPeerKey =
                t.getSpec().getPeer() != null
                    && t.getSpec().getPeer().getPublicKey() != null
                    && !t.getSpec().getPeer().getPublicKey().isBlank();
            if (k.peerPublicKey() == null && !specHasPeerKey) {
              // The operator generated the peer's keypair: its public key is in <name>-peer-config.
              Secret peer =
                  client.secrets().inNamespace(namespace).withName(name + "-peer-config").get();
              if (peer != null) {
                k = new TunnelKeys(k.privateKey(), KubeObjects.peerPublicKey(peer));
              }
            }
            keys.put(namespace + "/" + name, k);
          }
        } catch (KubernetesClientException e) {
          LOG.warn(
              "msg=\"cannot read key Secrets\" namespace={} tunnel={} code={}",
              namespace,
              name,
              e.getCode());
        }
      }
    }
    return new ClusterSnapshot(ts, ns, ps, keys);
  }

  @Override
  public synchronized void close() {
    podInformers.values().forEach(SharedIndexInformer::close);
    podInformers.clear();
    if (tunnels != null) {
      tunnels.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }
}
