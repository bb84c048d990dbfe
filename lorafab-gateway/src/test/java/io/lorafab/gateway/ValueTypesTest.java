package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static io.lorafab.gateway.Fixtures.GW3;
import static io.lorafab.gateway.Fixtures.JOIN_REQUEST;
import static io.lorafab.gateway.Fixtures.T0;
import static io.lorafab.gateway.Fixtures.rx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rsig;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RxInfo, Uplink, TxResult, DownlinkResult. */
class ValueTypesTest {

    @Test
    void rxInfoFromAnRxpk() {
        Rxpk rxpk = Fixtures.rxpk(3_512_348_611L, 866_349_812L, 9, 125, -103, -2.25, JOIN_REQUEST);

        RxInfo rx = RxInfo.fromRxpk(GW1, rxpk);

        assertThat(rx).isEqualTo(new RxInfo(GW1, 3_512_348_611L, 866_349_812L, 9, 125_000, "SF9BW125", "4/5", -103,
                -2.25, 2, 1, Optional.of(Instant.parse("2024-05-01T11:59:59.123456Z"))));
        assertThat(RxInfo.supports(rxpk)).isTrue();
    }

    @Test
    void rxInfoWithoutCodingRateOrSnr() {
        Rxpk rxpk = new Rxpk(Optional.empty(), Optional.empty(), 0, 868_100_000L, 0, 0, CrcStatus.OK,
                DataRate.Lora.of(7, 125), Optional.empty(), -50, Optional.empty(), JOIN_REQUEST, List.of());

        RxInfo rx = RxInfo.fromRxpk(GW1, rxpk);

        assertThat(rx.codingRate()).isEqualTo(CodingRate.OFF.wire());
        assertThat(rx.hasSnr()).isFalse();
        assertThat(rx.gatewayTime()).isEmpty();
        // An unknown SNR ranks below any known one, however good the RSSI.
        assertThat(List.of(rx, rx(GW2, -120, -20.0)).stream().sorted(RxInfo.BEST_FIRST).toList())
                .extracting(RxInfo::gatewayEui).containsExactly(GW2, GW1);
    }

    @Test
    void rxInfoTakesSnrFromTheBestAntenna() {
        Rxpk rxpk = new Rxpk(Optional.empty(), Optional.empty(), 0, 868_100_000L, 0, 0, CrcStatus.OK,
                DataRate.Lora.of(7, 125), Optional.empty(), -50, Optional.empty(), JOIN_REQUEST,
                List.of(Rsig.of(0, 0, -90, 3.0), Rsig.of(1, 0, -60, 8.0)));
        assertThat(RxInfo.fromRxpk(GW1, rxpk).snr()).isEqualTo(8.0);
    }

    @Test
    void fskReceptionsAreNotSupported() {
        Rxpk fsk = new Rxpk(Optional.empty(), Optional.empty(), 0, 868_800_000L, 0, 0, CrcStatus.OK,
                new DataRate.Fsk(50_000), Optional.empty(), -50, Optional.empty(), JOIN_REQUEST, List.of());
        assertThat(RxInfo.supports(fsk)).isFalse();
        assertThatThrownBy(() -> RxInfo.fromRxpk(GW1, fsk)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rxInfoChecksItsValues() {
        assertThatThrownBy(() -> new RxInfo(GW1, 0, 868_100_000L, 7, 125_000, "SF8BW125", "4/5", -50, 1.0, 0, 0,
                Optional.empty())).hasMessageContaining("datr");
        assertThatThrownBy(() -> RxInfo.lora(GW1, 1L << 32, 868_100_000L, 7, 125_000, "4/5", -50, 1.0, 0, 0,
                Optional.empty())).hasMessageContaining("tmst");
        assertThatThrownBy(() -> RxInfo.lora(GW1, 0, 868_100_000L, 13, 125_000, "4/5", -50, 1.0, 0, 0,
                Optional.empty())).hasMessageContaining("spreading factor");
    }

    @Test
    void uplinkSortsReceptionsBestFirstAndCopiesThePayload() {
        byte[] payload = JOIN_REQUEST.clone();
        Uplink u = new Uplink(payload, List.of(rx(GW1, -100, 2.0), rx(GW2, -60, 2.0), rx(GW3, -120, 9.0)), T0);
        payload[0] = 1;

        assertThat(u.receptions()).extracting(RxInfo::gatewayEui).containsExactly(GW3, GW2, GW1);
        assertThat(u.best().gatewayEui()).isEqualTo(GW3);
        assertThat(u.phyPayload()).isEqualTo(JOIN_REQUEST);
        u.phyPayload()[0] = 1;
        assertThat(u.phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(u).isEqualTo(new Uplink(JOIN_REQUEST, List.of(rx(GW3, -120, 9.0), rx(GW1, -100, 2.0),
                rx(GW2, -60, 2.0)), T0));
        assertThat(u.toString()).contains("23 bytes").doesNotContain("[B@");
        assertThatThrownBy(() -> new Uplink(JOIN_REQUEST, List.of(), T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void txResultFromAcks() {
        Token t = Token.of(1, 2);
        TxResult ok = TxResult.fromAck(new TxAck(t, GW1, TxAckError.NONE, TxAckError.TX_POWER, Optional.of(14)));
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.status()).isEqualTo(TxResult.Status.ACCEPTED);
        assertThat(ok.warning()).isEqualTo(TxAckError.TX_POWER);
        assertThat(ok.warnValue()).contains(14);

        TxResult late = TxResult.fromAck(new TxAck(t, GW1, TxAckError.TOO_LATE));
        assertThat(late.accepted()).isFalse();
        assertThat(late.status()).isEqualTo(TxResult.Status.REJECTED);
        assertThat(late.error()).isEqualTo(TxAckError.TOO_LATE);

        TxResult timeout = TxResult.timeout(GW1, t);
        assertThat(timeout.accepted()).isFalse();
        assertThat(timeout.error()).isNotEqualTo(TxAckError.NONE);

        assertThatThrownBy(() -> new TxResult(GW1, t, TxResult.Status.ACCEPTED, TxAckError.TOO_LATE, TxAckError.NONE,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TxResult(GW1, t, TxResult.Status.REJECTED, TxAckError.NONE, TxAckError.NONE,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
