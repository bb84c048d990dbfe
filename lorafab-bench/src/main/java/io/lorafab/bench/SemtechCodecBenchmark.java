package io.lorafab.bench;

import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Semtech UDP codec on the receive thread's hot datagram: a PUSH_DATA carrying one join-request as a packet
 * forwarder sends it; beside it the same with a status report (which only a tree reads), and the PULL_RESP
 * that answers it, built with a generator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SemtechCodecBenchmark {

    static final String RXPK = "{\"time\":\"2026-12-07T10:11:12.123456Z\",\"tmst\":3512348611,\"chan\":2,\"rfch\":0,"
            + "\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\",\"rssi\":-35,"
            + "\"lsnr\":5.1,\"size\":23,\"data\":\"AAEAANB+1bNwMAUcAAujBAABAgMEBQY=\"}";
    static final String STAT = "{\"time\":\"2026-12-07 10:11:12 GMT\",\"lati\":46.24000,\"long\":3.25230,\"alti\":145,"
            + "\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}";

    private byte[] pushData;
    private byte[] pushDataWithStat;
    private SemtechPacket.PullResp pullResp;

    static byte[] datagram(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] d = new byte[12 + body.length];
        d[0] = 2;
        d[1] = 0x12;
        d[2] = 0x34;
        d[3] = 0; // PUSH_DATA
        for (int i = 4; i < 12; i++) {
            d[i] = (byte) (0xA0 + i);
        }
        System.arraycopy(body, 0, d, 12, body.length);
        return d;
    }

    @Setup
    public void setup() {
        pushData = datagram("{\"rxpk\":[" + RXPK + "]}");
        pushDataWithStat = datagram("{\"rxpk\":[" + RXPK + "],\"stat\":" + STAT + "}");
        byte[] resp = ("{\"txpk\":{\"imme\":false,\"tmst\":3517348611,\"freq\":868.5,\"rfch\":0,\"powe\":14,"
                + "\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\",\"ipol\":true,\"size\":17,"
                + "\"data\":\"IAECAwQFBgcICQoLDA0ODxA=\"}}").getBytes(StandardCharsets.UTF_8);
        byte[] d = new byte[4 + resp.length];
        d[0] = 2;
        d[3] = 3; // PULL_RESP
        System.arraycopy(resp, 0, d, 4, resp.length);
        pullResp = (SemtechPacket.PullResp) SemtechCodec.decode(d);
    }

    /** Decode a PUSH_DATA with one reception. */
    @Benchmark
    public SemtechPacket decodePushData() {
        return SemtechCodec.decode(pushData);
    }

    /** The same with a gateway status report beside it. */
    @Benchmark
    public SemtechPacket decodePushDataWithStat() {
        return SemtechCodec.decode(pushDataWithStat);
    }

    /** Encode the PULL_RESP of a join-accept. */
    @Benchmark
    public byte[] encodePullResp() {
        return SemtechCodec.encode(pullResp);
    }
}
