package io.lorafab.lorawan.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.testkit.Vectors;
import io.lorafab.testkit.Vectors.Vector;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Sealing a data downlink reproduces the published downlinks byte for byte, and a device opens what was sealed. */
class DataDownTest {

    private static AesKey key(Vector v, String name) {
        return AesKey.parse(v.in(name));
    }

    @Test
    void a10ConfirmedDownlinkWithA32BitCounterIsSealedAsPublished() {
        Vector v = Vectors.byId("df-lorars-down-32bitfcnt");
        AesKey nwk = key(v, "nwk_s_key");
        SessionKeys k = new SessionKeys(false, nwk, nwk, nwk, key(v, "app_s_key"));
        byte[] phy = DataDown.seal(k, MType.CONFIRMED_DATA_DOWN, new FCtrl(true, false, false, false),
                DevAddr.parse(v.in("dev_addr_msb")), v.inLong("fcnt32_int"), new byte[0], OptionalInt.of(42),
                Hex.parse(v.out("frm_payload_plain"), "plain"), 0);
        assertThat(Hex.format(phy)).isEqualTo(v.in("phy_payload"));
    }

    @Test
    void a11DownlinkOnAnApplicationPortEncryptsItsFOptsWithTheAFCntDownBlockAsPublished() {
        Vector v = Vectors.byId("df-chirpstack-11-down");
        SessionKeys k = new SessionKeys(true, key(v, "s_nwk_s_int_key"), key(v, "s_nwk_s_int_key"), key(v, "nwk_s_enc_key"),
                key(v, "app_s_key"));
        byte[] phy = DataDown.seal(k, MType.UNCONFIRMED_DATA_DOWN, FCtrl.NONE, DevAddr.parse(v.in("dev_addr_msb")),
                v.inLong("fcnt32_int"), Hex.parse(v.out("fopts_plain"), "fopts"), OptionalInt.of(v.expected().get("f_port").asInt()),
                Hex.parse(v.out("frm_payload_plain"), "plain"), 0);
        assertThat(Hex.format(phy)).isEqualTo(v.in("phy_payload"));
    }

    @Test
    void theDeviceOpensWhatTheServerSealedAndNothingSealedWithOtherKeysOrForAnotherCounter() {
        AesKey nwk = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
        SessionKeys k = new SessionKeys(false, nwk, nwk, nwk, AesKey.parse("000102030405060708090a0b0c0d0e0f"));
        DevAddr addr = DevAddr.parse("00ab12cd");
        byte[] payload = Hex.parse("0102030405060708", "p");
        DataFrame f = (DataFrame) PhyPayloadCodec.decode(
                DataDown.seal(k, MType.UNCONFIRMED_DATA_DOWN, FCtrl.NONE, addr, 7, new byte[0], OptionalInt.of(2), payload, 0));

        DataDown.Opened o = DataDown.open(k, addr, 7, f, 0).orElseThrow();
        assertThat(o.frmPayload()).isEqualTo(payload);
        assertThat(o.fPort()).hasValue(2);
        assertThat(DataDown.open(k, addr, 8, f, 0)).isEmpty();
        assertThat(DataDown.open(k, DevAddr.parse("00ab12ce"), 7, f, 0)).isEmpty();
        SessionKeys other = new SessionKeys(false, k.appSKey(), k.appSKey(), k.appSKey(), k.appSKey());
        assertThat(DataDown.open(other, addr, 7, f, 0)).isEmpty();
    }
}
