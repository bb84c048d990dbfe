package io.lorafab.bench;

import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.lorawan.types.Eui64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Basics Station codec on a station's hot messages (issue 17): a {@code jreq} and an {@code updf} as Basics
 * Station 2.0.6 writes them, a {@code jreq} in a form only the tree reader takes (the {@code JoinEUI}/{@code DevEUI}
 * spelling), and the {@code dnmsg} that answers a join. Public API only, so the class also builds against an older
 * tree for before/after runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BasicsStationCodecBenchmark {

    static final String UPINFO = "\"RefTime\":1796642472.123456,\"DR\":5,\"Freq\":868100000,\"upinfo\":{\"rctx\":0,"
            + "\"xtime\":40532396646425099,\"gpstime\":1449001290123456,\"fts\":-1,\"rssi\":-35,\"snr\":9.25,"
            + "\"rxtime\":1796642472.125000}}";
    static final String JREQ = "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":\"70-B3-D5-7E-D0-00-00-01\","
            + "\"DevEui\":\"00-04-A3-0B-00-1C-05-30\",\"DevNonce\":4660,\"MIC\":-272716322," + UPINFO;
    static final String UPDF = "{\"msgtype\":\"updf\",\"MHdr\":64,\"DevAddr\":638653076,\"FCtrl\":128,\"FCnt\":7,"
            + "\"FOpts\":\"\",\"FPort\":1,\"FRMPayload\":\"0A1B2C3D4E5F60718293A4B5C6D7E8F901122334\","
            + "\"MIC\":1164413917," + UPINFO;
    static final String JREQ_OTHER_SPELLING = JREQ.replace("JoinEui", "JoinEUI").replace("DevEui", "DevEUI");

    static final DownlinkMessage DNMSG = new DownlinkMessage(Eui64.of(0x0004A30B001C0530L), 0, 1_234_567L,
            HexFormat.of().parseHex("20F1E2D3C4B5A6978877665544332211"), 5, Optional.of(new Window(5, 868_100_000L)),
            Optional.of(new Window(0, 869_525_000L)), 40532396646425099L, 0, 0, OptionalDouble.of(1796642472.250));

    /** Decode a join-request as the station sends it. */
    @Benchmark
    public LnsMessage decodeJreq() {
        return LnsCodec.decodeFromStation(JREQ);
    }

    /** Decode a data uplink with 20 bytes of FRMPayload. */
    @Benchmark
    public LnsMessage decodeUpdf() {
        return LnsCodec.decodeFromStation(UPDF);
    }

    /** The join-request with the other EUI spelling, which the fast path leaves to the tree reader. */
    @Benchmark
    public LnsMessage decodeJreqOtherSpelling() {
        return LnsCodec.decodeFromStation(JREQ_OTHER_SPELLING);
    }

    /** Encode the dnmsg of a join-accept. */
    @Benchmark
    public String encodeDnmsg() {
        return LnsCodec.encode(DNMSG);
    }
}
