package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Remembers which (actual resourceVersion, desired) pairs already matched, so the server-side apply
 * matcher (a JSON round trip of both objects) runs once per change instead of on every reconcile:
 * every agent report reconciles its Tunnel, and each reconcile compared the shared DaemonSet and
 * both Secrets again (a quarter of the operator's CPU with 200 Tunnels). A resourceVersion names
 * one exact state of an object, so the answer cannot differ; any edit, ours or someone else's,
 * gives a new one and is compared in full. Only matches are remembered.
 */
final class MatchMemo<R extends HasMetadata> {
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(String resourceVersion, Object desired) {}

  private final Map<String, Entry> matched =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /** {@code full}'s answer, or a remembered match for this exact state of {@code actual}. */
  Matcher.Result<R> match(R actual, R desired, Supplier<Matcher.Result<R>> full) {
    String key = actual.getMetadata().getUid();
    String version = actual.getMetadata().getResourceVersion();
    if (key == null || version == null) {
      return full.get();
    }
    synchronized (matched) {
      Entry e = matched.get(key);
      if (e != null
          && e.resourceVersion().equals(version)
          && Objects.equals(e.desired(), desired)) {
        return Matcher.Result.computed(true, desired);
      }
    }
    Matcher.Result<R> result = full.get();
    synchronized (matched) {
      if (result.matched()) {
        matched.put(key, new Entry(version, desired));
      } else {
        matched.remove(key);
      }
    }
    return result;
  }
}
