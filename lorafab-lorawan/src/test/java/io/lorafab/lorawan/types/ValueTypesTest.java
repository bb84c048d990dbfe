package io.lorafab.lorawan.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ValueTypesTest {

    @ParameterizedTest(name = "EUI-64 {0} -> {1}")
    @CsvSource({
            "0004a30b001c0530, 0004a30b001c0530",
            "70B3D57ED0000001, 70b3d57ed0000001",
            "70-B3-D5-7E-D0-00-00-01, 70b3d57ed0000001",
            "70:b3:d5:7e:d0:00:00:01, 70b3d57ed0000001",
            "ffffffffffffffff, ffffffffffffffff",
    })
    void euiParsesAndFormatsMsbFirst(String text, String formatted) {
        Eui64 e = Eui64.parse(text);
        assertThat(e.toString()).isEqualTo(formatted);
        assertThat(Eui64.parse(e.toString())).isEqualTo(e).hasSameHashCodeAs(e);
        assertThat(Eui64.fromBytes(e.toBytes())).isEqualTo(e);
    }

    /** EUIs and DevAddrs are written from their number directly: the same text as their bytes in hex, every value. */
    @Test
    void euiAndDevAddrTextIsTheirBigEndianBytesInLowerCaseHex() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        long[] edges = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x0004a30b001c0530L, 0xf0L, 0x0fL};
        for (int i = 0; i < 100_000 + edges.length; i++) {
            long v = i < edges.length ? edges[i] : random.nextLong();
            assertThat(Eui64.of(v).toString()).isEqualTo(Hex.format(Eui64.of(v).toBytes()));
            assertThat(DevAddr.of((int) v).toString()).isEqualTo(Hex.format(DevAddr.of((int) v).toBytes()));
        }
    }

    @Test
    void euiIsLittleEndianOnAir() {
        byte[] b = new byte[8];
        Eui64.parse("0102030405060708").writeLe(b, 0);
        assertThat(Hex.format(b)).isEqualTo("0807060504030201");
        assertThat(Eui64.fromLe(b, 0)).isEqualTo(Eui64.parse("0102030405060708"));
        assertThat(Eui64.parse("ffffffffffffffff").compareTo(Eui64.parse("0000000000000001"))).isPositive();
        assertThat(Eui64.of(0).isAllZero()).isTrue();
        assertThat(Eui64.of(-1).isAllOnes()).isTrue();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("EUI too short", (Runnable) () -> Eui64.parse("0102"), "expected 8 bytes"),
                Arguments.of("EUI odd digits", (Runnable) () -> Eui64.parse("010203040506070"), "odd number of hex digits"),
                Arguments.of("EUI bad digit", (Runnable) () -> Eui64.parse("01020304050607zz"), "not a hex digit at position 14"),
                Arguments.of("EUI null", (Runnable) () -> Eui64.parse(null), "missing value"),
                Arguments.of("DevAddr too long", (Runnable) () -> DevAddr.parse("0102030405"), "expected 4 bytes"),
                Arguments.of("NetID too short", (Runnable) () -> NetId.parse("0102"), "expected 3 bytes"),
                Arguments.of("NetID over 24 bits", (Runnable) () -> NetId.of(0x1000000), "out of range"),
                Arguments.of("DevNonce negative", (Runnable) () -> DevNonce.of(-1), "out of range 0..65535"),
                Arguments.of("DevNonce too big", (Runnable) () -> DevNonce.parse("65536"), "out of range"),
                Arguments.of("DevNonce not a number", (Runnable) () -> DevNonce.parse("12a"), "not a number"),
                Arguments.of("DevNonce Arabic-Indic digit", (Runnable) () -> DevNonce.parse("\u0665"), "not a number"),
                Arguments.of("DevNonce full-width digits", (Runnable) () -> DevNonce.parse("\uff11\uff12"), "not a number"),
                Arguments.of("DevNonce plus sign", (Runnable) () -> DevNonce.parse("+5"), "not a number"),
                Arguments.of("DevNonce minus zero", (Runnable) () -> DevNonce.parse("-0"), "not a number"),
                Arguments.of("DevNonce hex with sign", (Runnable) () -> DevNonce.parse("0x+5"), "not a number"),
                Arguments.of("DevNonce bare 0x", (Runnable) () -> DevNonce.parse("0x"), "not a number"),
                Arguments.of("DevNonce hex Arabic-Indic", (Runnable) () -> DevNonce.parse("0x\u0661\u0662"), "not a number"),
                Arguments.of("DevNonce past a long", (Runnable) () -> DevNonce.parse("99999999999999999999"), "out of range 0..65535"),
                Arguments.of("DevNonce one past", (Runnable) () -> DevNonce.parse("0x10000"), "out of range 0..65535"),
                Arguments.of("JoinNonce Arabic-Indic digits", (Runnable) () -> JoinNonce.parse("\u0661\u0662"), "not a number"),
                Arguments.of("hex Arabic-Indic digits", (Runnable) () -> Hex.parse("\u0661\u0662", "x"), "not a hex digit at position 0"),
                Arguments.of("hex full-width digit", (Runnable) () -> Hex.parse("1\uff12", "x"), "not a hex digit at position 1"),
                Arguments.of("EUI Arabic-Indic digits", (Runnable) () -> Eui64.parse("\u0661".repeat(16)), "not a hex digit at position 0"),
                Arguments.of("key full-width digits", (Runnable) () -> AesKey.parse("\uff10".repeat(32)), "not a hex digit at position 0"),
                Arguments.of("DevAddr Arabic-Indic digits", (Runnable) () -> DevAddr.parse("0102030\u0664"), "not a hex digit at position 7"),
                Arguments.of("JoinNonce too big", (Runnable) () -> JoinNonce.of(0x1000000), "out of range 0..16777215"),
                Arguments.of("JoinNonce exhausted", (Runnable) () -> JoinNonce.of(0xffffff).next(), "exhausted"),
                Arguments.of("key too short", (Runnable) () -> AesKey.parse("0102"), "expected 16 bytes"),
                Arguments.of("key bytes", (Runnable) () -> AesKey.of(new byte[15]), "expected 16 bytes, got 15"),
                Arguments.of("MIC too long", (Runnable) () -> Mic.parse("0102030405"), "expected 4 bytes"),
                Arguments.of("MAC version", (Runnable) () -> MacVersion.parse("2.0"), "unknown '2.0'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void malformedValuesGiveOneTypedError(String name, Runnable parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOf(LorawanFormatException.class).hasMessageContaining(message);
    }

    @Test
    void keyNeverShowsInTextOrErrors() {
        AesKey k = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
        assertThat(k.toString()).doesNotContain("2b7e").isEqualTo("AesKey[redacted]");
        assertThat(k.toHex()).isEqualTo("2b7e151628aed2a6abf7158809cf4f3c");
        assertThat(k).isEqualTo(AesKey.of(Hex.parse("2b7e151628aed2a6abf7158809cf4f3c", "k"))).isNotEqualTo(AesKey.of(new byte[16]));
        assertThatThrownBy(() -> AesKey.parse("2b7e151628aed2a6abf7158809cf4fXY"))
                .hasMessageNotContaining("2b7e").hasMessageContaining("position 30");
        byte[] copy = k.bytes();
        copy[0] = 0;
        assertThat(k.toHex()).startsWith("2b");
    }

    @ParameterizedTest(name = "DevNonce {0} = {1}")
    @CsvSource({"771, 771", "0x0303, 771", "0X0303, 771", "0, 0", "00065535, 65535", "65535, 65535", "0xffff, 65535", "0x00FFFF, 65535"})
    void devNonceParsesDecimalOrHex(String text, int value) {
        assertThat(DevNonce.parse(text)).isEqualTo(DevNonce.of(value));
    }

    @Test
    void joinNonceCountsUpAndRefusesToWrap() {
        assertThat(JoinNonce.of(0).next()).isEqualTo(JoinNonce.of(1));
        assertThat(JoinNonce.of(0xfffffe).next()).isEqualTo(JoinNonce.of(0xffffff));
        byte[] b = new byte[3];
        JoinNonce.of(0x570bc7).writeLe(b, 0);
        assertThat(Hex.format(b)).isEqualTo("c70b57");
    }

    /** NetID types and DevAddr prefixes (Backend Interfaces DevAddr table, 1.0.1 errata widths). */
    @ParameterizedTest(name = "NetID {0}: type {1}, NwkID {2}, prefix {3}/{4}")
    @CsvSource({
            "000013, 0, 19, 26000000, 7",
            "000000, 0, 0, 00000000, 7",
            "00003f, 0, 63, 7e000000, 7",
            "200005, 1, 5, 85000000, 8",
            "400123, 2, 291, d2300000, 12",
            "6005a1, 3, 1441, eb420000, 15",
            "8000ff, 4, 255, f07f8000, 17",
            "a01fff, 5, 8191, fbffe000, 19",
            "c07fff, 6, 32767, fdfffc00, 22",
            "e1ffff, 7, 131071, feffff80, 25",
    })
    void netIdTypeAndDevAddrPrefix(String netId, int type, int nwkId, String prefix, int length) {
        NetId n = NetId.parse(netId);
        assertThat(n.type()).isEqualTo(type);
        assertThat(n.nwkId()).isEqualTo(nwkId);
        assertThat(n.devAddrPrefixLength()).isEqualTo(length);
        assertThat(n.devAddrPrefix().toString()).isEqualTo(prefix);
        DevAddr first = n.devAddr(0);
        DevAddr last = n.devAddr((1L << n.nwkAddrBits()) - 1);
        assertThat(n.owns(first)).isTrue();
        assertThat(n.owns(last)).isTrue();
        assertThat(first.netIdType()).isEqualTo(type);
        assertThat(last.netIdType()).isEqualTo(type);
        assertThatThrownBy(() -> n.devAddr(1L << n.nwkAddrBits())).isInstanceOf(LorawanFormatException.class);
    }

    @Test
    void ttnDevAddrsBelongToNetId13() {
        NetId ttn = NetId.parse("000013");
        assertThat(ttn.owns(DevAddr.parse("260b1234"))).isTrue();
        assertThat(ttn.owns(DevAddr.parse("27ffffff"))).isTrue();
        assertThat(ttn.owns(DevAddr.parse("28000000"))).isFalse();
        assertThat(DevAddr.parse("ff000000").netIdType()).isEqualTo(-1);
    }

    @ParameterizedTest(name = "MAC version {0}")
    @CsvSource({"1.0, V1_0_0", "1.0.2, V1_0_2", "1.0.2b, V1_0_2", "MAC_V1_0_3, V1_0_3", "1.0.4, V1_0_4",
            "1.1, V1_1", "1.1.0, V1_1", "LORAWAN_1_1_0, V1_1"})
    void macVersionNames(String text, MacVersion v) {
        assertThat(MacVersion.parse(text)).isEqualTo(v);
    }

    @Test
    void macVersionRules() {
        assertThat(MacVersion.V1_0_3.devNonceIsCounter()).isFalse();
        assertThat(MacVersion.V1_0_4.devNonceIsCounter()).isTrue();
        assertThat(MacVersion.V1_1.devNonceIsCounter()).isTrue();
        assertThat(MacVersion.V1_0_4.is11()).isFalse();
    }
}
