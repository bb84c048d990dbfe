package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.secureelement.ManifestSigners;
import io.lorafab.provisioning.service.SecureElementImport;
import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.AtException;
import io.lorafab.station.at.JoinResult;
import io.lorafab.station.at.ModuleInfo;
import io.lorafab.station.at.ReadBack;
import io.lorafab.station.at.SendResult;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part whose secure element holds its identity and keys (Microchip ATECC608 TNGLoRa, imported from Microchip's
 * public sample manifest) through the station against a real server: nothing is programmed, the DevEUI the module
 * reports is checked against the scanned label (the manifest's), and the join-request the gateway forwards is heard and
 * recorded — identity and radio proven, the MIC not checked (lorafab has no key), which the verdict says.
 */
class SecureElementLineTest {

    static final Eui64 DEV_EUI = Eui64.parse("0004A310001FF9DA");
    static final Eui64 TTI_JOIN_EUI = Eui64.parse("70B3D57ED0000000");

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    StationApiClient station;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir);
        lf = server.lf;
        server.workOrder("WO-SE", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_2, new ProfileId(1, 3),
                Eui64.parse("70b3d57ed0060000"));
        lf.secureElementImport().importTngLora(new SecureElementImport.Request(resource("microchip-sample.json"),
                ManifestSigners.fromPem(List.of(resource("log-signer-002.pem"))), null, "js.example.com", null, null, null), "test");
        station = new StationApiClient(server.url(), server.operatorToken("st-se"), "st-se");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SecureElementLineTest.class.getResourceAsStream("/tnglora/" + name)) {
            return in.readAllBytes();
        }
    }

    UnitRunner runner() {
        return new UnitRunner(station, new UnitRunner.Settings("WO-SE", Duration.ofSeconds(10), Duration.ofSeconds(10), null, null,
                new byte[] {0x42}), System::nanoTime);
    }

    @Test
    void aSecureElementUnitPassesOnItsHeardJoinRequestWithoutKeysProgrammedAndTheVerdictSaysTheMicWasNotChecked() {
        SecureElementModule module = new SecureElementModule(DEV_EUI, TTI_JOIN_EUI, -70);

        UnitOutcome o = runner().run(new AtFixture(module), DEV_EUI.toString());

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(module.identitiesWritten).isZero();
        assertThat(module.joinRequestsSent).isPositive();
        assertThat(o.measurements()).containsEntry("joinRequestHeard", true).containsEntry("micChecked", false)
                .containsEntry("rssi", -70).containsEntry("reportedDevEui", DEV_EUI.toString())
                .containsEntry("keysInSecureElement", "01238ebe20080bd527");
        Unit u = lf.registry().unit(DEV_EUI).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertThat(u.keys()).isNull();
        assertThat(lf.registry().workOrderByReference("WO-SE").orElseThrow().id()).isEqualTo(u.workOrderId());
        assertThat(lf.registry().testRuns(u.id()).get(0).measurementsJson()).contains("\"micChecked\":false")
                .contains("\"joinRequestHeard\":true");
    }

    @Test
    void aModuleReportingAnotherDevEuiThanItsLabelFailsWithoutAJoin() {
        SecureElementModule module = new SecureElementModule(Eui64.parse("0004A310001AA90A"), TTI_JOIN_EUI, -70);

        UnitOutcome o = runner().run(new AtFixture(module), DEV_EUI.toString());

        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("readback_mismatch");
        assertThat(o.measurements().get("readbackMismatch")).isEqualTo(List.of("DevEUI"));
        assertThat(module.joinRequestsSent).isZero();
        assertThat(lf.registry().unit(DEV_EUI).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void aWeakSecureElementUnitFailsOnTheRssiThresholdOfItsHeardJoinRequest() {
        UnitOutcome o = runner().run(new AtFixture(new SecureElementModule(DEV_EUI, TTI_JOIN_EUI, -120)), DEV_EUI.toString());

        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("rssi_below_threshold");
        assertThat(o.measurements()).containsEntry("joinRequestHeard", true).containsEntry("rssi", -120);
    }

    /**
     * A module whose secure element came with its identity and root key: it reports them and refuses to be given
     * others; it joins with its own key, which lorafab does not have, so no join-accept comes back from lorafab.
     */
    final class SecureElementModule implements AtDialect {
        final Eui64 devEui;
        final Eui64 joinEui;
        final int rssi;
        final AesKey appKey;
        int identitiesWritten;
        int joinRequestsSent;

        SecureElementModule(Eui64 devEui, Eui64 joinEui, int rssi) {
            this.devEui = devEui;
            this.joinEui = joinEui;
            this.rssi = rssi;
            byte[] k = new byte[16];
            new SecureRandom().nextBytes(k);
            this.appKey = AesKey.of(k);
        }

        @Override
        public String name() {
            return "stand-in";
        }

        @Override
        public ModuleInfo identify() {
            return new ModuleInfo("stand-in", "secure-element-module", "1.0");
        }

        @Override
        public void setIdentity(Eui64 dev, Eui64 join, AesKey app, Optional<AesKey> nwk) {
            identitiesWritten++;
            throw new AtException(AtException.Code.MODULE_ERROR, "the secure element holds the identity");
        }

        @Override
        public ReadBack readBack() {
            return new ReadBack(devEui, joinEui, Optional.empty(), Optional.empty());
        }

        @Override
        public JoinResult join(Duration timeout) {
            try (PacketForwarderClient radio = new PacketForwarderClient(Eui64.parse("0000000000000c02"),
                    new InetSocketAddress("127.0.0.1", server.js.udpPort()))) {
                radio.pull(Duration.ofSeconds(5));
                JoinRequest jr = new JoinRequest(joinEui, devEui, DevNonce.of(joinRequestsSent + 1), new Mic(0));
                jr = jr.withMic(JoinMic.joinRequestMic(appKey, jr.micPayload()));
                radio.push(PacketForwarderClient.rxpk(jr.encode(), 1_000_000L, 868_100_000L, 7, rssi, 6.0));
                joinRequestsSent++;
                // the RX windows of a join-accept (5 s and 6 s at most) pass without one: lorafab does not answer it
                Optional<SemtechPacket.PullResp> resp = radio.awaitPullResp(Duration.ofSeconds(2));
                return new JoinResult(resp.isPresent(), resp.isPresent() ? "+EVT:JOINED" : "+EVT:JOIN_FAILED_RX_TIMEOUT");
            } catch (IOException e) {
                return new JoinResult(false, e.toString());
            }
        }

        @Override
        public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
            throw new AtException(AtException.Code.MODULE_ERROR, "not joined");
        }

        @Override
        public void dataRate(int dr) {
            throw new AtException(AtException.Code.MODULE_ERROR, "not joined"); // no certification profile without lorafab's keys
        }

        @Override
        public Optional<io.lorafab.station.at.ReceivedDownlink> awaitDownlink(Duration timeout) {
            return Optional.empty();
        }
    }
}
