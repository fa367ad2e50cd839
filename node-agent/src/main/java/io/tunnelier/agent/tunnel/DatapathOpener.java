package io.tunnelier.agent.tunnel;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.io.IOException;

/**
 * Opens a datapath of a given kind: {@link BuiltInDatapaths} in production, a fake or a stand-in in
 * tests.
 */
@FunctionalInterface
public interface DatapathOpener {
  Datapath open(NodeDatapath kind, DatapathConfig config) throws IOException;
}
