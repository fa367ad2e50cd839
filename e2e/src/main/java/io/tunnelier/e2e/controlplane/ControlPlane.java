package io.tunnelier.e2e.controlplane;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ServiceAccountResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver (TLS, RBAC, service-account
 * tokens) and kube-controller-manager (namespace, garbage-collector and service-account
 * controllers), as local processes on loopback ports. There are no nodes: pods are stored, never
 * run.
 *
 * <p>Use it through {@link ControlPlaneExtension}, which starts one per test JVM. Everything lives
 * in a temp directory ({@link #directory()}): component logs ({@code *.log}), certificates, etcd
 * data and the admin {@link #kubeconfig()}. {@link #close()} stops the processes and deletes the
 * directory, unless the system property {@code tunnelier.controlplane.keep=true} is set.
 *
 * <p>The API server keeps an audit log ({@link #auditLog()}) of the requests ServiceAccounts make,
 * the identities RBAC tests act as; requests of the admin and the controllers are not logged, so it
 * stays small. The system property {@code tunnelier.controlplane.audit=false} turns it off.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";

  /**
   * Metadata (who, verb, object, response code, RBAC decision; no bodies) of every request made by
   * a ServiceAccount; nothing else.
   */
  private static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
      - level: Metadata
        userGroups: ["system:serviceaccounts"]
      - level: None
      """;

  private final Path bin;
  private final Path dir;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stop, "controlplane-shutdown");
  private Pki pki;
  private String url;
  private Path kubeconfig;
  private KubernetesClient admin;
  private boolean stopped;

  private ControlPlane(Path bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
  }

  /**
   * Finds (or builds, once) the binaries and starts the control plane; blocks until the API server
   * is ready and the controllers run. On failure, everything started is stopped again.
   */
  public static ControlPlane start() {
    Path bin = Binaries.locate();
    ControlPlane controlPlane;
    try {
      controlPlane = new ControlPlane(bin, Files.createTempDirectory("tunnelier-controlplane-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(controlPlane.shutdownHook);
    try {
      controlPlane.boot();
      return controlPlane;
    } catch (RuntimeException | Error e) {
      controlPlane.close();
      throw e;
    }
  }

  /** API server URL, e.g. {@code https://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Admin kubeconfig (client certificate in group system:masters), for kubectl and clients. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Where logs, certificates and etcd data of this control plane live. */
  public Path directory() {
    return dir;
  }

  /**
   * The process ID of each running component, by name ({@code etcd}, {@code kube-apiserver}, …).
   */
  public Map<String, Long> componentPids() {
    Map<String, Long> out = new LinkedHashMap<>();
    synchronized (processes) {
      processes.forEach(p -> out.put(p.name(), p.pid()));
    }
    return out;
  }

  /**
   * The API server's audit log of ServiceAccounts' requests (see the class comment).
   *
   * @throws IllegalStateException if it was turned off
   */
  public AuditLog auditLog() {
    if (!auditEnabled()) {
      throw new IllegalStateException(
          "the audit log is off (-Dtunnelier.controlplane.audit=false)");
    }
    return new AuditLog(dir.resolve("audit.log"));
  }

  private static boolean auditEnabled() {
    return !"false".equals(System.getProperty("tunnelier.controlplane.audit"));
  }

  /** PEM of the CA that signed the API server's serving certificate. */
  public String caCertificatePem() {
    return pki.caPem();
  }

  /** Cluster-admin client, shared by all callers: do not close it. */
  public synchronized KubernetesClient adminClient() {
    if (admin == null) {
      admin = new KubernetesClientBuilder().withConfig(adminConfig()).build();
    }
    return admin;
  }

  /** Client config for the cluster admin, to build own clients (e.g. an operator under test). */
  public Config adminConfig() {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new client acting as the ServiceAccount (created if missing) in the namespace, which must
   * exist. It authenticates with a token from the TokenRequest API, like a pod's projected token,
   * so RBAC applies exactly as in a cluster. The caller closes it.
   */
  public KubernetesClient clientFor(String namespace, String serviceAccountName) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withCaCertData(base64(pki.caPem()))
            .withOauthToken(tokenFor(namespace, serviceAccountName))
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A kubeconfig file acting as the ServiceAccount (created if missing), for a process started the
   * way a pod would run it; {@code server} replaces the API server URL (e.g. a local bridge inside
   * a lab namespace).
   */
  public Path kubeconfigFor(String namespace, String serviceAccountName, String server) {
    return kubeconfig(
        "kubeconfig-" + namespace + "-" + serviceAccountName,
        namespace,
        serviceAccountName,
        server,
        tokenFor(namespace, serviceAccountName));
  }

  /**
   * A kubeconfig file acting as the ServiceAccount's pod on {@code node}, with a token bound to
   * that pod ({@link #podBoundToken}): what a DaemonSet's pod on that node authenticates with.
   */
  public Path kubeconfigForPodOn(
      String namespace, String serviceAccountName, String node, String server) {
    return kubeconfig(
        "kubeconfig-" + namespace + "-" + serviceAccountName + "-" + node,
        namespace,
        serviceAccountName,
        server,
        podBoundToken(namespace, serviceAccountName, node));
  }

  private Path kubeconfig(
      String fileName, String namespace, String serviceAccountName, String server, String token) {
    String kubeconfigText =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: test
          context: {cluster: test, user: %s, namespace: %s}
        current-context: test
        """
            .formatted(
                server,
                base64(pki.caPem()),
                serviceAccountName,
                token,
                serviceAccountName,
                namespace);
    return file(fileName, kubeconfigText);
  }

  /**
   * A token of the ServiceAccount (created if missing) bound to its pod on {@code node}, as the
   * kubelet asks for a pod's projected token. There is no kubelet here, so this plays its part: a
   * Pod object {@code <serviceAccount>-<node>} bound to the node (created if missing, never run,
   * tolerating every taint so that no eviction invalidates the token), and a TokenRequest bound to
   * it. The API server then names the node in the token and in the requests' {@code
   * userInfo.extra["authentication.kubernetes.io/node-name"]} (Kubernetes 1.32+), which admission
   * policies can check. The token stays valid while the Pod exists.
   */
  public String podBoundToken(String namespace, String serviceAccountName, String node) {
    KubernetesClient admin = adminClient();
    ensureServiceAccount(namespace, serviceAccountName);
    String podName = serviceAccountName + "-" + node;
    Pod existing = admin.pods().inNamespace(namespace).withName(podName).get();
    Pod pod =
        existing != null
            ? existing
            : admin
                .pods()
                .inNamespace(namespace)
                .resource(
                    new PodBuilder()
                        .withNewMetadata()
                        .withName(podName)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewSpec()
                        .withServiceAccountName(serviceAccountName)
                        .withAutomountServiceAccountToken(false)
                        .withNodeName(node)
                        .addNewToleration()
                        .withOperator("Exists")
                        .endToleration()
                        .addNewContainer()
                        .withName("agent")
                        .withImage("lab.invalid/pod:0")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    TokenRequest token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccountName)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .withNewBoundObjectRef()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .endBoundObjectRef()
                    .endSpec()
                    .build());
    return token.getStatus().getToken();
  }

  /** Deletes the pod {@link #podBoundToken} made for {@code node}: its tokens stop working. */
  public void deletePodOn(String namespace, String serviceAccountName, String node) {
    adminClient()
        .pods()
        .inNamespace(namespace)
        .withName(serviceAccountName + "-" + node)
        .withGracePeriod(0)
        .delete();
  }

  /** A token for the ServiceAccount (created if missing) from the TokenRequest API. */
  public String tokenFor(String namespace, String serviceAccountName) {
    TokenRequest token =
        ensureServiceAccount(namespace, serviceAccountName)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build());
    return token.getStatus().getToken();
  }

  private ServiceAccountResource ensureServiceAccount(String namespace, String serviceAccountName) {
    ServiceAccount account =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(serviceAccountName)
            .withNamespace(namespace)
            .endMetadata()
            .build();
    ServiceAccountResource resource =
        adminClient().serviceAccounts().inNamespace(namespace).resource(account);
    resource.serverSideApply();
    return resource;
  }

  /** Path of the control plane's kubectl binary, to run it elsewhere (e.g. in a namespace). */
  public String kubectlPath() {
    return bin.resolve("kubectl").toString();
  }

  /**
   * Runs the control plane's kubectl against it as admin and returns its stdout.
   *
   * @throws IllegalStateException if kubectl exits non-zero (the message holds its stderr)
   */
  public String kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Path stderr = Files.createTempFile(dir, "kubectl-", ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      process.getOutputStream().close();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl timed out: " + command);
      }
      String errors = Files.readString(stderr);
      Files.delete(stderr);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "kubectl exited with " + process.exitValue() + ": " + command + "\n" + errors);
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** Stops the components and deletes the directory. Idempotent; also run at JVM exit. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs stop() itself.
    }
    stop();
  }

  private void boot() {
    long started = System.nanoTime();
    pki = Pki.create();
    Path ca = file("ca.crt", pki.caPem());
    Pki.Pem serving = pki.server("kube-apiserver");
    Path servingCert = file("apiserver.crt", serving.certificate());
    Path servingKey = file("apiserver.key", serving.privateKey());
    Pki.KeyPairPem tokenKeys = Pki.signingKey();
    Path signingKey = file("service-account.key", tokenKeys.privateKey());
    Path verifyingKey = file("service-account.pub", tokenKeys.publicKey());
    SSLContext trustCa = pki.trustingSslContext();
    long pkiDone = System.nanoTime();

    int etcdPort = freePort();
    ManagedProcess etcd = launch("etcd", etcdCommand(etcdPort));
    etcd.awaitReady(
        START_TIMEOUT,
        () -> probe(null, "http://127.0.0.1:" + etcdPort + "/health", "\"health\":\"true\""));
    long etcdUp = System.nanoTime();

    int apiPort = freePort();
    url = "https://127.0.0.1:" + apiPort;
    List<String> apiserverCommand =
        new ArrayList<>(
            List.of(
                bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                // A loopback address is no valid endpoint of the "kubernetes" Service: skip it.
                "--endpoint-reconciler-type=none",
                "--secure-port=" + apiPort,
                "--cert-dir=" + dir.resolve("apiserver-certs"),
                "--tls-cert-file=" + servingCert,
                "--tls-private-key-file=" + servingKey,
                "--client-ca-file=" + ca,
                "--authorization-mode=RBAC",
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + verifyingKey,
                "--service-account-signing-key-file=" + signingKey,
                "--service-cluster-ip-range=10.0.0.0/24",
                "--allow-privileged=true",
                "--profiling=false"));
    if (auditEnabled()) {
      apiserverCommand.addAll(
          List.of(
              "--audit-policy-file=" + file("audit-policy.yaml", AUDIT_POLICY),
              "--audit-log-path=" + dir.resolve("audit.log"),
              "--audit-log-format=json",
              // Each event is written before the response goes out: a test reads it right after.
              "--audit-log-mode=blocking"));
    }
    ManagedProcess apiserver = launch("kube-apiserver", apiserverCommand);
    // /readyz turns 200 only after the post-start hooks, e.g. RBAC's bootstrap roles, are done.
    apiserver.awaitReady(START_TIMEOUT, () -> probe(trustCa, url + "/readyz", "ok"));
    long apiUp = System.nanoTime();

    Pki.Pem admin = pki.client("tunnelier-admin", "system:masters");
    kubeconfig = file("admin.kubeconfig", kubeconfigYaml(admin));

    String controllers = "";
    if (Files.isExecutable(bin.resolve("kube-controller-manager"))) {
      ManagedProcess kcm =
          launch(
              "kube-controller-manager",
              List.of(
                  bin.resolve("kube-controller-manager").toString(),
                  "--kubeconfig=" + kubeconfig,
                  "--controllers=namespace-controller,garbage-collector-controller,"
                      + "serviceaccount-controller,serviceaccount-token-controller",
                  // Controllers act with the admin identity instead of per-controller accounts.
                  "--use-service-account-credentials=false",
                  "--leader-elect=false",
                  "--secure-port=0",
                  "--service-account-private-key-file=" + signingKey,
                  "--root-ca-file=" + ca));
      // The serviceaccount controller creating "default" proves the controllers are running.
      kcm.awaitReady(
          START_TIMEOUT,
          () -> {
            try {
              return adminClient()
                          .serviceAccounts()
                          .inNamespace("default")
                          .withName("default")
                          .get()
                      == null
                  ? "no ServiceAccount default/default yet"
                  : null;
            } catch (RuntimeException e) {
              return e.toString();
            }
          });
      controllers =
          String.format(", kube-controller-manager %.1fs", seconds(apiUp, System.nanoTime()));
    } else {
      System.out.println(
          "[controlplane] WARNING: no kube-controller-manager in "
              + bin
              + ": no garbage collection, namespace deletion or default service accounts");
    }
    System.out.printf(
        "[controlplane] Kubernetes control plane up in %.1fs (certificates %.1fs, etcd %.1fs,"
            + " kube-apiserver %.1fs%s)"
            + " at %s, files in %s%n",
        seconds(started, System.nanoTime()),
        seconds(started, pkiDone),
        seconds(pkiDone, etcdUp),
        seconds(etcdUp, apiUp),
        controllers,
        url,
        dir);
  }

  private List<String> etcdCommand(int port) {
    List<String> command =
        new ArrayList<>(
            List.of(
                bin.resolve("etcd").toString(),
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + port,
                "--advertise-client-urls=http://127.0.0.1:" + port,
                // Single member: port 0 keeps the unused peer listener off fixed ports.
                "--listen-peer-urls=http://127.0.0.1:0",
                // A lone member elects itself after one election timeout: 1s by default.
                "--heartbeat-interval=10",
                "--election-timeout=100"));
    if (!etcdVersion().startsWith("3.4")) {
      // Test data needs no durability; fsync dominates etcd's latency on small VMs.
      command.add("--unsafe-no-fsync=true");
    }
    return command;
  }

  private String etcdVersion() {
    try {
      Process process = new ProcessBuilder(bin.resolve("etcd").toString(), "--version").start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.SECONDS);
      return out.lines()
          .filter(line -> line.startsWith("etcd Version: "))
          .map(line -> line.substring("etcd Version: ".length()).trim())
          .findFirst()
          .orElse("");
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private ManagedProcess launch(String name, List<String> command) {
    ManagedProcess process = ManagedProcess.start(name, dir.resolve(name + ".log"), command);
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  private String kubeconfigYaml(Pki.Pem admin) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: tunnelier-e2e",
        "  cluster:",
        "    server: " + url,
        "    certificate-authority-data: " + base64(pki.caPem()),
        "users:",
        "- name: admin",
        "  user:",
        "    client-certificate-data: " + base64(admin.certificate()),
        "    client-key-data: " + base64(admin.privateKey()),
        "contexts:",
        "- name: admin",
        "  context:",
        "    cluster: tunnelier-e2e",
        "    user: admin",
        "    namespace: default",
        "current-context: admin",
        "");
  }

  private void stop() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (admin != null) {
        admin.close();
      }
    }
    List<ManagedProcess> running;
    synchronized (processes) {
      running = new ArrayList<>(processes);
    }
    // Reverse start order: controllers, then the API server, then its storage.
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).stop(STOP_GRACE);
    }
    if (Boolean.getBoolean("tunnelier.controlplane.keep")) {
      System.out.println("[controlplane] kept " + dir);
    } else {
      deleteRecursively(dir);
    }
  }

  private Path file(String name, String content) {
    Path path = dir.resolve(name);
    Pki.write(path, content);
    return path;
  }

  /** Null if a GET answers 200 with {@code expected} in its body; otherwise what it got. */
  private static String probe(SSLContext ssl, String url, String expected) {
    // HTTP/1.1: JDK 17's HTTP/2 client mishandles the GOAWAY Go servers send on idle connections.
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2));
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    try {
      HttpResponse<String> response =
          builder
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(expected)
          ? null
          : url + " answered " + response.statusCode() + ": " + response.body();
    } catch (IOException e) {
      return url + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("[controlplane] could not delete " + root + ": " + e);
    }
  }
}
