package io.lorafab.bench;

import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole join crypto of one OTAA join (parse the join-request, verify its MIC, build the join-accept,
 * compute its MIC, encrypt it, derive the session keys) beside the bare AES block operations that work
 * needs, done directly on a JDK cipher in the same run.
 *
 * <p>AES work per join: LoRaWAN 1.0.x: 7 block encryptions (join-request CMAC 3, join-accept CMAC 2,
 * NwkSKey and AppSKey 1 each) and 1 block decryption (join-accept encryption), all under the AppKey.
 * LoRaWAN 1.1: 11 encryptions (join-request CMAC 3 under the NwkKey, JSIntKey 1, join-accept CMAC 3 under
 * the JSIntKey, FNwkSIntKey/SNwkSIntKey/NwkSEncKey 3, AppSKey 1 under the AppKey) and 1 decryption.
 *
 * <p>And the crypto of one 1.0 data uplink as the join server's end-of-line check runs it (a 20-byte FRMPayload on
 * FPort 1): its MIC under the NwkSKey (CMAC over B0 and the 29-byte frame: 3 blocks, plus 1 for the subkeys when
 * they are not kept) and its FRMPayload decrypted under the AppSKey (2 keystream blocks), two keys in turn.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JoinCryptoBenchmark {

    private final AesKey appKey = AesKey.parse("0102030405060708090a0b0c0d0e0f10");
    private final AesKey nwkKey = AesKey.parse("100f0e0d0c0b0a090807060504030201");
    private final Eui64 joinEui = Eui64.parse("70b3d57ed0000001");
    private final Eui64 devEui = Eui64.parse("0004a30b001c0530");
    private final NetId netId = NetId.parse("000013");
    private final DevAddr devAddr = DevAddr.parse("26011234");
    private final JoinNonce joinNonce = JoinNonce.of(4711);

    private byte[] joinRequest10;
    private byte[] joinRequest11;
    private Cipher enc;
    private Cipher dec;
    private SecretKeySpec appKeySpec;
    private SecretKeySpec nwkKeySpec;
    private SecretKeySpec jsIntKeySpec;
    private byte[] block;
    private byte[] out;

    private final AesKey nwkSKey = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    private final AesKey appSKey = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    private byte[] dataUp10;
    private Cipher nwkSEnc;
    private Cipher appSEnc;
    private byte[] blocks2;
    private byte[] out2;

    @Setup
    public void setup() throws Exception {
        JoinRequest jr = new JoinRequest(joinEui, devEui, DevNonce.of(258), new Mic(0));
        joinRequest10 = jr.withMic(JoinMic.joinRequestMic(appKey, jr.micPayload())).encode();
        joinRequest11 = jr.withMic(JoinMic.joinRequestMic(nwkKey, jr.micPayload())).encode();
        enc = Cipher.getInstance("AES/ECB/NoPadding");
        dec = Cipher.getInstance("AES/ECB/NoPadding");
        appKeySpec = new SecretKeySpec(appKey.bytes(), "AES");
        nwkKeySpec = new SecretKeySpec(nwkKey.bytes(), "AES");
        jsIntKeySpec = new SecretKeySpec(new byte[16], "AES");
        block = new byte[16];
        out = new byte[16];
        enc.init(Cipher.ENCRYPT_MODE, appKeySpec);

        // MHDR unconfirmed up, DevAddr (LE), FCtrl 0, FCnt 7, FPort 1, FRMPayload 20 bytes, MIC
        byte[] frame = new byte[1 + 7 + 1 + 20 + 4];
        frame[0] = 0x40;
        devAddr.writeLe(frame, 1);
        frame[6] = 7;
        frame[8] = 1;
        byte[] clear = new byte[20];
        java.util.Arrays.fill(clear, (byte) 0x5a);
        System.arraycopy(PayloadCipher.encryptFrmPayload(appSKey, true, devAddr, 7, clear), 0, frame, 9, 20);
        Mic mic = DataMic.dataMic10(nwkSKey, true, devAddr, 7, java.util.Arrays.copyOf(frame, frame.length - 4));
        System.arraycopy(mic.toBytes(), 0, frame, frame.length - 4, 4);
        dataUp10 = frame;
        nwkSEnc = Cipher.getInstance("AES/ECB/NoPadding");
        nwkSEnc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(nwkSKey.bytes(), "AES"));
        appSEnc = Cipher.getInstance("AES/ECB/NoPadding");
        appSEnc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(appSKey.bytes(), "AES"));
        blocks2 = new byte[32];
        out2 = new byte[32];
    }

    /**
     * A 1.0 data uplink as the join server's end-of-line check runs it: parse, verify the MIC under the NwkSKey,
     * decrypt the FRMPayload under the AppSKey.
     */
    @Benchmark
    public void dataUp10(Blackhole bh) {
        DataFrame f = (DataFrame) PhyPayloadCodec.decode(dataUp10);
        if (!DataMic.dataMic10(nwkSKey, true, f.fhdr().devAddr(), f.fhdr().fCnt(), f.micPayload()).equals(f.mic())) {
            throw new IllegalStateException("MIC");
        }
        bh.consume(PayloadCipher.encryptFrmPayload(appSKey, true, f.fhdr().devAddr(), f.fhdr().fCnt(), f.frmPayload()));
    }

    /** The AES of dataUp10 alone, both keys' schedules kept: 3 CMAC blocks under the NwkSKey, 2 keystream blocks under the AppSKey. */
    @Benchmark
    public void aesBlocksOfDataUp10(Blackhole bh) throws Exception {
        for (int i = 0; i < 3; i++) {
            nwkSEnc.doFinal(block, 0, 16, out, 0);
            block[0] ^= out[0];
        }
        appSEnc.doFinal(blocks2, 0, 32, out2, 0);
        bh.consume(out);
        bh.consume(out2);
    }

    /** The join crypto of a LoRaWAN 1.0.x device, as the join server runs it. */
    @Benchmark
    public void join10(Blackhole bh) {
        JoinRequest jr = (JoinRequest) PhyPayloadCodec.decode(joinRequest10);
        if (!JoinMic.joinRequestMic(appKey, jr.micPayload()).equals(jr.mic())) {
            throw new IllegalStateException("MIC");
        }
        JoinAccept ja = new JoinAccept(joinNonce, netId, devAddr, new DlSettings(false, 0, 0), 1, Optional.empty(), new Mic(0));
        ja = ja.withMic(JoinMic.joinAcceptMic(MacVersion.V1_0_3, appKey, devEui, joinEui, JoinMic.JOIN_REQ_TYPE_JOIN,
                jr.devNonce().value(), ja));
        EncryptedJoinAccept onAir = JoinAcceptCipher.encryptJoinAccept(appKey, ja);
        bh.consume(onAir.encode());
        bh.consume(SessionKeys.derive10(appKey, joinNonce, netId, jr.devNonce()));
    }

    /** The join crypto of a LoRaWAN 1.1 device (OptNeg set). */
    @Benchmark
    public void join11(Blackhole bh) {
        JoinRequest jr = (JoinRequest) PhyPayloadCodec.decode(joinRequest11);
        if (!JoinMic.joinRequestMic(nwkKey, jr.micPayload()).equals(jr.mic())) {
            throw new IllegalStateException("MIC");
        }
        JoinAccept ja = new JoinAccept(joinNonce, netId, devAddr, new DlSettings(true, 0, 0), 1, Optional.empty(), new Mic(0));
        ja = ja.withMic(JoinMic.joinAcceptMic(MacVersion.V1_1, nwkKey, devEui, joinEui, JoinMic.JOIN_REQ_TYPE_JOIN,
                jr.devNonce().value(), ja));
        EncryptedJoinAccept onAir = JoinAcceptCipher.encryptJoinAccept(nwkKey, ja);
        bh.consume(onAir.encode());
        bh.consume(SessionKeys.derive11(nwkKey, appKey, joinNonce, joinEui, jr.devNonce()));
    }

    /** The AES of join10 alone: 7 block encryptions and 1 block decryption under one key, one key schedule per direction. */
    @Benchmark
    public void aesBlocksOf10(Blackhole bh) throws Exception {
        enc.init(Cipher.ENCRYPT_MODE, appKeySpec);
        for (int i = 0; i < 7; i++) {
            enc.doFinal(block, 0, 16, out, 0);
            block[0] ^= out[0];
        }
        dec.init(Cipher.DECRYPT_MODE, appKeySpec);
        dec.doFinal(block, 0, 16, out, 0);
        bh.consume(out);
    }

    /** The AES of join11 alone: 11 block encryptions under three keys and 1 decryption, one key schedule per key and direction. */
    @Benchmark
    public void aesBlocksOf11(Blackhole bh) throws Exception {
        enc.init(Cipher.ENCRYPT_MODE, nwkKeySpec);
        for (int i = 0; i < 7; i++) {
            enc.doFinal(block, 0, 16, out, 0);
            block[0] ^= out[0];
        }
        enc.init(Cipher.ENCRYPT_MODE, jsIntKeySpec);
        for (int i = 0; i < 3; i++) {
            enc.doFinal(block, 0, 16, out, 0);
            block[0] ^= out[0];
        }
        enc.init(Cipher.ENCRYPT_MODE, appKeySpec);
        enc.doFinal(block, 0, 16, out, 0);
        dec.init(Cipher.DECRYPT_MODE, nwkKeySpec);
        dec.doFinal(block, 0, 16, out, 0);
        bh.consume(out);
    }

    /** One AES block encryption with the key already scheduled (runs in its own fork, so the key stays). */
    @Benchmark
    public void aesOneBlock(Blackhole bh) throws Exception {
        enc.doFinal(block, 0, 16, out, 0);
        bh.consume(out);
    }

    /** One key schedule and one block: the cost of using a key for the first time. */
    @Benchmark
    public void aesKeyScheduleAndBlock(Blackhole bh) throws Exception {
        enc.init(Cipher.ENCRYPT_MODE, appKeySpec);
        enc.doFinal(block, 0, 16, out, 0);
        bh.consume(out);
    }
}
