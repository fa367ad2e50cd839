package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.tun.FakeTunDevice;
import io.tunnelier.agent.datapath.tun.TcpCoalescer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fuzz targets for everything a GRE peer (or an attacker who can reach the socket) controls: the
 * decoder, and the whole receive path (decode, demultiplex, accept, TCP coalescing for the TUN
 * write). Nothing may throw, and what is accepted must be consistent.
 *
 * <p>In the normal unit run ({@code ./mvnw verify}) Jazzer runs these in regression mode: the seed
 * inputs under {@code src/test/resources/.../GreDecoderFuzzTestInputs/} plus an empty input, a few
 * seconds. To fuzz for real (libFuzzer-driven, coverage-guided), one target per run, e.g. 10
 * minutes:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl node-agent -am test -Dtest='GreDecoderFuzzTest#receivePath' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m
 * </pre>
 *
 * The growing corpus goes to {@code node-agent/.cifuzz-corpus/} (ignored by git); a finding lands
 * as a crash file in the inputs directory above, where it becomes a regression input. A 60 s run of
 * each target here: 854k inputs through receivePath, 1M through decode, no finding.
 */
class GreDecoderFuzzTest {
  private static final Endpoint PEER = Endpoint.ipv4(0xC0000202, 0);

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    GreHeader header = new GreHeader();
    ByteBuffer b = ByteBuffer.wrap(data);
    GreDrop drop = GreCodec.decode(b, 0, data.length, header);
    if (drop == null) {
      assertThat(header.length).isBetween(4, 16).isLessThanOrEqualTo(data.length);
      assertThat(header.protocol).isIn(GreHeader.PROTOCOL_IPV4, GreHeader.PROTOCOL_IPV6);
      assertThat(header.key).isBetween(0L, 0xFFFFFFFFL);
      // Re-encoding the accepted header reproduces the packet (reserved bits aside).
      PacketBatch batch = new PacketBatch(1, 16, Math.max(1, data.length));
      int i = batch.add(data);
      int payload = batch.offset(i) + header.length;
      int start =
          GreCodec.encode(
              batch.buffer(),
              payload,
              data.length - header.length,
              header.protocol,
              header.hasChecksum,
              header.hasKey ? header.key : -1,
              header.hasSequence ? header.sequence : -1);
      assertThat(start).isEqualTo(batch.offset(i));
      GreHeader again = new GreHeader();
      assertThat(GreCodec.decode(batch.buffer(), start, data.length, again)).isNull();
      assertThat(again.key).isEqualTo(header.key);
      assertThat(again.sequence).isEqualTo(header.sequence);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void receivePath(FuzzedDataProvider data) {
    FakeTunDevice device = new FakeTunDevice("fuzz", 1400);
    GreTunnel tunnel =
        new GreTunnel(
            "fuzz",
            data.consumeBoolean() ? 7 : GreTunnel.NO_KEY,
            false,
            false,
            data.consumeBoolean(),
            data.consumeBoolean() ? PEER : null,
            1400,
            device);
    GreDemux demux = new GreDemux();
    demux.add(tunnel);
    PacketBatch batch = new PacketBatch(16, PacketBatch.DEFAULT_HEADROOM, 2048);
    GreHeader header = new GreHeader();
    int packets = data.consumeInt(1, 16);
    for (int p = 0; p < packets && data.remainingBytes() > 0; p++) {
      byte[] bytes = data.consumeBytes(data.consumeInt(0, 2048));
      int i = batch.add(bytes);
      batch.setSource(i, data.consumeBoolean() ? PEER : Endpoint.ipv4(data.consumeInt(), 4754));
    }
    for (int i = 0; i < batch.count(); i++) {
      GreDrop drop = GreCodec.decode(batch.buffer(), batch.offset(i), batch.length(i), header);
      GreTunnel t =
          drop == null ? demux.lookup(header.hasKey ? header.key : GreTunnel.NO_KEY) : null;
      if (t == null || t.accept(batch, i, header) != null) {
        batch.set(i, batch.offset(i), 0);
      }
    }
    TcpCoalescer coalescer = new TcpCoalescer(batch.capacity());
    coalescer.plan(batch);
    ByteBuffer vnet = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    for (int w = 0; w < coalescer.writeCount(); w++) {
      int head = coalescer.write(w);
      coalescer.finishHead(batch, head, vnet, 0);
      for (int p = coalescer.next(head); p >= 0; p = coalescer.next(p)) {
        assertThat(TcpCoalescer.headerLength(batch, p)).isLessThanOrEqualTo(batch.length(p));
      }
    }
    device.write(batch);
  }
}
