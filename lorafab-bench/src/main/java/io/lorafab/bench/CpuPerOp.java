package io.lorafab.bench;

import io.lorafab.gateway.Deduplicator;
import io.lorafab.gateway.RxInfo;
import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsMessage;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Mic;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Thread CPU time per operation of the receive path's pieces (issue 17), best of 8 rounds after 4 warm-up rounds:
 * on a machine shared with other work the thread's own CPU time is far steadier than JMH's wall time. Uses public APIs
 * only, so it also runs as a source file against an older tree's jar:
 * {@code java -cp OLD/benchmarks.jar lorafab-bench/src/main/java/io/lorafab/bench/CpuPerOp.java}.
 */
public final class CpuPerOp {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();
    static Object sink;

    interface Op {
        Object run(long i);
    }

    private CpuPerOp() {
    }

    static double measure(Op op, int n) {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 12; round++) {
            long t0 = T.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink = op.run(i);
            }
            long t = T.getCurrentThreadCpuTime() - t0;
            if (round >= 4) { // the first rounds are warm-up
                best = Math.min(best, t);
            }
        }
        return (double) best / n;
    }

    /** Bytes the thread allocates per operation, the least of 8 rounds after 4 warm-up rounds. */
    static double allocated(Op op, int n) {
        com.sun.management.ThreadMXBean m = (com.sun.management.ThreadMXBean) T;
        long id = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 12; round++) {
            long b0 = m.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) {
                sink = op.run(i);
            }
            long b = m.getThreadAllocatedBytes(id) - b0;
            if (round >= 4) {
                best = Math.min(best, b);
            }
        }
        return (double) best / n;
    }

    /** CPU time and allocation per operation, on one line. */
    static String both(Op op, int n) {
        return String.format("%.0f ns, %.0f bytes allocated", measure(op, n), allocated(op, n));
    }

    public static void main(String[] a) {
        String rxpk = "{\"time\":\"2026-12-07T10:11:12.123456Z\",\"tmst\":3512348611,\"chan\":2,\"rfch\":0,"
                + "\"freq\":868.500000,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\",\"codr\":\"4/5\",\"rssi\":-35,"
                + "\"lsnr\":5.1,\"size\":23,\"data\":\"AAEAANB+1bNwMAUcAAujBAABAgMEBQY=\"}";
        byte[] body = ("{\"rxpk\":[" + rxpk + "]}").getBytes(StandardCharsets.UTF_8);
        byte[] d = new byte[12 + body.length];
        d[0] = 2; // version 2, PUSH_DATA
        System.arraycopy(body, 0, d, 12, body.length);
        System.out.printf("semtech decode PUSH_DATA: %.0f ns%n", measure(i -> SemtechCodec.decode(d), 20_000));
        byte[] body2 = ("{\"rxpk\":[" + rxpk + "],\"stat\":{\"time\":\"2026-12-07 10:11:12 GMT\",\"lati\":46.24,\"long\":3.2523,\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}").getBytes(StandardCharsets.UTF_8);
        byte[] d2 = new byte[12 + body2.length];
        d2[0] = 2;
        System.arraycopy(body2, 0, d2, 12, body2.length);
        System.out.printf("semtech decode PUSH_DATA with stat: %.0f ns%n", measure(i -> SemtechCodec.decode(d2), 20_000));

        // Basics Station (the same messages as BasicsStationCodecBenchmark)
        String up = "\"RefTime\":1796642472.123456,\"DR\":5,\"Freq\":868100000,\"upinfo\":{\"rctx\":0,"
                + "\"xtime\":40532396646425099,\"gpstime\":1449001290123456,\"fts\":-1,\"rssi\":-35,\"snr\":9.25,"
                + "\"rxtime\":1796642472.125000}}";
        String jreq = "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":\"70-B3-D5-7E-D0-00-00-01\","
                + "\"DevEui\":\"00-04-A3-0B-00-1C-05-30\",\"DevNonce\":4660,\"MIC\":-272716322," + up;
        String updf = "{\"msgtype\":\"updf\",\"MHdr\":64,\"DevAddr\":638653076,\"FCtrl\":128,\"FCnt\":7,"
                + "\"FOpts\":\"\",\"FPort\":1,\"FRMPayload\":\"0A1B2C3D4E5F60718293A4B5C6D7E8F901122334\","
                + "\"MIC\":1164413917," + up;
        String jreqOther = jreq.replace("JoinEui", "JoinEUI").replace("DevEui", "DevEUI");
        LnsMessage.DownlinkMessage dnmsg = new LnsMessage.DownlinkMessage(Eui64.of(0x0004A30B001C0530L), 0, 1_234_567L,
                HexFormat.of().parseHex("20F1E2D3C4B5A6978877665544332211"), 5,
                Optional.of(new LnsMessage.Window(5, 868_100_000L)), Optional.of(new LnsMessage.Window(0, 869_525_000L)),
                40532396646425099L, 0, 0, OptionalDouble.of(1796642472.250));
        System.out.println("basics station decode jreq: " + both(i -> LnsCodec.decodeFromStation(jreq), 20_000));
        System.out.println("basics station decode updf: " + both(i -> LnsCodec.decodeFromStation(updf), 20_000));
        System.out.println("basics station decode jreq, JoinEUI spelling (tree): "
                + both(i -> LnsCodec.decodeFromStation(jreqOther), 20_000));
        System.out.println("basics station encode dnmsg: " + both(i -> LnsCodec.encode(dnmsg), 20_000));

        AesKey nwk = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
        AesKey app = AesKey.parse("000102030405060708090a0b0c0d0e0f");
        DevAddr addr = DevAddr.parse("26011234");
        byte[] f = new byte[33];
        f[0] = 0x40; // unconfirmed data up; FCnt 7, FPort 1, 20 bytes of FRMPayload
        addr.writeLe(f, 1);
        f[6] = 7;
        f[8] = 1;
        byte[] clear = new byte[20];
        System.arraycopy(PayloadCipher.encryptFrmPayload(app, true, addr, 7, clear), 0, f, 9, 20);
        Mic mic = DataMic.dataMic10(nwk, true, addr, 7, Arrays.copyOf(f, 29));
        System.arraycopy(mic.toBytes(), 0, f, 29, 4);
        System.out.printf("data uplink verify+decrypt: %.0f ns%n", measure(i -> {
            DataFrame df = (DataFrame) PhyPayloadCodec.decode(f);
            if (!DataMic.dataMic10(nwk, true, df.fhdr().devAddr(), df.fhdr().fCnt(), df.micPayload()).equals(df.mic())) {
                throw new IllegalStateException("MIC");
            }
            return PayloadCipher.encryptFrmPayload(app, true, df.fhdr().devAddr(), df.fhdr().fCnt(), df.frmPayload());
        }, 50_000));

        for (int pending : new int[] {100, 2000, 10000}) {
            Deduplicator dd = new Deduplicator(Deduplicator.DEFAULT_WINDOW, pending + 16);
            long step = Deduplicator.DEFAULT_WINDOW.toNanos() / pending;
            byte[][] frames = new byte[2 * pending + 2][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new byte[23];
                frames[i][1] = (byte) i;
                frames[i][2] = (byte) (i >> 8);
                frames[i][3] = (byte) (i >> 16);
            }
            RxInfo rx = RxInfo.lora(Eui64.of(1), 1_000_000L, 868_100_000L, 7, 125_000, "4/5", -90, 5.0, 0, 0, Optional.empty());
            Instant t0 = Instant.parse("2026-12-07T00:00:00Z");
            long[] op = {0};
            for (; op[0] < pending; op[0]++) {
                dd.offer(frames[(int) (op[0] % frames.length)], rx, t0.plusNanos(op[0] * step));
            }
            System.out.printf("dedup offer+tick, %d waiting: %.0f ns%n", pending, measure(i -> {
                Instant now = t0.plusNanos(op[0] * step);
                dd.offer(frames[(int) (op[0] % frames.length)], rx, now);
                op[0]++;
                return dd.flushDue(now);
            }, pending >= 10000 ? 500 : 5_000));
        }
    }
}
