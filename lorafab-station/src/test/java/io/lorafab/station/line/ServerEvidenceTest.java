package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.station.client.StationApiClient.RadioEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whose fault a failed over-the-air test is, by what the server recorded for the unit: the rules as a table. */
class ServerEvidenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GW = "00800000a0000001";

    static RadioEvent ev(String kind, String code, String details) {
        try {
            JsonNode d = details == null ? null : JSON.readTree(details);
            return new RadioEvent(0, kind, code, -60, 7.0, 868_100_000L, "SF7BW125", GW, d);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final RadioEvent ACCEPTED = ev("join_accepted", null, "{}");
    static final RadioEvent SENT_RX1 = ev("join_accept_sent", null, "{\"window\":\"RX1\",\"attempts\":[{\"window\":\"RX1\",\"txAck\":\"NONE\"}]}");
    static final RadioEvent SENT_RX2 = ev("join_accept_sent", null,
            "{\"window\":\"RX2\",\"attempts\":[{\"window\":\"RX1\",\"txAck\":\"TOO_LATE\"},{\"window\":\"RX2\",\"txAck\":\"NONE\"}]}");
    static final RadioEvent REFUSED = ev("join_accept_not_sent", "downlink_failed", "{\"gatewayError\":\"COLLISION_PACKET\",\"attempts\":"
            + "[{\"window\":\"RX1\",\"txAck\":\"COLLISION_PACKET\"},{\"window\":\"RX2\",\"txAck\":\"COLLISION_PACKET\"}]}");
    static final RadioEvent NO_TX_ACK = ev("join_accept_not_sent", "downlink_failed", "{\"gatewayError\":\"NO_TX_ACK\",\"attempts\":"
            + "[{\"window\":\"RX1\",\"txAck\":\"NO_TX_ACK\"},{\"window\":\"RX2\",\"txAck\":\"NO_TX_ACK\"}]}");
    static final RadioEvent LATE = ev("join_accept_not_sent", "rx_windows_missed", "{\"gatewayError\":\"RX_WINDOWS_MISSED\",\"sinceUplinkMs\":6100}");
    static final RadioEvent BUSY = ev("join_accept_not_sent", "not_scheduled", "{\"gatewayError\":\"TRANSMITTER_BUSY\"}");
    static final RadioEvent GONE = ev("join_accept_not_sent", "downlink_failed",
            "{\"gatewayError\":\"GATEWAY_UNAVAILABLE\",\"message\":\"gateway 00800000a0000001 unavailable: no downlink route\"}");
    static final RadioEvent MIC = ev("join_rejected", "mic_mismatch", "{\"devNonce\":1}");
    static final RadioEvent NONCE = ev("join_rejected", "dev_nonce_reused", "{\"devNonce\":1}");
    static final RadioEvent RATE = ev("join_rejected", "join_rate_limited", "{\"devNonce\":1}");
    static final RadioEvent UPLINK_REJECTED = ev("uplink_rejected", "mic_mismatch", "{}");

    static Stream<Arguments> notJoined() {
        return Stream.of(
                Arguments.of("nothing heard: the board's radio", List.of(), Reason.JOIN_NOT_HEARD),
                Arguments.of("join-accept sent and not taken: the board's receiver", List.of(ACCEPTED, SENT_RX1), Reason.DEVICE_RX_FAILED),
                Arguments.of("sent in RX2 after RX1 was refused: still sent", List.of(ACCEPTED, SENT_RX2), Reason.DEVICE_RX_FAILED),
                Arguments.of("gateway refused both windows: the test gateway", List.of(ACCEPTED, REFUSED), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("no TX_ACK from the gateway: the test gateway", List.of(ACCEPTED, NO_TX_ACK), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("server too late for RX2: the test station", List.of(ACCEPTED, LATE), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("gateway gone: the test gateway", List.of(ACCEPTED, GONE), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("both windows planned for other units: the test station", List.of(ACCEPTED, BUSY), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("accepted, nothing recorded of the downlink: not the board", List.of(ACCEPTED), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("refused once, then sent and missed: the board", List.of(ACCEPTED, REFUSED, ACCEPTED, SENT_RX1),
                        Reason.DEVICE_RX_FAILED),
                Arguments.of("MIC does not verify: the board holds other keys", List.of(MIC, MIC), Reason.MIC_MISMATCH),
                Arguments.of("another refusal of the server: the board", List.of(NONCE), Reason.JOIN_REJECTED),
                Arguments.of("only the rate limit refused: the test station", List.of(RATE, RATE), Reason.JOIN_RATE_LIMITED),
                Arguments.of("a MIC mismatch beside the rate limit: the board", List.of(RATE, MIC), Reason.MIC_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void notJoined(String rule, List<RadioEvent> events, Reason expected) {
        assertThat(ServerEvidence.of(events).notJoined()).isEqualTo(expected);
    }

    static Stream<Arguments> noUplinkOnItsOwn() {
        return Stream.of(
                Arguments.of("join-accept never left the gateway: the test gateway", List.of(ACCEPTED, REFUSED), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("join-accept sent, board silent since: the board's receiver", List.of(ACCEPTED, SENT_RX1), Reason.DEVICE_RX_FAILED),
                Arguments.of("uplink heard and rejected: the board", List.of(ACCEPTED, SENT_RX1, UPLINK_REJECTED), Reason.UPLINK_NOT_VERIFIED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void noUplinkOnItsOwn(String rule, List<RadioEvent> events, Reason expected) {
        assertThat(ServerEvidence.of(events).noUplinkOnItsOwn()).isEqualTo(expected);
    }

    @Test
    void theSummaryNamesTheGatewaysTxAckErrorPerWindow() {
        ServerEvidence e = ServerEvidence.of(List.of(ACCEPTED, REFUSED));
        assertThat(e.summary()).isEqualTo("server heard 1 join-request (accepted); join-accept not sent: gateway " + GW
                + " answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET; no uplink heard");
        assertThat(e.gatewayError()).contains("COLLISION_PACKET");
    }

    @Test
    void theSummaryOfASentJoinAcceptSaysWhichWindowAndWhatWasRefusedFirst() {
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX2)).summary()).isEqualTo("server heard 1 join-request (accepted); "
                + "join-accept sent in RX2 by gateway " + GW + " (RX1 TOO_LATE); no uplink heard");
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX2)).gatewayError()).isEmpty();
    }

    @Test
    void theSummaryOfRejectionsAndOfALateServer() {
        assertThat(ServerEvidence.of(List.of(MIC, MIC)).summary()).isEqualTo("server heard 2 join-requests (rejected mic_mismatch, "
                + "rejected mic_mismatch)");
        assertThat(ServerEvidence.of(List.of(ACCEPTED, LATE)).summary()).isEqualTo("server heard 1 join-request (accepted); "
                + "join-accept not sent: the server was late for RX2 (ready 6100 ms after the join-request); no uplink heard");
        assertThat(ServerEvidence.of(List.of()).summary()).isEqualTo("server heard no join-request");
    }

    @Test
    void anAcceptWhoseDownlinkIsNotRecordedYetIsNotSettled() {
        assertThat(ServerEvidence.of(List.of(ACCEPTED)).downlinksSettled()).isFalse();
        List<RadioEvent> both = new ArrayList<>(List.of(ACCEPTED, REFUSED));
        assertThat(ServerEvidence.of(both).downlinksSettled()).isTrue();
    }

    @Test
    void theSummaryOfAJoinAcceptNotScheduledSaysTheTransmitterWasTaken() {
        ServerEvidence e = ServerEvidence.of(List.of(ACCEPTED, BUSY));
        assertThat(e.summary()).isEqualTo("server heard 1 join-request (accepted); join-accept not sent: gateway " + GW
                + " already had other units' downlinks planned in RX1 and RX2 (units tested at the same moment); no uplink heard");
        assertThat(e.gatewayError()).contains("TRANSMITTER_BUSY");
    }

    static final RadioEvent VERIFIED = ev("uplink_verified", null, "{\"fCnt\":0}");
    static final RadioEvent DL_SENT = ev("downlink_sent", null, "{\"fPort\":2,\"frmPayload\":\"0102030405060708\",\"fCntDown\":0,"
            + "\"window\":\"RX1\",\"attempts\":[{\"window\":\"RX1\",\"txAck\":\"NONE\"}]}");
    static final RadioEvent DL_SENT_RX2 = ev("downlink_sent", null, "{\"fPort\":2,\"frmPayload\":\"0102030405060708\",\"fCntDown\":0,"
            + "\"window\":\"RX2\",\"attempts\":[{\"window\":\"RX1\",\"txAck\":\"TOO_LATE\"},{\"window\":\"RX2\",\"txAck\":\"NONE\"}]}");
    static final RadioEvent DL_REFUSED = ev("downlink_not_sent", "downlink_failed", "{\"fPort\":2,\"frmPayload\":\"01\",\"fCntDown\":0,"
            + "\"gatewayError\":\"COLLISION_PACKET\",\"attempts\":[{\"window\":\"RX1\",\"txAck\":\"COLLISION_PACKET\"},"
            + "{\"window\":\"RX2\",\"txAck\":\"COLLISION_PACKET\"}]}");
    static final RadioEvent DL_NO_TX_ACK = ev("downlink_not_sent", "downlink_failed", "{\"fPort\":2,\"frmPayload\":\"01\",\"fCntDown\":0,"
            + "\"gatewayError\":\"NO_TX_ACK\",\"attempts\":[{\"window\":\"RX1\",\"txAck\":\"NO_TX_ACK\"}]}");
    static final RadioEvent DL_LATE = ev("downlink_not_sent", "rx_windows_missed", "{\"fPort\":2,\"frmPayload\":\"01\",\"fCntDown\":0,"
            + "\"gatewayError\":\"RX_WINDOWS_MISSED\",\"sinceUplinkMs\":2300}");

    static final RadioEvent DL_BUSY = ev("downlink_not_sent", "not_scheduled", "{\"fPort\":2,\"frmPayload\":\"01\",\"fCntDown\":0,"
            + "\"gatewayError\":\"TRANSMITTER_BUSY\"}");

    static Stream<Arguments> noDownlink() {
        return Stream.of(
                Arguments.of("the gateway confirmed RX1 and the module reported nothing: the board's receiver",
                        List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_SENT), Reason.DOWNLINK_NOT_RECEIVED),
                Arguments.of("sent in RX2 after RX1 was refused: still sent", List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_SENT_RX2),
                        Reason.DOWNLINK_NOT_RECEIVED),
                Arguments.of("the gateway refused both windows: the test gateway", List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_REFUSED),
                        Reason.TEST_GATEWAY_FAULT),
                Arguments.of("no TX_ACK: never confirmed, the test gateway", List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_NO_TX_ACK),
                        Reason.TEST_GATEWAY_FAULT),
                Arguments.of("the server too late for RX2: the test station", List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_LATE),
                        Reason.TEST_GATEWAY_FAULT),
                Arguments.of("the gateway's transmitter planned for other units in both windows: the test station",
                        List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_BUSY), Reason.TEST_GATEWAY_FAULT),
                Arguments.of("no downlink recorded at all: not the board", List.of(ACCEPTED, SENT_RX1, VERIFIED),
                        Reason.TEST_GATEWAY_FAULT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void noDownlink(String rule, List<RadioEvent> events, Reason expected) {
        assertThat(ServerEvidence.of(events).noDownlink()).isEqualTo(expected);
    }

    @Test
    void aVerifiedUplinkWhoseTestDownlinkIsNotRecordedYetIsNotSettled() {
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX1, VERIFIED)).downlinksSettled()).isFalse();
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_NO_TX_ACK)).downlinksSettled()).isTrue();
    }

    @Test
    void theSummaryTellsWhatBecameOfTheTestDownlink() {
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_SENT_RX2)).summary())
                .endsWith("uplink verified; test downlink sent in RX2 by gateway " + GW + " (RX1 TOO_LATE)");
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_LATE)).summary())
                .endsWith("test downlink not sent: the server was late for RX2 (ready 2300 ms after the uplink)");
        assertThat(ServerEvidence.of(List.of(ACCEPTED, SENT_RX1, VERIFIED, DL_REFUSED)).gatewayError()).hasValue("COLLISION_PACKET");
    }
}
