package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.cert.Ts009;
import io.lorafab.lorawan.crypto.DataDown;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A virtual device whose firmware implements the certification package (TS009) answers a test server's commands on
 * FPort 224 in its next uplink, counts the application downlinks it received, and stops after DutFPort224DisableReq.
 * The server side is played here by sealing downlinks with the session's keys, as a network server would.
 */
class VirtualDeviceCertificationTest {

    static final DevAddr ADDR = DevAddr.parse("26011f2a");
    static final SessionKeys KEYS = new SessionKeys(false, AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"),
            AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"),
            AesKey.parse("000102030405060708090a0b0c0d0e0f"));

    @TempDir
    Path dir;

    long fCntDown;

    VirtualDevice joinedDevice() {
        DeviceIdentity id = new DeviceIdentity(Eui64.parse("70b3d57ed0012345"), Eui64.parse("70b3d57ed0000001"),
                AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), null, MacVersion.V1_0_4, Region.byName("EU868"));
        DeviceNvm nvm = DeviceNvm.open(dir.resolve("dev.json"));
        nvm.update(s -> s.withJoin(1, NvmSession.of(ADDR, KEYS, 1, 0))); // a session already in the device's flash
        return new VirtualDevice(id, nvm, new SplittableRandom(1));
    }

    byte[] down(int fPort, byte[] payload) {
        return DataDown.seal(KEYS, MType.UNCONFIRMED_DATA_DOWN, FCtrl.NONE, ADDR, fCntDown++, new byte[0], OptionalInt.of(fPort), payload, 0);
    }

    /** The answer the device's uplink carries on FPort 224, decrypted as the server would. */
    static Ts009.Answer answerIn(byte[] uplink) {
        DataFrame f = (DataFrame) PhyPayloadCodec.decode(uplink);
        assertThat(f.fPort()).hasValue(Ts009.FPORT);
        long fCnt = f.fhdr().fCnt();
        return Ts009.answer(PayloadCipher.encryptFrmPayload(KEYS.appSKey(), true, ADDR, fCnt, f.frmPayload()));
    }

    @Test
    void theDeviceAnswersVersionsEchoAndItsDownlinkCountThenStopsWhenDisabled() {
        VirtualDevice d = joinedDevice();
        d.implementCertification(new Ts009.Version(2, 1, 0, 7), new Ts009.Version(1, 0, 3, 0));

        d.receive(down(224, new Ts009.DutVersionsReq().encode())).orElseThrow();
        assertThat(answerIn(d.certificationUplink(5, 1).orElseThrow())).isEqualTo(new Ts009.DutVersionsAns(
                new Ts009.Version(2, 1, 0, 7), new Ts009.Version(1, 0, 4, 0), new Ts009.Version(1, 0, 3, 0)));
        assertThat(d.certificationUplink(5, 1)).as("one answer per command").isEmpty();

        byte[] random = Hex.parse("00a1b2ff", "r");
        d.receive(down(224, new Ts009.EchoPayloadReq(random).encode())).orElseThrow();
        assertThat(answerIn(d.certificationUplink(5, 1).orElseThrow())).isEqualTo(new Ts009.EchoPayloadAns(Hex.parse("01a2b300", "e")));

        d.receive(down(2, new byte[] {1, 2, 3})).orElseThrow(); // an application downlink on another port counts too
        d.receive(down(224, new Ts009.RxAppCntReq().encode())).orElseThrow();
        assertThat(answerIn(d.certificationUplink(5, 1).orElseThrow())).isEqualTo(new Ts009.RxAppCntAns(4));

        d.receive(down(224, new Ts009.DutFPort224DisableReq().encode())).orElseThrow();
        assertThat(d.certificationEnabled()).isFalse();
        assertThat(d.certificationUplink(5, 1)).isEmpty();
        d.receive(down(224, new Ts009.EchoPayloadReq(random).encode())).orElseThrow();
        assertThat(d.certificationUplink(5, 1)).as("disabled: FPort 224 is not answered any more").isEmpty();
    }

    @Test
    void aFaultyFirmwareEchoesThePayloadWithoutTheIncrement() {
        VirtualDevice d = joinedDevice();
        d.implementCertification(new Ts009.Version(2, 1, 0, 7), new Ts009.Version(1, 0, 3, 0));
        d.echoWithoutIncrement();

        d.receive(down(224, new Ts009.EchoPayloadReq(Hex.parse("00a1b2ff", "r")).encode())).orElseThrow();

        assertThat(answerIn(d.certificationUplink(5, 1).orElseThrow())).isEqualTo(new Ts009.EchoPayloadAns(Hex.parse("00a1b2ff", "e")));
    }

    @Test
    void aDeviceWithoutThePackageNeverAnswersOnFPort224() {
        VirtualDevice d = joinedDevice();
        assertThat(d.receive(down(224, new Ts009.DutVersionsReq().encode()))).isPresent();
        assertThat(d.certificationEnabled()).isFalse();
        assertThat(d.certificationUplink(5, 1)).isEmpty();
    }
}
