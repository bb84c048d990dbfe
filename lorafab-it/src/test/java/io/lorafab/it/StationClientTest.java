package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.station.client.ReservedUnit;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.client.StationApiException;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.UnitState;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The station's client against a real server: reserve, program, the unit joins over UDP, the events arrive, finish. */
class StationClientTest {

    @TempDir
    Path dir;

    @Test
    void oneUnitThroughTheLine() throws Exception {
        try (Lorafab lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC())) {
            var p = lf.registry().createProduct(new NewProduct("sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_4, Region.byName("EU868"),
                    new ProfileId(1, 2), null, -110.0, -5.0));
            lf.registry().createEuiBlock(new NewEuiBlock("b", p.id(), Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0040000"), 100));
            lf.registry().createWorkOrder("WO-S", p.id(), 10);
            ApiServer api = new ApiServer(lf, "127.0.0.1", 0, 8);
            try (JoinServerRuntime js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withRateLimits(0, 0),
                    new InetSocketAddress("127.0.0.1", 0), null, api)) {
                js.start();
                api.start();
                StationApiClient station = new StationApiClient("http://127.0.0.1:" + api.port(),
                        lf.tokens().create("station-1", Role.OPERATOR, "t").secret(), "station-1");

                ReservedUnit unit = station.reserve("WO-S", null);
                assertThat(unit.devEui()).isEqualTo(Eui64.parse("70b3d57ed0040000"));
                assertThat(unit.macVersion()).isEqualTo(MacVersion.V1_0_4);
                assertThat(unit.toString()).doesNotContain(unit.appKey().toHex());
                station.programmed(unit.devEui());
                long after = station.lastEventId(unit.devEui());

                // The unit, now holding its keys, joins through the test gateway.
                try (PacketForwarderClient radio = new PacketForwarderClient(Eui64.parse("0000000000000b02"),
                        new InetSocketAddress("127.0.0.1", js.udpPort()))) {
                    radio.pull(Duration.ofSeconds(5));
                    JoinRequest jr = new JoinRequest(unit.joinEui(), unit.devEui(), DevNonce.of(1), new Mic(0));
                    jr = jr.withMic(JoinMic.joinRequestMic(unit.appKey(), jr.micPayload()));
                    radio.push(PacketForwarderClient.rxpk(jr.encode(), 5_000_000L, 868_300_000L, 7, -48, 10.5));
                    radio.txAck(radio.awaitPullResp(Duration.ofSeconds(5)).orElseThrow(), TxAckError.NONE);
                }
                List<StationApiClient.RadioEvent> events = station.events(unit.devEui(), after, Duration.ofSeconds(5));
                assertThat(events).isNotEmpty();
                StationApiClient.RadioEvent joined = events.get(0);
                assertThat(joined.kind()).isEqualTo("join_accepted");
                assertThat(joined.rssi()).isEqualTo(-48);
                station.finish(unit.devEui(), true, null, Map.of("rssi", joined.rssi(), "snr", joined.snr(),
                        "frequencyHz", joined.frequencyHz(), "gateway", joined.gatewayEui()));

                var stored = lf.registry().unit(unit.devEui()).orElseThrow();
                assertThat(stored.state()).isEqualTo(UnitState.PASSED);
                List<TestRun> runs = lf.registry().testRuns(stored.id());
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).measurementsJson()).contains("-48").contains("868300000");

                assertThatThrownBy(() -> station.reserve("NOPE", null)).isInstanceOf(StationApiException.class)
                        .extracting(e -> ((StationApiException) e).code().code()).isEqualTo("not_found");
                api.close();
            }
        }
    }
}
