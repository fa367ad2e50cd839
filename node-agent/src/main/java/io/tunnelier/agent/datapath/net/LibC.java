package io.tunnelier.agent.datapath.net;

import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the userspace datapath needs, bound through jnr-ffi. Pointers are passed as
 * raw addresses ({@code long}) of direct buffers ({@link NativeBuffer}), so a call marshals nothing
 * and allocates nothing: the hot path calls {@link #readv}, {@link #writev}, {@link #recvmmsg} and
 * {@link #sendmmsg} with memory prepared once. Struct layouts are those of LP64 Linux (x86_64,
 * aarch64). Use through {@link Native#libc()}.
 */
@SaveError
public interface LibC {
  int open(String path, int flags);

  int close(int fd);

  /** {@code ioctl(fd, request, argp)}; {@code argp} is the address of the argument struct. */
  int ioctl(int fd, long request, long argp);

  /** {@code ioctl(fd, request, value)} for requests that take an integer by value. */
  int ioctl(int fd, long request, int value);

  @ssize_t
  long read(int fd, long buf, @size_t long count);

  @ssize_t
  long write(int fd, long buf, @size_t long count);

  @ssize_t
  long readv(int fd, long iov, int iovcnt);

  @ssize_t
  long writev(int fd, long iov, int iovcnt);

  int socket(int domain, int type, int protocol);

  int bind(int fd, long addr, int addrlen);

  int connect(int fd, long addr, int addrlen);

  int getsockname(int fd, long addr, long addrlenPtr);

  int setsockopt(int fd, int level, int optname, long optval, int optlen);

  int getsockopt(int fd, int level, int optname, long optval, long optlenPtr);

  @ssize_t
  long sendmsg(int fd, long msg, int flags);

  @ssize_t
  long recvmsg(int fd, long msg, int flags);

  int sendmmsg(int fd, long msgvec, int vlen, int flags);

  int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

  int poll(long fds, long nfds, int timeoutMillis);

  int eventfd(int initval, int flags);

  /** Advice on a page-aligned range of this process's memory ({@link DirectMemory}). */
  int madvise(long addr, @size_t long length, int advice);

  long sysconf(int name);

  /** Moves the calling thread into the namespace {@code fd} refers to (test labs, tools). */
  int setns(int fd, int nstype);

  String strerror(int errnum);
}
