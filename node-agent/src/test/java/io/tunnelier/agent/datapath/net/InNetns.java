package io.tunnelier.agent.datapath.net;

import io.tunnelier.agent.lab.Netns;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs code on a fresh thread that has joined a lab namespace with {@code setns(2)}, so a test can
 * open TUN devices and sockets there while the JVM's other threads stay in the host namespace. The
 * thread ends with the call; descriptors opened inside keep their namespace wherever they are used
 * afterwards.
 */
public final class InNetns {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;

  private InNetns() {}

  public static <T> T call(Netns ns, Callable<T> work) throws Exception {
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              int fd = Native.libc().open("/var/run/netns/" + ns.name(), O_RDONLY | O_CLOEXEC);
              if (fd < 0) {
                throw Native.error("open netns " + ns.name());
              }
              try {
                if (Native.libc().setns(fd, CLONE_NEWNET) < 0) {
                  throw Native.error("setns " + ns.name());
                }
              } finally {
                Native.libc().close(fd);
              }
              return work.call();
            });
    Thread thread = new Thread(task, "in-" + ns.name());
    thread.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
