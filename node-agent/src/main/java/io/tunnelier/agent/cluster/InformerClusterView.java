package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.tunnelier.agent.plan.ClusterSnapshot;
import io.tunnelier.agent.plan.NodeInfo;
import io.tunnelier.agent.plan.PodInfo;
import io.tunnelier.agent.plan.TunnelKeys;
import io.tunnelier.api.informers.PruningItemStore;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8 informers on Tunnels (all namespaces), Nodes, Pods of the namespaces that have an Egress
 * Tunnel (one informer per such namespace, started and stopped as Tunnels come and go), and every
 * Pod bound to this node (field selector {@code spec.nodeName}, all namespaces): the kill switch's
 * guard must know the IPs of all of them, and a selected pod is seen as soon as it is bound, before
 * it has an IP. This node's pods come from that informer only, so each is seen in one version. No
 * snapshot is given before every pod informer has listed its pods: planned with pods missing, a
 * pass would take their rules and kill-switch entries away. The key Secret of a WireGuard Tunnel
 * this node is the gateway of is read with a plain GET (the agent may get Secrets, not list or
 * watch them). The informers keep only what the planner reads of each object ({@link
 * KubeObjects#pruneTunnel}, {@link KubeObjects#pruneNode}, {@link KubeObjects#prunePod}): every
 * agent caches every Tunnel, every Node and the pods of those namespaces, and in full each is
 * several times that size; a Tunnel's grows with the nodes that report into it.
 */
public final class InformerClusterView implements ClusterView {
  private static final Logger LOG = LoggerFactory.getLogger(InformerClusterView.class);
  private static final long SYNC_TIMEOUT_SECONDS = 60;
  private final KubernetesClient client;
  private final String nodeName;
  private final KeySecrets keySecrets;
  private final Map<String, SharedIndexInformer<Pod>> podInformers = new HashMap<>();
  private final Map<String, CompletableFuture<Void>> podInformersListed = new HashMap<>();
  private SharedIndexInformer<Tunnel> tunnels;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Pod> nodePods;
  private Runnable onChange = () -> {};

  public InformerClusterView(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
    this.keySecrets = KeySecrets.of(client);
  }

  @Override
  public void start(Runnable onChange) {
    this.onChange = onChange;
    tunnels =
        client
            .resources(Tunnel.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .itemStore(new PruningItemStore<>(t -> KubeObjects.pruneTunnel(t, nodeName)));
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
    nodes =
        client
            .nodes()
            .runnableInformer(0)
            .itemStore(new PruningItemStore<>(KubeObjects::pruneNode));
    nodes.addEventHandler(nodeHandler(onChange));
    nodePods =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", nodeName)
            .runnableInformer(0)
            .itemStore(new PruningItemStore<>(KubeObjects::prunePod));
    nodePods.addEventHandler(podHandler(onChange));
  }

  /** Lists and starts watching; returns once Tunnels, Nodes and every pod informer are synced. */
  @Override
  public void awaitReady() throws Exception {
    tunnels.start().toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    nodes.start().toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    nodePods.start().toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    syncPodInformers();
    for (CompletableFuture<Void> listed : podInformersListed()) {
      listed.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private synchronized List<CompletableFuture<Void>> podInformersListed() {
    return new ArrayList<>(podInformersListed.values());
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
        podInformersListed.remove(ns);
        LOG.atInfo().setMessage("stopped watching pods").addKeyValue("namespace", ns).log();
      }
    }
    for (String ns : wanted) {
      if (!podInformers.containsKey(ns)) {
        SharedIndexInformer<Pod> informer =
            client
                .pods()
                .inNamespace(ns)
                .runnableInformer(0)
                .itemStore(new PruningItemStore<>(KubeObjects::prunePod));
        informer.addEventHandler(podHandler(onChange));
        // Passes before the list is complete plan nothing (snapshot() refuses); this one, once
        // it is, also covers a namespace without pods, whose list triggers no handler.
        CompletableFuture<Void> listed = informer.start().toCompletableFuture();
        listed.thenRun(onChange);
        podInformers.put(ns, informer);
        podInformersListed.put(ns, listed);
        LOG.atInfo().setMessage("watching pods").addKeyValue("namespace", ns).log();
      }
    }
  }

  /** Pod updates matter only when what the planner reads of a pod changed (status churns). */
  private static ResourceEventHandler<Pod> podHandler(Runnable onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        onChange.run();
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        if (!KubeObjects.pod(before).equals(KubeObjects.pod(after))) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
  }

  /**
   * Node updates matter only when what the planner reads of a node changed: the kubelet rewrites
   * each Node's status every few minutes (conditions, images), which in a large cluster would
   * otherwise wake every agent for a pass several times a second.
   */
  private static ResourceEventHandler<Node> nodeHandler(Runnable onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node node) {
        onChange.run();
      }

      @Override
      public void onUpdate(Node before, Node after) {
        if (!KubeObjects.node(before).equals(KubeObjects.node(after))) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(Node node, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
  }

  /** The Tunnels in the informer's cache, without the pods and keys of {@link #snapshot}. */
  public List<Tunnel> tunnels() {
    return tunnels == null ? List.of() : tunnels.getStore().list();
  }

  @Override
  public ClusterSnapshot snapshot() {
    List<Tunnel> ts = tunnels.getStore().list();
    List<NodeInfo> ns = nodes.getStore().list().stream().map(KubeObjects::node).toList();
    if (!nodePods.hasSynced()) {
      throw new IllegalStateException("the pods on this node are not listed yet");
    }
    List<PodInfo> ps = new ArrayList<>();
    nodePods.getStore().list().forEach(p -> ps.add(KubeObjects.pod(p)));
    for (SharedIndexInformer<Pod> i : snapshotOfPodInformers()) {
      if (!i.hasSynced()) {
        throw new IllegalStateException(
            "the pods of a namespace with an Egress Tunnel are not listed yet");
      }
      for (Pod p : i.getStore().list()) {
        if (p.getSpec() == null || !nodeName.equals(p.getSpec().getNodeName())) {
          ps.add(KubeObjects.pod(p));
        }
      }
    }
    Map<String, TunnelKeys> keys = new HashMap<>();
    Set<String> cached = new HashSet<>();
    for (Tunnel t : ts) {
      boolean gateway = t.getStatus() != null && nodeName.equals(t.getStatus().getActiveGateway());
      boolean wireGuard =
          t.getSpec() != null
              && (t.getSpec().getEncapsulation() == null
                  || t.getSpec().getEncapsulation() == Encapsulation.WIREGUARD);
      if (gateway && wireGuard && t.getMetadata().getDeletionTimestamp() == null) {
        String key = t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
        KeySecrets.Read read = keySecrets.read(t);
        if (read.keys() != null) {
          keys.put(key, read.keys());
        }
        if (read.cached()) {
          cached.add(key);
        }
      }
    }
    keySecrets.retain(keys.keySet());
    return new ClusterSnapshot(ts, ns, ps, keys, cached);
  }

  @Override
  public synchronized void close() {
    podInformers.values().forEach(SharedIndexInformer::close);
    podInformers.clear();
    podInformersListed.clear();
    if (nodePods != null) {
      nodePods.close();
    }
    if (tunnels != null) {
      tunnels.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }
}
