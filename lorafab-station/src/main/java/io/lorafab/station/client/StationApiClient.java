package io.lorafab.station.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.api.ApiRoutes;
import io.lorafab.api.ErrorCode;
import io.lorafab.api.Endpoint;
import io.lorafab.api.model.ApiError;
import io.lorafab.api.model.EventPage;
import io.lorafab.api.model.FinishRequest;
import io.lorafab.api.model.ProgrammedRequest;
import io.lorafab.api.model.RadioEventView;
import io.lorafab.api.model.ReserveRequest;
import io.lorafab.api.model.StationStepRequest;
import io.lorafab.api.model.UnitPage;
import io.lorafab.api.model.UnitView;
import io.lorafab.api.model.VoidRequest;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A programming station's calls to the lorafab server: reserve a unit (keys come back only after the server
 * committed them), report it programmed, wait for its radio events, finish it with the test result. The token
 * goes in the Authorization header, never in a URL.
 *
 * <p>Every call is built from its {@link ApiRoutes} constant and the records of {@code lorafab-api}, the ones the
 * server is held to: a path or field renamed there breaks this class's compilation. Fields this station does not
 * know are ignored, so that a newer server (one that added a field) still serves an older station.
 */
public final class StationApiClient {

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final String base;
    private final String token;
    private final String stationId;
    /** The multi-up fixture position this client reports steps for, or null (a one-board station). */
    private final Integer position;

    /** For an http:// server, or an https:// one whose certificate the JDK's trust store vouches for. */
    public StationApiClient(String baseUrl, String token, String stationId) {
        this(baseUrl, token, stationId, null);
    }

    /**
     * For an https:// server: {@code tls} says which CAs to trust (e.g. a private one) and which client certificate
     * to present, if any; null uses the JDK's defaults. The server's certificate and host name are always verified.
     */
    public StationApiClient(String baseUrl, String token, String stationId, SSLContext tls) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.stationId = stationId;
        this.position = null;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    private StationApiClient(StationApiClient of, int position) {
        this.http = of.http;
        this.base = of.base;
        this.token = of.token;
        this.stationId = of.stationId;
        this.position = position;
    }

    /**
     * The same station's client for one position of a multi-up fixture: its step reports name the position, every
     * other call is the station's. Shares the HTTP client (thread-safe), so positions may call from their own threads.
     */
    public StationApiClient atPosition(int position) {
        if (position < 1) {
            throw new IllegalArgumentException("fixture positions count from 1, got " + position);
        }
        return new StationApiClient(this, position);
    }

    /** The fixture position this client reports for, or null. */
    public Integer position() {
        return position;
    }

