package io.lorafab.station.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.station.client.StationApiClient.RadioEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the server recorded for one unit while the station tested it (its radio events: join-requests heard and
 * what became of them, join-accepts the gateway took or refused with its TX_ACK error, uplinks verified or
 * rejected, the test downlink sent or not), and whose fault a failed over-the-air test is by that evidence. The rules live here and only here.
 */
public final class ServerEvidence {

    private final List<RadioEvent> events;

    private ServerEvidence(List<RadioEvent> events) {
        this.events = List.copyOf(events);
    }

    /** The unit's events since the station started on it, oldest first. */
    public static ServerEvidence of(List<RadioEvent> events) {
        return new ServerEvidence(events);
    }

    public List<RadioEvent> events() {
        return events;
    }

    private long count(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    private List<String> rejections() {
        return events.stream().filter(e -> e.kind().equals("join_rejected")).map(RadioEvent::code).toList();
    }

    /**
     * Whether every join the server accepted has its downlink outcome recorded (sent, or not sent and why), and so has
     * the test downlink that answers a verified uplink.
     */
    public boolean downlinksSettled() {
        return count("join_accept_sent") + count("join_accept_not_sent") >= count("join_accepted")
                && (count("uplink_verified") == 0 || count("downlink_sent") + count("downlink_not_sent") > 0);
    }

    /**
     * Why a joined unit whose uplink was verified reported no test downlink (or another payload than the one sent is
     * not decided here: that is the board's for certain). A downlink the gateway confirmed it sent and the board did not
     * report is the board's fault; one the gateway refused or never confirmed, or none sent at all, the test station's.
     */
    public Reason noDownlink() {
        return count("downlink_sent") > 0 ? Reason.DOWNLINK_NOT_RECEIVED : Reason.TEST_GATEWAY_FAULT;
    }

    /** The last test downlink the gateway confirmed it sent, if any. */
    public Optional<RadioEvent> downlinkSent() {
        RadioEvent last = null;
        for (RadioEvent e : events) {
            if (e.kind().equals("downlink_sent")) {
                last = e;
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * Why a unit that never reported joined did not pass. A join-accept the gateway sent and the board did not take
     * is the board's fault; one the gateway refused or never got (and none sent) is the test station's; a join the
     * server rejected is the board's (other keys: {@code mic_mismatch}) unless a rate limit refused it; nothing heard
     * is the board's radio.
     */
    public Reason notJoined() {
        if (count("join_accept_sent") > 0) {
            return Reason.DEVICE_RX_FAILED;
        }
        if (count("join_accepted") > 0) {
            return Reason.TEST_GATEWAY_FAULT; // accepted, and no join-accept left the gateway
        }
        List<String> rejected = rejections();
        if (rejected.contains("mic_mismatch")) {
            return Reason.MIC_MISMATCH;
        }
        if (!rejected.isEmpty() && rejected.stream().allMatch("join_rate_limited"::equals)) {
            return Reason.JOIN_RATE_LIMITED;
        }
        return rejected.isEmpty() ? Reason.JOIN_NOT_HEARD : Reason.JOIN_REJECTED;
    }

    /**
     * Why a board that joins by itself (image mode) had no verified uplink: a join-accept that never left the gateway
     * is the test station's fault; otherwise the board's ({@code device_rx_failed} when it was sent one and was
     * heard no more, else {@code uplink_not_verified}).
     */
    public Reason noUplinkOnItsOwn() {
        if (count("join_accept_sent") == 0 && count("join_accepted") > 0) {
            return Reason.TEST_GATEWAY_FAULT;
        }
        if (count("uplink_verified") + count("uplink_rejected") == 0 && count("join_accept_sent") > 0) {
            return Reason.DEVICE_RX_FAILED;
        }
        return Reason.UPLINK_NOT_VERIFIED;
    }

    /**
     * The gateway's last answer to a join-accept or test downlink it did not send (a TX_ACK error name, NO_TX_ACK,
     * RX_WINDOWS_MISSED, ...), if any.
     */
    public Optional<String> gatewayError() {
        String last = null;
        for (RadioEvent e : events) {
            if ((e.kind().equals("join_accept_not_sent") || e.kind().equals("downlink_not_sent")) && e.details() != null
                    && e.details().hasNonNull("gatewayError")) {
                last = e.details().get("gatewayError").asText();
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * What the server saw, in a line: e.g. {@code server heard 1 join-request (accepted); join-accept not sent:
     * gateway 00800000a0000001 answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET; no uplink heard}.
     */
    public String summary() {
        List<String> parts = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        for (RadioEvent e : events) {
            switch (e.kind()) {
                case "join_accepted" -> joins.add("accepted");
                case "join_rejected" -> joins.add("rejected " + e.code());
                default -> { }
            }
        }
        parts.add(joins.isEmpty() ? "server heard no join-request"
                : "server heard " + Plural.count(joins.size(), "join-request") + " (" + String.join(", ", joins) + ")");
        for (RadioEvent e : events) {
            switch (e.kind()) {
                case "join_accept_sent" -> parts.add("join-accept sent in " + e.details().path("window").asText("?") + " by gateway "
                        + e.gatewayEui() + refusedFirst(e.details()));
                case "join_accept_not_sent" -> parts.add("join-accept not sent: " + notSent(e));
                case "uplink_verified" -> parts.add("uplink verified");
                case "downlink_sent" -> parts.add("test downlink sent in " + e.details().path("window").asText("?") + " by gateway "
                        + e.gatewayEui() + refusedFirst(e.details()));
                case "downlink_not_sent" -> parts.add("test downlink not sent: " + notSent(e));
                case "uplink_rejected" -> parts.add("uplink rejected " + e.code());
                default -> { }
            }
        }
        if (count("join_accepted") > 0 && count("uplink_verified") + count("uplink_rejected") == 0) {
            parts.add("no uplink heard");
        }
        return String.join("; ", parts);
    }

    /** {@code (RX1 COLLISION_PACKET)} when the gateway refused RX1 before taking RX2. */
    private static String refusedFirst(JsonNode details) {
        List<String> refused = new ArrayList<>();
        for (JsonNode a : details.path("attempts")) {
            if (!a.path("txAck").asText().equals("NONE")) {
                refused.add(a.path("window").asText() + " " + a.path("txAck").asText());
            }
        }
        return refused.isEmpty() ? "" : " (" + String.join(", ", refused) + ")";
    }

    private static String notSent(RadioEvent e) {
        JsonNode d = e.details() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : e.details();
        String error = d.path("gatewayError").asText("");
        return switch (error) {
            case "TRANSMITTER_BUSY" -> "gateway " + e.gatewayEui() + " already had other units' downlinks planned in RX1 and RX2 (units tested at the same moment)";
            case "RX_WINDOWS_MISSED" -> "the server was late for RX2 (ready " + d.path("sinceUplinkMs").asLong() + " ms after the "
                    + (e.kind().equals("downlink_not_sent") ? "uplink)" : "join-request)");
            case "GATEWAY_UNAVAILABLE" -> "gateway " + e.gatewayEui() + " unavailable (no downlink route: its PULL_DATA stopped)";
            case "SEND_FAILED" -> "sending to gateway " + e.gatewayEui() + " failed (" + d.path("message").asText() + ")";
            default -> {
                List<String> answers = new ArrayList<>();
                for (JsonNode a : d.path("attempts")) {
                    answers.add(a.path("window").asText() + " " + a.path("txAck").asText());
                }
                yield "gateway " + e.gatewayEui() + " answered " + (answers.isEmpty() ? error : String.join(", ", answers));
            }
        };
    }
}
