package io.lorafab.joinserver.bi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strings on the wire, as the Backend Interfaces tables give them. */
class BiResultCodeTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "SUCCESS                  | Success",
            "NO_ACTION                | NoAction",
            "MIC_FAILED               | MICFailed",
            "FRAME_REPLAYED           | FrameReplayed",
            "JOIN_REQ_FAILED          | JoinReqFailed",
            "NO_ROAMING_AGREEMENT     | NoRoamingAgreement",
            "DEV_ROAMING_DISALLOWED   | DevRoamingDisallowed",
            "ROAMING_ACT_DISALLOWED   | RoamingActDisallowed",
            "ACTIVATION_DISALLOWED    | ActivationDisallowed",
            "UNKNOWN_DEV_EUI          | UnknownDevEUI",
            "UNKNOWN_DEV_ADDR         | UnknownDevAddr",
            "UNKNOWN_SENDER           | UnknownSender",
            "UNKNOWN_RECEIVER         | UnkownReceiver",
            "DEFERRED                 | Deferred",
            "XMIT_FAILED              | XmitFailed",
            "INVALID_F_PORT           | InvalidFPort",
            "INVALID_PROTOCOL_VERSION | InvalidProtocolVersion",
            "STALE_DEVICE_PROFILE     | StaleDeviceProfile",
            "MALFORMED_REQUEST        | MalformedRequest",
            "MALFORMED_MESSAGE        | MalformedMessage",
            "FRAME_SIZE_ERROR         | FrameSizeError",
            "OTHER                    | Other",
    })
    void resultCodes(BiResultCode code, String wire) {
        assertThat(code.wire()).isEqualTo(wire);
        assertThat(BiResultCode.fromWire(wire)).hasValue(code);
        assertThat(BiResult.of(code, "").isSuccess()).isEqualTo(wire.equals("Success"));
    }

    @Test
    void everyCodeIsInTheTable() {
        assertThat(BiResultCode.values()).hasSize(22);
    }

    @ParameterizedTest(name = "{0} is read as {1}")
    @CsvSource(delimiter = '|', value = {
            "UnknownReceiver          | UNKNOWN_RECEIVER",
            "RoamingActDisallowedA    | ROAMING_ACT_DISALLOWED",
    })
    void otherSpellingsRead(String wire, BiResultCode code) {
        assertThat(BiResultCode.fromWire(wire)).hasValue(code);
    }

    @Test
    void matchingIsExact() {
        assertThat(BiResultCode.fromWire("success")).isEmpty();
        assertThat(BiResultCode.fromWire("Success ")).isEmpty();
        assertThat(BiResultCode.fromWire(null)).isEmpty();
    }

    @Test
    void malformedDependsOnTheVersion() {
        assertThat(BiResultCode.malformed(BiProtocolVersion.V1_0)).isEqualTo(BiResultCode.MALFORMED_REQUEST);
        assertThat(BiResultCode.malformed(BiProtocolVersion.V1_1)).isEqualTo(BiResultCode.MALFORMED_MESSAGE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "JoinReq      | JoinAns",
            "RejoinReq    | RejoinAns",
            "AppSKeyReq   | AppSKeyAns",
            "PRStartReq   | PRStartAns",
            "PRStopReq    | PRStopAns",
            "HRStartReq   | HRStartAns",
            "HRStopReq    | HRStopAns",
            "HomeNSReq    | HomeNSAns",
            "ProfileReq   | ProfileAns",
            "XmitDataReq  | XmitDataAns",
            "XmitLocReq   | XmitLocAns",
    })
    void messageTypesPairUp(String request, String answer) {
        BiMessageType q = BiMessageType.fromWire(request).orElseThrow();
        assertThat(q.isRequest()).isTrue();
        assertThat(q.answer().map(BiMessageType::wire)).hasValue(answer);
        BiMessageType a = BiMessageType.fromWire(answer).orElseThrow();
        assertThat(a.isRequest()).isFalse();
        assertThat(a.answer()).isEmpty();
    }

    @Test
    void errorNotifIsNeitherRequestNorPaired() {
        assertThat(BiMessageType.fromWire("ErrorNotif")).hasValue(BiMessageType.ERROR_NOTIF);
        assertThat(BiMessageType.ERROR_NOTIF.isRequest()).isFalse();
        assertThat(Arrays.stream(BiMessageType.values()).filter(BiMessageType::isRequest).count()).isEqualTo(11);
    }

    @Test
    void protocolVersions() {
        assertThat(BiProtocolVersion.fromWire("1.0")).hasValue(BiProtocolVersion.V1_0);
        assertThat(BiProtocolVersion.fromWire("1.1")).hasValue(BiProtocolVersion.V1_1);
        assertThat(BiProtocolVersion.fromWire("1.1.0")).isEmpty();
        assertThat(BiProtocolVersion.V1_1.hasNsIds()).isTrue();
        assertThat(BiProtocolVersion.V1_0.hasNsIds()).isFalse();
    }
}
