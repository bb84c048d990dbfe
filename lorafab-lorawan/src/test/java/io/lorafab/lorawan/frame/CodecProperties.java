package io.lorafab.lorawan.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips for every message type, and random input into every decoder. */
class CodecProperties {

    @Provide
    Arbitrary<Eui64> euis() {
        return Arbitraries.longs().map(Eui64::of);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(16);
    }

    @Property
    void joinRequestRoundTrip(@ForAll("euis") Eui64 joinEui, @ForAll("euis") Eui64 devEui,
            @ForAll @IntRange(max = 0xffff) int devNonce, @ForAll int mic) {
        JoinRequest jr = new JoinRequest(joinEui, devEui, DevNonce.of(devNonce), new Mic(mic));
        assertThat(PhyPayloadCodec.decode(jr.encode())).isEqualTo(jr);
    }

    @Property
    void rejoinRequestRoundTrip(@ForAll("euis") Eui64 eui, @ForAll("euis") Eui64 devEui,
            @ForAll @IntRange(max = 2) int type, @ForAll @IntRange(max = 0xffffff) int netId,
            @ForAll @IntRange(max = 0xffff) int count, @ForAll int mic) {
        RejoinRequest rj = type == 1 ? new RejoinRequest.Type1(eui, devEui, count, new Mic(mic))
                : new RejoinRequest.Type0or2(type, NetId.of(netId), devEui, count, new Mic(mic));
        assertThat(PhyPayloadCodec.decode(rj.encode())).isEqualTo(rj);
    }

    @Provide
    Arbitrary<Optional<CfList>> cfLists() {
        Arbitrary<CfList> freqs = Arbitraries.longs().between(0, 0xffffff).map(f -> f * 100).list().ofMaxSize(5)
                .map(CfList.ChannelFrequencies::new);
        Arbitrary<CfList> masks = Arbitraries.integers().between(0, 0xffff).array(int[].class).ofSize(5)
                .map(CfList.ChannelMask::new);
        return Arbitraries.oneOf(freqs, masks).optional();
    }

    @Property
    void joinAcceptEncryptDecryptRoundTrip(@ForAll("keys") byte[] key, @ForAll @IntRange(max = 0xffffff) int joinNonce,
            @ForAll @IntRange(max = 0xffffff) int netId, @ForAll int devAddr, @ForAll @IntRange(max = 255) int dl,
            @ForAll @IntRange(max = 255) int rxDelay, @ForAll("cfLists") Optional<CfList> cfList, @ForAll int mic) {
        JoinAccept ja = new JoinAccept(JoinNonce.of(joinNonce), NetId.of(netId), DevAddr.of(devAddr),
                DlSettings.decode(dl), rxDelay, cfList, new Mic(mic));
        assertThat(JoinAccept.decode(ja.encode())).isEqualTo(ja);
        AesKey k = AesKey.of(key);
        EncryptedJoinAccept enc = JoinAcceptCipher.encryptJoinAccept(k, ja);
        assertThat(PhyPayloadCodec.decode(enc.encode())).isEqualTo(enc);
        assertThat(JoinAcceptCipher.decryptJoinAccept(k, enc)).isEqualTo(ja);
    }

    @Property
    void dataFrameRoundTrip(@ForAll @IntRange(min = 2, max = 5) int mType, @ForAll int devAddr,
            @ForAll @IntRange(max = 15) int fctrlBits, @ForAll @IntRange(max = 0xffff) int fCnt,
            @ForAll @Size(max = 15) byte[] fOpts, @ForAll @IntRange(min = -1, max = 255) int fPort,
            @ForAll @Size(max = 200) byte[] payload, @ForAll int mic) {
        boolean noPort = fPort < 0;
        byte[] opts = fPort == 0 ? new byte[0] : fOpts;
        DataFrame f = new DataFrame(MHdr.of(MType.ofCode(mType)),
                new FHdr(DevAddr.of(devAddr), FCtrl.decode(fctrlBits << 4), fCnt, opts),
                noPort ? OptionalInt.empty() : OptionalInt.of(fPort), noPort ? new byte[0] : payload, new Mic(mic));
        assertThat(PhyPayloadCodec.decode(f.encode())).isEqualTo(f);
    }

    @Property
    void proprietaryRoundTrip(@ForAll @Size(max = 254) byte[] payload) {
        Proprietary p = new Proprietary(MHdr.of(MType.PROPRIETARY), payload);
        assertThat(PhyPayloadCodec.decode(p.encode())).isEqualTo(p);
    }

    /** Any byte string either decodes to a frame that encodes back to the same bytes, or is rejected with the typed error. */
    @Property(tries = 5000)
    void randomBytesDecodeExactlyOrFailTyped(@ForAll @Size(max = 300) byte[] b) {
        try {
            PhyPayload p = PhyPayloadCodec.decode(b);
            assertThat(p.encode()).isEqualTo(b);
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void randomPlaintextIntoJoinAcceptAndCfList(@ForAll @Size(max = 40) byte[] b) {
        try {
            assertThat(JoinAccept.decode(b).encode()).isEqualTo(b);
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            assertThat(CfList.decode(b, 0).encode()).isEqualTo(java.util.Arrays.copyOf(b, 16));
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void randomTextIntoEveryParser(@ForAll @Size(max = 40) String s) {
        List<Runnable> parsers = List.of(() -> Eui64.parse(s), () -> DevAddr.parse(s), () -> NetId.parse(s),
                () -> DevNonce.parse(s), () -> JoinNonce.parse(s), () -> AesKey.parse(s), () -> Mic.parse(s),
                () -> MacVersion.parse(s), () -> Hex.parse(s, "x"), () -> PhyPayloadCodec.decode(PhyPayloadCodec.parseText(s)));
        for (Runnable p : parsers) {
            try {
                p.run();
            } catch (LorawanFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Property(tries = 1000)
    void randomHexLikeTextIntoPayloadParser(@ForAll("hexText") String s) {
        try {
            PhyPayloadCodec.decode(PhyPayloadCodec.parseText(s));
        } catch (LorawanFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> hexText() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF+/=x").ofMaxLength(80);
    }

    @Property
    void dlSettingsCoverEveryByte(@ForAll @IntRange(max = 255) int b) {
        assertThat(DlSettings.decode(b).encode()).isEqualTo(b);
    }

    @Property
    void mhdrRoundTrip(@ForAll @IntRange(max = 7) int mType, @ForAll @IntRange(max = 7) int rfu) {
        MHdr m = new MHdr(MType.ofCode(mType), rfu, 0);
        assertThat(MHdr.decode(m.encode() & 0xff)).isEqualTo(m);
    }
}
