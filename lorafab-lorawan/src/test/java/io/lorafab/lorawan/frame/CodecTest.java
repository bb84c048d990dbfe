package io.lorafab.lorawan.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.Mic;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void cfListType0CarriesFrequenciesIn100HzUnits() {
        CfList c = new CfList.ChannelFrequencies(List.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L));
        assertThat(Hex.format(c.encode())).isEqualTo("184f84e85684b85e84886684586e8400");
        assertThat(CfList.decode(c.encode(), 0)).isEqualTo(c);
        assertThat(((CfList.ChannelFrequencies) new CfList.ChannelFrequencies(List.of(868_700_000L))).frequenciesHz())
                .containsExactly(868_700_000L, 0L, 0L, 0L, 0L);
    }

    @Test
    void cfListType1CarriesChannelMasks() {
        // US915 sub-band 2: channels 8..15 and 65.
        CfList.ChannelMask m = CfList.ChannelMask.ofChannels(List.of(8, 9, 10, 11, 12, 13, 14, 15, 65));
        assertThat(Hex.format(m.encode())).isEqualTo("00ff0000000000000200000000000001");
        assertThat(CfList.decode(m.encode(), 0)).isEqualTo(m);
        assertThat(m.enabled(65)).isTrue();
        assertThat(m.enabled(64)).isFalse();
    }

    @Test
    void dataFrameFields() {
        // df-chirpstack-10-confup: ConfirmedDataUp, FCtrl 0x03 (FOptsLen 3), FOpts DevStatusAns, FPort 10.
        DataFrame f = (DataFrame) PhyPayloadCodec.decode(Hex.parse("80040302010300000673070ae264d4f7e117d2c0", "t"));
        assertThat(f.mType()).isEqualTo(MType.CONFIRMED_DATA_UP);
        assertThat(f.isUplink()).isTrue();
        assertThat(f.isConfirmed()).isTrue();
        assertThat(f.fhdr().devAddr()).isEqualTo(DevAddr.parse("01020304"));
        assertThat(Hex.format(f.fhdr().fOpts())).isEqualTo("067307");
        assertThat(f.fPort()).isEqualTo(OptionalInt.of(10));
        assertThat(Hex.format(f.frmPayload())).isEqualTo("e264d4f7");
        assertThat(f.mic()).isEqualTo(Mic.parse("e117d2c0"));
        assertThat(Hex.format(f.micPayload())).isEqualTo("80040302010300000673070ae264d4f7");
    }

    @Test
    void joinAcceptRxDelayZeroMeansOneSecond() {
        JoinAccept ja = JoinAccept.decode(Hex.parse("20010101020202040302010000" + "3449f212", "t"));
        assertThat(ja.rxDelaySeconds()).isEqualTo(1);
        assertThat(ja.withMic(new Mic(0)).mic()).isEqualTo(new Mic(0));
    }

    @Test
    void proprietaryKeepsItsPayload() {
        PhyPayload p = PhyPayloadCodec.decode(Hex.parse("e0010203", "t"));
        assertThat(p).isInstanceOf(Proprietary.class);
        assertThat(Hex.format(((Proprietary) p).payload())).isEqualTo("010203");
        assertThat(Hex.format(p.encode())).isEqualTo("e0010203");
    }

    @Test
    void textIsHexOrBase64() {
        assertThat(PhyPayloadCodec.parseText("AAQDAgEEAwIBBQQDAgUEAwItEGqZDhI="))
                .isEqualTo(Hex.parse("00040302010403020105040302050403022d106a990e12", "t"));
        assertThat(PhyPayloadCodec.parseText("0x2023cf335489aae3183c0be0baa8dee5f3")).hasSize(17);
        // rxpk.data without padding
        assertThat(PhyPayloadCodec.parseText("ICPPM1SJquMYPAvguqje5fM")).hasSize(17);
        assertThat(PhyPayloadCodec.parseText("ICPPM1SJquMYPAvguqje5fM=")).isEqualTo(PhyPayloadCodec.parseText("ICPPM1SJquMYPAvguqje5fM"));
        assertThat(PhyPayloadCodec.parseText(" AAQDAgEEAwIBBQQDAgUEAwItEGqZDhI \n")).hasSize(23);
        // hex digits only, even length: hex, also when it would be valid base64
        assertThat(PhyPayloadCodec.parseText("0001010101010101010202020202020202030309B97B32")).hasSize(23);
    }
}
