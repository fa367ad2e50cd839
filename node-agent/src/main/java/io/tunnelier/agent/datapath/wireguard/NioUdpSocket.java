package io.tunnelier.agent.datapath.wireguard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A {@link UdpSocket} over a blocking NIO {@link DatagramChannel}: one system call per datagram.
 * Senders on several threads each pass their own buffers; receive is used by one thread.
 */
public final class NioUdpSocket implements UdpSocket {
  private final DatagramChannel channel;
  private final ThreadLocal<ByteBuffer> sendBuffers = new ThreadLocal<>();
  private ByteBuffer receiveBuffer;
  private int lastLength;

  public NioUdpSocket(int listenPort) throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
    channel.bind(new InetSocketAddress(listenPort));
    channel.configureBlocking(true);
  }

  @Override
  public InetSocketAddress receive(byte[] buf, int offset, int maxLength) throws IOException {
    ByteBuffer bb = receiveBuffer;
    if (bb == null || bb.array() != buf) {
      bb = receiveBuffer = ByteBuffer.wrap(buf);
    }
    bb.clear().position(offset).limit(offset + maxLength);
    try {
      InetSocketAddress from = (InetSocketAddress) channel.receive(bb);
      lastLength = bb.position() - offset;
      return from;
    } catch (ClosedChannelException e) {
      return null;
    }
  }

  @Override
  public int lastLength() {
    return lastLength;
  }

  @Override
  public void send(byte[] buf, int offset, int length, InetSocketAddress to) throws IOException {
    ByteBuffer bb = sendBuffers.get();
    if (bb == null || bb.array() != buf) {
      bb = ByteBuffer.wrap(buf);
      sendBuffers.set(bb);
    }
    bb.clear().position(offset).limit(offset + length);
    channel.send(bb, to);
  }

  @Override
  public int localPort() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