    /**
     * Whether {@code baseUrl} is plain {@code http://} to a host other than this machine, where the token and the
     * units' root keys would cross a network unencrypted. The loopback addresses (and {@code localhost}) are this
     * machine; a name is resolved to decide.
     *
     * @throws IllegalArgumentException if it is not an http:// or https:// URL with a host
     */
    public static boolean plainHttpToAnotherHost(String baseUrl) {
        URI u;
        try {
            u = new URI(baseUrl);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + baseUrl);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException("expected http://HOST[:PORT] or https://HOST[:PORT], got " + baseUrl);
        }
        if (scheme.equals("https")) {
            return false;
        }
        String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return true;
                }
            }
            return false;
        } catch (java.net.UnknownHostException e) {
            return true; // not known to be this machine
        }
    }

    /** A radio event of the unit (join accepted or rejected, uplink verified...). */
    public record RadioEvent(long id, String kind, String code, Integer rssi, Double snr, Long frequencyHz, String datr,
            String gatewayEui, JsonNode details) {
    }

    /** Reserves the next unit of {@code workOrder}, or the one whose label was scanned. */
    public ReservedUnit reserve(String workOrder, String scanned) {
        return ReservedUnit.of(call(ApiRoutes.RESERVE, new ReserveRequest(stationId, scanned, null), "", workOrder));
    }

    /**
     * Tells the server which step of a unit this station has just begun ({@code reserve}, {@code program},
     * {@code read_back}, {@code join}, {@code uplink}, {@code finish}; {@code devEui} null before the reservation), for
     * the station's screen. Best effort: a refusal or an unreachable server is logged at debug level and forgotten,
     * because a screen must never fail a unit (and an older server does not know the call).
     */
    public void stepBegun(Eui64 devEui, String step) {
        try {
            call(ApiRoutes.STATION_STEP, new StationStepRequest(devEui == null ? null : devEui.toString(), step, position), "", stationId);
        } catch (RuntimeException e) {
            STEP_LOG.log(System.Logger.Level.DEBUG, "step " + step + " not reported to the server: " + e.getMessage());
        }
    }

    private static final System.Logger STEP_LOG = System.getLogger(StationApiClient.class.getName());

    public void programmed(Eui64 devEui) {
        call(ApiRoutes.PROGRAMMED, new ProgrammedRequest(stationId), "", devEui);
    }

    /** Records the test run: {@code passed}, or failed with {@code reasonCode}; measurements as a JSON object. */
    public void finish(Eui64 devEui, boolean passed, String reasonCode, Map<String, Object> measurements) {
        finish(devEui, passed ? "PASSED" : "FAILED", reasonCode, measurements);
    }

    /**
     * Records the test run with {@code result} PASSED, FAILED or STATION_FAULT (the test station failed, not the unit:
     * the server keeps the run and leaves the unit as it was).
     */
    public void finish(Eui64 devEui, String result, String reasonCode, Map<String, Object> measurements) {
        call(ApiRoutes.FINISH, new FinishRequest(result, reasonCode, measurements, stationId), "", devEui);
    }

    /**
     * Records the chip identity an LR11xx-style part reported ({@code joinEui} may be null); the PIN goes in the request
     * body only, never in a URL or a log line.
     */
    public void chipIdentity(Eui64 devEui, Eui64 chipEui, Eui64 joinEui, String pin) {
        call(ApiRoutes.CHIP_IDENTITY, new io.lorafab.api.model.ChipIdentityRequest(chipEui.toString(),
                joinEui == null ? null : joinEui.toString(), pin, stationId), "", devEui);
    }

    public void voidUnit(Eui64 devEui, String reason) {
        call(ApiRoutes.VOID, new VoidRequest(reason), "", devEui);
    }

    /** A unit this station left between reserve and finish (RESERVED or PROGRAMMED). */
    public record UnfinishedUnit(Eui64 devEui, String serial, String state, String updatedAt) {
    }

    /**
     * The units of {@code workOrder} that this station reserved or programmed and never finished: what a
     * station killed mid-unit leaves behind, oldest first.
     */
    public List<UnfinishedUnit> unfinished(String workOrder) {
        List<UnfinishedUnit> out = new ArrayList<>();
        for (String state : List.of("RESERVED", "PROGRAMMED")) {
            String after = "0";
            while (after != null) {
                UnitPage page = call(ApiRoutes.UNITS, null, "?order=" + enc(workOrder) + "&state=" + state + "&station="
                        + enc(stationId) + "&after=" + after + "&limit=1000");
                for (UnitView u : page.units()) {
                    out.add(new UnfinishedUnit(Eui64.parse(u.devEui()), u.serial(), u.state(), u.updatedAt()));
                }
                after = page.next() == null ? null : page.next().toString();
            }
        }
        out.sort(java.util.Comparator.comparing(u -> u.updatedAt() == null ? "" : u.updatedAt()));
        return out;
    }

    /** The unit's printable label: {@code format} pdf (one label per page) or zpl, {@code size} like 70x37 (mm). */
    public byte[] label(Eui64 devEui, String format, String size) {
        return send(ApiRoutes.UNIT_LABEL.method(), ApiRoutes.UNIT_LABEL.resolve(devEui) + "?format=" + enc(format) + "&size=" + enc(size),
                null).body();
    }

    /** Events of the unit after {@code afterId}, waiting up to {@code wait} (long-poll) when there are none yet. */
    public List<RadioEvent> events(Eui64 devEui, long afterId, Duration wait) {
        EventPage page = call(ApiRoutes.EVENTS, null, "?devEui=" + devEui + "&after=" + afterId + "&wait=" + Math.max(0, wait.toSeconds()));
        List<RadioEvent> out = new ArrayList<>();
        for (RadioEventView e : page.events()) {
            out.add(new RadioEvent(e.id(), e.kind(), e.code(), e.rssi(), e.snr(), e.frequencyHz(), e.datr(), e.gatewayEui(), e.details()));
        }
        return out;
    }

    /** The newest event id of the unit (0 when none), to wait for what happens after it. */
    public long lastEventId(Eui64 devEui) {
        long last = 0;
        List<RadioEvent> page;
        do {
            page = events(devEui, last, Duration.ZERO);
            for (RadioEvent e : page) {
                last = Math.max(last, e.id());
            }
        } while (page.size() >= 100);
        return last;
    }

    /**
     * Calls {@code route} with {@code body} (null: none), {@code query} ("" or "?a=b") after the path made of
     * {@code pathValues}, and reads the answer as the route's record.
     */
    private <Q, R> R call(Endpoint<Q, R> route, Q body, String query, Object... pathValues) {
        byte[] sent;
        try {
            sent = body == null ? null : json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("request body does not serialise", e); // records of plain types always do
        }
        HttpResponse<byte[]> r = send(route.method(), route.resolve(pathValues) + query, sent);
        try {
            return json.readValue(r.body(), route.response());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // JSON of another shape (a field of the wrong type): no internals, the status and what was expected
            throw new StationApiException(r.statusCode(), ErrorCode.BAD_RESPONSE, "server answered HTTP " + r.statusCode()
                    + (looksLikeJson(r.body()) ? " with JSON this station does not understand (" + e.getOriginalMessage() + ")" : " without JSON"));
        } catch (IOException e) {
            throw new StationApiException(r.statusCode(), ErrorCode.BAD_RESPONSE, "server answered HTTP " + r.statusCode() + " without JSON");
        }
    }

    private boolean looksLikeJson(byte[] body) {
        try {
            json.readTree(body);
            return body.length > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends the request; an answer other than 2xx becomes a {@link StationApiException} with the server's error code. */
    private HttpResponse<byte[]> send(String method, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            SSLException tls = tlsFailure(e);
            if (tls != null) {
                throw new StationApiException(0, ErrorCode.TLS_FAILED, "TLS with server " + base + " failed: " + tlsReason(tls));
            }
            boolean closedUnanswered = base.startsWith("https:") && String.valueOf(e.getMessage()).contains("received no bytes");
            throw new StationApiException(0, ErrorCode.UNREACHABLE, "server " + base + " unreachable: " + unreachable(e) + (closedUnanswered
                    ? " (a server that requires client certificates closes the connection like this: is this station given one?)" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StationApiException(0, ErrorCode.INTERRUPTED, ErrorCode.INTERRUPTED.text());
        }
        if (r.statusCode() >= 300) {
            ApiError.Detail error = null;
            try {
                ApiError e = json.readValue(r.body(), ApiError.class);
                error = e == null ? null : e.error();
            } catch (IOException e) {
                // not the error body (not JSON, or a proxy's page): the status code speaks for itself
            }
            // a code this client does not know (a newer server) becomes UNKNOWN_ERROR, the server's word kept for the line;
            // an error answer without one (a proxy's page) is shown by its status
            throw new StationApiException(r.statusCode(), error == null || error.code() == null ? "http_" + r.statusCode() : error.code(),
                    error == null || error.message() == null ? "HTTP " + r.statusCode() : error.message());
        }
        return r;
    }

    /**
     * Why the server could not be reached, in the operator's words: the JDK's HTTP client often gives none (a refused
     * connection has a null message) or a class name.
     */
    static String unreachable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "no connection within 5 s (is the address right, and the server up?)";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer within 60 s";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "cannot resolve its host name";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused (is the server running?)";
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "the connection failed" : m;
    }

    /** Why the handshake failed, in the station operator's terms where the JDK's are obscure. */
    private static String tlsReason(SSLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX path")) {
            return "the server's certificate is not issued by a CA this station trusts (a private CA must be given to the station)";
        }
        if (m.contains("No subject alternative") || m.contains("No name matching")) {
            return "the server's certificate is not for this host name or address";
        }
        if (m.contains("bad_certificate") || m.contains("certificate_required") || m.contains("unknown_ca")) {
            return "the server refused this station's client certificate, or wants one (" + m + ")";
        }
        return m;
    }

    private static SSLException tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return (SSLException) t;
            }
        }
        return null;
    }

    private static String enc(String s) {
        return Endpoint.encode(s);
    }
}
