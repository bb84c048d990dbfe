package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.FHdr;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.MHdr;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.station.at.AtDialect;
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
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station's unit runner against a real server: a stand-in module (an {@link AtDialect} whose radio is a
 * real packet-forwarder client over UDP) is programmed, read back, joins and sends its first uplink.
 */
class UnitRunnerTest {

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    StationApiClient station;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir);
        lf = server.lf;
        api = server.api;
        js = server.js;
        server.workOrder("WO-R", "sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 3), Eui64.parse("70b3d57ed0050000"));
        station = new StationApiClient("http://127.0.0.1:" + api.port(), server.operatorToken("st-9"), "st-9");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A station that applies the product's thresholds (RSSI ≥ −110 dBm, SNR ≥ −7.5 dB, sent with each unit). */
    UnitRunner runner() {
        return runner(null);
    }

    UnitRunner runner(Double rssiOverride) {
        return new UnitRunner(station, new UnitRunner.Settings("WO-R", Duration.ofSeconds(10), Duration.ofSeconds(10), rssiOverride, null,
                new byte[] {0x42}), System::nanoTime);
    }

    /** A module on the fixture: remembers what it was programmed with and uses it on air. */
    final class RadioModule implements AtDialect {
        final int rssi;
        final boolean corruptReadBack;
        Eui64 devEui;
        Eui64 joinEui;
        AesKey appKey;
        SessionKeys session;
        io.lorafab.lorawan.types.DevAddr devAddr;

        RadioModule(int rssi, boolean corruptReadBack) {
            this.rssi = rssi;
            this.corruptReadBack = corruptReadBack;
        }

        @Override
        public String name() {
            return "stand-in";
        }

        @Override
        public ModuleInfo identify() {
            return new ModuleInfo("stand-in", "test-module", "1.0");
        }

        @Override
        public void setIdentity(Eui64 dev, Eui64 join, AesKey app, Optional<AesKey> nwk) {
            devEui = dev;
            joinEui = join;
            appKey = app;
        }

        @Override
        public ReadBack readBack() {
            return new ReadBack(corruptReadBack ? Eui64.of(devEui.value() ^ 1) : devEui, joinEui, Optional.of(appKey), Optional.empty());
        }

        @Override
        public JoinResult join(Duration timeout) {
            try (PacketForwarderClient radio = new PacketForwarderClient(Eui64.parse("0000000000000c01"),
                    new InetSocketAddress("127.0.0.1", js.udpPort()))) {
                radio.pull(Duration.ofSeconds(5));
                JoinRequest jr = new JoinRequest(joinEui, devEui, DevNonce.of(7), new Mic(0));
                jr = jr.withMic(JoinMic.joinRequestMic(appKey, jr.micPayload()));
                radio.push(PacketForwarderClient.rxpk(jr.encode(), 1_000_000L, 868_100_000L, 7, rssi, 6.0));
                Optional<SemtechPacket.PullResp> resp = radio.awaitPullResp(timeout);
                if (resp.isEmpty()) {
                    return new JoinResult(false, "+EVT:JOIN_FAILED_RX_TIMEOUT");
                }
                radio.txAck(resp.get(), TxAckError.NONE);
                JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(appKey, (EncryptedJoinAccept) PhyPayloadCodec.decode(resp.get().txpk().data()));
                devAddr = ja.devAddr();
                session = SessionKeys.derive10(appKey, ja.joinNonce(), ja.netId(), DevNonce.of(7));
                return new JoinResult(true, "+EVT:JOINED");
            } catch (java.io.IOException e) {
                return new JoinResult(false, e.toString());
            }
        }

        /** The downlink the radio took in the last uplink's windows, decrypted with the session keys. */
        Optional<io.lorafab.station.at.ReceivedDownlink> heard = Optional.empty();
        /** A module whose firmware reports a received payload with its first byte changed. */
        boolean garblesDownlinks;

        @Override
        public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
            heard = Optional.empty();
            try (PacketForwarderClient radio = new PacketForwarderClient(Eui64.parse("0000000000000c01"),
                    new InetSocketAddress("127.0.0.1", js.udpPort()))) {
                radio.pull(Duration.ofSeconds(5));
                DataFrame up = new DataFrame(MHdr.of(MType.UNCONFIRMED_DATA_UP), new FHdr(devAddr, FCtrl.NONE, 0, new byte[0]),
                        OptionalInt.of(port), PayloadCipher.encryptFrmPayload(session.appSKey(), true, devAddr, 0, payload), new Mic(0));
                up = up.withMic(DataMic.dataMic10(session.nwkSKey(), true, devAddr, 0, up.micPayload()));
                radio.push(PacketForwarderClient.rxpk(up.encode(), 9_000_000L, 868_300_000L, 7, rssi, 6.0));
                // class A: the server's answer comes for RX1 (or RX2); the radio takes it and opens it with its session keys
                Optional<SemtechPacket.PullResp> resp = radio.awaitPullResp(Duration.ofSeconds(3));
                if (resp.isPresent()) {
                    radio.txAck(resp.get(), TxAckError.NONE);
                    DataFrame down = (DataFrame) PhyPayloadCodec.decode(resp.get().txpk().data());
                    heard = io.lorafab.lorawan.crypto.DataDown.open(session, devAddr, down.fhdr().fCnt(), down, 0)
                            .map(o -> new io.lorafab.station.at.ReceivedDownlink(o.fPort().orElse(0), garbled(o.frmPayload()), Optional.of("RX1"),
                                    OptionalInt.of(rssi + 2), java.util.OptionalDouble.of(7.0), "stand-in"));
                }
                return new SendResult(SendResult.Status.SENT, "+EVT:TX_DONE", heard);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private byte[] garbled(byte[] payload) {
            if (garblesDownlinks && payload.length > 0) {
                payload[0] ^= 0x01;
            }
            return payload;
        }

        @Override
        public Optional<io.lorafab.station.at.ReceivedDownlink> awaitDownlink(Duration timeout) {
            return Optional.empty(); // reported with the send, or not at all
        }

        @Override
        public void dataRate(int dr) {
            throw new UnsupportedOperationException("the stand-in sends at DR5 only");
        }
    }

    @Test
    void aGoodUnitPasses() {
        UnitOutcome o = runner().run(new AtFixture(new RadioModule(-70, false)), null);
        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.line()).startsWith("PASS 70b3d57ed0050000");
        assertThat(o.measurements()).containsEntry("rssi", -70).containsKey("joinMs").containsKey("uplinkMs");
        // the two-way test: the module reported exactly the random payload the server sent, with its own signal beside the gateway's
        assertThat(o.measurements().get("downlinkPayload")).isEqualTo(o.measurements().get("downlinkSent"));
        assertThat((String) o.measurements().get("downlinkPayload")).hasSize(16);
        assertThat(o.measurements()).containsEntry("downlinkPort", 2).containsEntry("downlinkRssi", -68).containsEntry("downlinkFCnt", 0L);
        Unit u = lf.registry().unit(o.devEui()).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertThat(lf.registry().testRuns(u.id()).get(0).measurementsJson()).contains("\"rssi\":-70");
    }

    @Test
    void aModuleThatHearsTheTestDownlinkBelowTheProductsDownlinkThresholdFails() {
        // a product that asks the module to hear the test downlink at -60 dBm or better; the module hears it at -68
        io.lorafab.store.model.Product p = lf.registry().createProduct(new io.lorafab.store.model.NewProduct("loud", Eui64.parse("70b3d57ed0000002"),
                MacVersion.V1_0_3, io.lorafab.lorawan.region.Region.byName("EU868"), new ProfileId(1, 5), null, -110.0, -7.5, null, -60.0, 5.0));
        lf.registry().createEuiBlock(new io.lorafab.store.model.NewEuiBlock("loud-block", p.id(), io.lorafab.store.model.Assignment.MA_S,
                "70b3d57ed", Eui64.parse("70b3d57ed0070000"), 10));
        lf.registry().createWorkOrder("WO-LOUD", p.id(), 2);
        UnitRunner r = new UnitRunner(station, new UnitRunner.Settings("WO-LOUD", Duration.ofSeconds(10), Duration.ofSeconds(10), null, null,
                new byte[] {0x42}), System::nanoTime);
        UnitOutcome o = r.run(new AtFixture(new RadioModule(-70, false)), null);
        assertThat(o.reasonCode()).as(o.line() + " " + o.measurements()).isEqualTo("downlink_rssi_below_threshold");
        assertThat(o.measurements()).containsEntry("downlinkRssi", -68).containsEntry("downlinkRssiMinDbm", -60.0)
                .containsEntry("downlinkSnrMinDb", 5.0);
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void aModuleThatReportsAnotherPayloadThanTheServerSentFailsDownlinkMismatch() {
        RadioModule module = new RadioModule(-70, false);
        module.garblesDownlinks = true;
        UnitOutcome o = runner().run(new AtFixture(module), null);
        assertThat(o.reasonCode()).as(o.line() + " " + o.measurements()).isEqualTo("downlink_mismatch");
        assertThat(o.measurements().get("downlinkPayload")).isNotEqualTo(o.measurements().get("downlinkSent"));
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void aWeakUnitFailsOnTheRssiThreshold() {
        UnitOutcome o = runner().run(new AtFixture(new RadioModule(-120, false)), null);
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("rssi_below_threshold");
        assertThat(o.measurements()).containsEntry("rssiMinDbm", -110.0).containsEntry("snrMinDb", -7.5);
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void aStationsOwnThresholdOverridesTheProducts() {
        UnitOutcome o = runner(-125.0).run(new AtFixture(new RadioModule(-120, false)), null);
        assertThat(o.passed()).as(o.line()).isTrue();
        assertThat(o.measurements()).containsEntry("rssiMinDbm", -125.0).containsEntry("snrMinDb", -7.5);
    }

    @Test
    void aBadReadBackFailsBeforeAnyRadio() {
        UnitOutcome o = runner().run(new AtFixture(new RadioModule(-70, true)), null);
        assertThat(o.reasonCode()).isEqualTo("readback_mismatch");
        assertThat(o.measurements().get("readbackMismatch").toString()).contains("DevEUI");
        Unit u = lf.registry().unit(o.devEui()).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.FAILED);
        assertThat(lf.joinStore().events(o.devEui(), 0, 10)).isEmpty();
    }

    // ---- LR11xx-style parts: the chip identity recorded at end of line

    static final String PIN = "5EC2E7A9";

    /** A stand-in for the fixture's chip-identity tool: prints the chip's report (ChipEUI from its first argument) amid noise. */
    Path chipTool(String chipEuiLine) throws java.io.IOException {
        Path script = dir.resolve("chip-identity.sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\necho 'lr1110-fixture 2.1: reading chip'\n" + chipEuiLine
                + "echo 'JoinEUI: 0016C001FFFE0001'\necho 'PIN: " + PIN + "'\n");
        java.nio.file.Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    UnitRunner chipRunner(Path tool, boolean chipEuiIsDevEui) {
        return new UnitRunner(station, new UnitRunner.Settings("WO-R", Duration.ofSeconds(10), Duration.ofSeconds(10), null, null,
                new byte[] {0x42}), System::nanoTime,
                new io.lorafab.station.line.ChipIdentityCommand(tool + " {devEui}", Duration.ofSeconds(10), 1, chipEuiIsDevEui));
    }

    @Test
    void aPassedUnitsChipIdentityIsRecordedOnTheServerAndItsPinIsInNoMeasurementAuditRecordOrLogLine() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.TRACE);
        root.addAppender(logs);
        // System.Logger and java.util.logging (the gateway, the join server, the station client) into the same capture
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        java.util.logging.Level julLevel = java.util.logging.Logger.getLogger("").getLevel();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.FINEST);
        UnitOutcome o;
        try {
            org.slf4j.LoggerFactory.getLogger(UnitRunnerTest.class).debug("capture on"); // the capture's own proof
            o = chipRunner(chipTool("echo \"ChipEUI: $1\"\n"), true).run(new AtFixture(new RadioModule(-70, false)), null);
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
            org.slf4j.bridge.SLF4JBridgeHandler.uninstall();
            java.util.logging.Logger.getLogger("").setLevel(julLevel);
        }
        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).containsEntry("chipEui", o.devEui().toString()).containsEntry("chipJoinEui", "0016c001fffe0001")
                .containsEntry("chipIdentity", "recorded");
        Unit u = lf.registry().unit(o.devEui()).orElseThrow();
        io.lorafab.store.model.ChipIdentity chip = lf.registry().chipIdentity(u.id()).orElseThrow();
        assertThat(chip.chipEui()).isEqualTo(o.devEui());
        assertThat(chip.pin().hex()).isEqualTo(PIN);
        assertThat(chip.stationId()).isEqualTo("st-9");

        assertThat(o.measurements().toString()).doesNotContainIgnoringCase(PIN);
        assertThat(o.line()).doesNotContainIgnoringCase(PIN);
        assertThat(lf.registry().testRuns(u.id()).get(0).measurementsJson()).doesNotContainIgnoringCase(PIN);
        assertThat(lf.registry().auditLog(100)).extracting(io.lorafab.store.model.AuditEvent::details)
                .noneMatch(d -> d != null && d.toUpperCase(java.util.Locale.ROOT).contains(PIN));
        assertThat(logs.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).contains("capture on");
        assertThat(logs.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m != null && m.toUpperCase(java.util.Locale.ROOT).contains(PIN));

        // the maker claims the unit: the admin-only export has its PIN, and says who took it
        String csv = new String(lf.exports().exportClaims(null, false, null, "test:admin"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).contains(o.devEui().toString().toUpperCase(java.util.Locale.ROOT) + ",0016C001FFFE0001," + PIN);
    }

    @Test
    void aBoardWhoseChipReportsAnotherEuiThanItsLabelFailsChipEuiMismatch() throws Exception {
        UnitOutcome o = chipRunner(chipTool("echo 'ChipEUI: 0016C001F0000099'\n"), true).run(new AtFixture(new RadioModule(-70, false)), null);
        assertThat(o.reasonCode()).as(o.line()).isEqualTo("chip_eui_mismatch");
        Unit u = lf.registry().unit(o.devEui()).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.FAILED);
        assertThat(lf.registry().chipIdentity(u.id())).isEmpty();
    }

    @Test
    void aChipToolThatPrintsNoPinIsTheStationsFaultAndTheUnitStaysProgrammed() throws Exception {
        Path tool = dir.resolve("broken.sh");
        java.nio.file.Files.writeString(tool, "#!/bin/sh\necho \"ChipEUI: $1\"\necho 'PIN: (read error)'\n");
        java.nio.file.Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        UnitOutcome o = chipRunner(tool, false).run(new AtFixture(new RadioModule(-70, false)), null);
        assertThat(o.reasonCode()).as(o.line()).isEqualTo("chip_identity_unreadable");
        assertThat(o.measurements()).containsEntry("chipIdentityError", "the PIN is not 8 hex digits (its value is not shown)");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PROGRAMMED);
    }

    @Test
    void withoutTheCommandAFixtureThatReportsNothingRecordsNothing() {
        UnitOutcome o = runner().run(new AtFixture(new RadioModule(-70, false)), null);
        assertThat(o.passed()).isTrue();
        assertThat(o.measurements()).doesNotContainKeys("chipEui", "chipIdentity", "chipIdentityError");
        assertThat(lf.registry().chipIdentities(null)).isEmpty();
    }
}
