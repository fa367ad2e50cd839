package io.tunnelier.agent.datapath;

import java.io.IOException;

/** Opens the datapath for one tunnel. Kernel and userspace implementations sit behind this. */
public interface DatapathFactory {
  Datapath open(DatapathConfig config) throws IOException;
}
