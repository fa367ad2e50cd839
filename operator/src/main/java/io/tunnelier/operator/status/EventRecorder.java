package io.tunnelier.operator.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tunnelier.operator.Labels;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about an object, as {@code kubectl describe} shows them. Failing to record
 * an Event is logged, never fatal: the status carries the same information.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String host;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.host = System.getenv().getOrDefault("HOSTNAME", "");
  }

  public void record(HasMetadata about, TunnelEvents.Event event) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String message = event.message() == null ? "" : event.message();
    try {
      client
          .v1()
          .events()
          .inNamespace(about.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      about.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                  .withNamespace(about.getMetadata().getNamespace())
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withNamespace(about.getMetadata().getNamespace())
                          .withUid(about.getMetadata().getUid())
                          .withResourceVersion(about.getMetadata().getResourceVersion())
                          .build())
                  .withType(event.type())
                  .withReason(event.reason())
                  .withMessage(
                      message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(Labels.OPERATOR)
                  .withHost(host.isEmpty() ? null : host)
                  .endSource()
                  .withReportingComponent(Labels.OPERATOR)
                  .withReportingInstance(host.isEmpty() ? null : host)
                  .build())
          .create();
      LOG.atInfo()
          .setMessage("event recorded")
          .addKeyValue("type", event.type())
          .addKeyValue("reason", event.reason())
          .addKeyValue(
              "object", about.getMetadata().getNamespace() + "/" + about.getMetadata().getName())
          .addKeyValue("message", message)
          .log();
    } catch (KubernetesClientException e) {
      LOG.atWarn()
          .setMessage("could not record event")
          .addKeyValue("reason", event.reason())
          .addKeyValue(
              "object", about.getMetadata().getNamespace() + "/" + about.getMetadata().getName())
          .addKeyValue("error", e.getMessage())
          .log();
    }
  }
}
