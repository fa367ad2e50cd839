package io.tunnelier.agent.datapath.net;

/** The errno values the datapath reacts to (Linux, asm-generic). */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int EMSGSIZE = 90;
  public static final int EPROTONOSUPPORT = 93;
  public static final int EAFNOSUPPORT = 97;
  public static final int EOPNOTSUPP = 95;
  public static final int ENETUNREACH = 101;
  public static final int ENOBUFS = 105;
  public static final int ECONNREFUSED = 111;
  public static final int EHOSTUNREACH = 113;

  private Errno() {}
}
