package io.lorafab.app.http;

import io.lorafab.joinserver.bi.BackendInterfaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.app.wiring.PemCredentials;
import io.lorafab.app.wiring.TestPki;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.joinserver.EventBus;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.station.client.ReservedUnit;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.client.StationApiException;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over real TLS on real sockets, with certificates from a private CA made by openssl: the station's
 * client and a network server's Backend Interfaces call over https, clients that must be refused (untrusting,
 * plain http, without a client certificate when one is required), and {@code lorafab server} itself started
 * with PEM files and with a PKCS#12 keystore.
 */
class HttpsApiTest {

    static final TestPki PKI = TestPki.shared();

    @TempDir
    Path dataDir;

    Lorafab lf;
    String operator;
    String networkServer;
    ApiServer server;

    @BeforeEach
    void registry() {
        operator = ServerProcessTest.setUp(dataDir, null);
        lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        networkServer = lf.tokens().create("000013", Role.NETWORK_SERVER, "t").secret();
        lf.provisioning().addDevice(new DeviceIdentity(BackendInterfacesApiTest.DEV10, BackendInterfacesApiTest.JOIN_EUI,
                BackendInterfacesApiTest.APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null), null,
                io.lorafab.store.model.AllowedNetIds.parse("000013"), "t");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        lf.close();
    }

    /** The API over https with the EC server certificate (chain) and, unless null, client certificates from {@code clientCa}. */
    String start(String clientCa) throws IOException {
        return start("server-ec-chain.pem", "server-ec.key", clientCa);
    }

    String start(String cert, String key, String clientCa) throws IOException {
        PemCredentials identity = TlsContexts.readPem("--tls-cert", PKI.file(cert), "--tls-key", PKI.file(key));
        TlsContexts.ServerTls tls = TlsContexts.server(identity,
                clientCa == null ? null : TlsContexts.readCertificates("--tls-client-ca", PKI.file(clientCa)));
        server = new ApiServer(lf, "127.0.0.1", 0, 4, tls.configurator());
        JoinServer js = new JoinServer(lf.registry(), lf.joinStore(), lf.vault(), JoinServerConfig.defaults().withRateLimits(0, 0),
                Clock.systemUTC(), new EventBus());
        // Plain session keys, allowed for this network server because the connection is TLS.
        new BackendInterfacesApi(lf, js, new BackendInterfaces.Settings(java.time.Duration.ZERO, Map.of(),
                java.util.Set.of(io.lorafab.joinserver.bi.BiIdentity.of("000013").orElseThrow()))).register(server);
        server.start();
        return "https://127.0.0.1:" + server.port();
    }

    static SSLContext trusting(String caFile) {
        return TlsContexts.client(TlsContexts.readCertificates("--ca-cert", PKI.file(caFile)), null);
    }

    static SSLContext withClientCertificate(String name) {
        return TlsContexts.client(TlsContexts.readCertificates("--ca-cert", PKI.file("ca.pem")),
                TlsContexts.readPem("--client-cert", PKI.file(name + ".pem"), "--client-key", PKI.file(name + ".key")));
    }

    @Test
    void healthAndAReservationOverHttpsWithAPrivateCa() throws Exception {
        String base = start(null);
        ApiClient.Reply health = new ApiClient(base, null, trusting("ca.pem")).get("/api/health");
        assertThat(health.status()).isEqualTo(200);

        StationApiClient station = new StationApiClient(base, operator, "station-tls", trusting("ca.pem"));
        ReservedUnit unit = station.reserve("WO-1", null);
        assertThat(unit.devEui()).isEqualTo(ServerProcessTest.FIRST);
        assertThat(unit.appKey()).isNotNull();
        station.programmed(unit.devEui());
        assertThat(station.unfinished("WO-1")).extracting(StationApiClient.UnfinishedUnit::state).containsExactly("PROGRAMMED");
    }

    @Test
    void slowTlsClientsDoNotStopOthers() throws Exception {
        String base = start(null);
        ApiClient client = new ApiClient(base, null, trusting("ca.pem"));
        assertThat(client.get("/api/health").status()).isEqualTo(200); // the client's own start-up is not what is measured
        List<Socket> slow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                // a TLS record header announcing a ClientHello that never comes
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
                slow.add(s);
            }
            for (int i = 0; i < 10; i++) {
                // handshake done, then half a request header
                SSLSocket s = (SSLSocket) trusting("ca.pem").getSocketFactory().createSocket("127.0.0.1", server.port());
                s.setSoTimeout(5000); // the handshake needs a server thread: with all taken by the slow ones, this fails
                s.startHandshake();
                s.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: lorafab\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 5; i++) {
                // a new connection each time (a new client), so that each one needs a connection thread of its own
                ApiClient fresh = new ApiClient(base, null, trusting("ca.pem"));
                long t0 = System.nanoTime();
                int status = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                        () -> fresh.get("/api/health").status());
                assertThat(status).isEqualTo(200);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("health over a new TLS connection, ms").isLessThan(1000);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void backendInterfacesJoinReqOverHttps() throws Exception {
        String base = start(null);
        ApiClient ns = new ApiClient(base, networkServer, trusting("ca.pem"));
        JsonNode ans = ns.post("/api/backend-interfaces", BackendInterfacesApiTest.joinReq("000013", BackendInterfacesApiTest.DEV10, 3,
                BackendInterfacesApiTest.APP_KEY, "1.0.3", "00")).json();
        assertThat(ans.get("MessageType").asText()).isEqualTo("JoinAns");
        assertThat(ans.at("/Result/ResultCode").asText()).isEqualTo("Success");
        assertThat(ans.at("/NwkSKey/AESKey").asText()).hasSize(32);
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() throws Exception {
        String base = start(null);
        // The JDK's trust store does not know the private CA; neither does another private CA.
        for (StationApiClient station : List.of(new StationApiClient(base, operator, "st"),
                new StationApiClient(base, operator, "st", trusting("other-ca.pem")))) {
            assertThatThrownBy(() -> station.reserve("WO-1", null))
                    .isInstanceOfSatisfying(StationApiException.class, e -> {
                        assertThat(e.code().code()).isEqualTo("tls_failed");
                        assertThat(e.getMessage()).isEqualTo("TLS with server " + base + " failed: the server's certificate is not "
                                + "issued by a CA this station trusts (a private CA must be given to the station)");
                    });
        }
        assertThat(lf.registry().unit(ServerProcessTest.FIRST)).isEmpty();
    }

    @Test
    void theHostNameIsVerified() throws Exception {
        // Signed by the trusted CA, but for lorafab.example.com: reached as 127.0.0.1, the client must refuse it.
        String base = start("elsewhere.pem", "elsewhere.key", null);
        assertThatThrownBy(() -> new ApiClient(base, null, trusting("ca.pem")).get("/api/health"))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
        start(null);
        assertThatThrownBy(() -> new ApiClient("http://127.0.0.1:" + server.port(), null).get("/api/health"))
                .isInstanceOf(UncheckedIOException.class);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAll(s.getInputStream());
            assertThat(answer).doesNotContain("HTTP/1.1").doesNotContain("\"status\"");
        }
    }

    @Test
    void onlyTls13And12AreSpoken() throws Exception {
        start(null);
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            try (SSLSocket s = (SSLSocket) trusting("ca.pem").getSocketFactory().createSocket("127.0.0.1", server.port())) {
                s.setEnabledProtocols(new String[] {version});
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo(version);
            }
        }
    }

    @Test
    void mutualTlsAdmitsOnlyClientsWithACertificateFromTheClientCa() throws Exception {
        String base = start("ca.pem");
        ApiClient ns = new ApiClient(base, networkServer, withClientCertificate("client"));
        assertThat(ns.get("/api/health").status()).isEqualTo(200);
        assertThat(ns.post("/api/backend-interfaces", BackendInterfacesApiTest.joinReq("000013", BackendInterfacesApiTest.DEV10, 4,
                BackendInterfacesApiTest.APP_KEY, "1.0.3", "00")).json().at("/Result/ResultCode").asText()).isEqualTo("Success");
        StationApiClient station = new StationApiClient(base, operator, "st", withClientCertificate("client"));
        assertThat(station.reserve("WO-1", null).devEui()).isEqualTo(ServerProcessTest.FIRST);

        // Without a certificate, or with one from another CA, the handshake is refused.
        assertThatThrownBy(() -> new ApiClient(base, networkServer, trusting("ca.pem")).get("/api/health"))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> new ApiClient(base, networkServer, withClientCertificateFromOtherCa()).get("/api/health"))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> new StationApiClient(base, operator, "st", trusting("ca.pem")).reserve("WO-1", null))
                .isInstanceOfSatisfying(StationApiException.class, e -> assertThat(e.getMessage())
                        .satisfiesAnyOf(m -> assertThat(m).contains("is this station given one?"), // TLS 1.3: refused after the handshake
                                m -> assertThat(m).contains("the server refused this station's client certificate, or wants one")));
    }

    static SSLContext withClientCertificateFromOtherCa() {
        return TlsContexts.client(TlsContexts.readCertificates("--ca-cert", PKI.file("ca.pem")),
                TlsContexts.readPem("--client-cert", PKI.file("rogue-client.pem"), "--client-key", PKI.file("rogue-client.key")));
    }

    @Test
    void theServerCommandWithPemFiles() throws Exception {
        lf.close();
        try (ServerProcess p = ServerProcess.start(dataDir, null, List.of("--tls-cert", PKI.file("server-rsa-chain.pem").toString(),
                "--tls-key", PKI.file("server-rsa.traditional.key").toString()), Map.of())) {
            assertThat(p.startLine()).contains("listening on https://127.0.0.1:")
                    .contains("(TLS certificate CN=localhost valid until ");
            assertThat(p.baseUrl()).startsWith("https://");
            StationApiClient station = new StationApiClient(p.baseUrl(), operator, "st", trusting("ca.pem"));
            assertThat(station.reserve("WO-1", null).devEui()).isEqualTo(ServerProcessTest.FIRST);
        } finally {
            lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        }
    }

    @Test
    void theServerCommandWithAKeystoreAndClientCertificates() throws Exception {
        lf.close();
        try (ServerProcess p = ServerProcess.start(dataDir, null, List.of("--tls-keystore", PKI.file("server-ec.p12").toString(),
                "--tls-keystore-password-env", "LORAFAB_TEST_KS_PASSWORD", "--tls-client-ca", PKI.file("ca.pem").toString()),
                Map.of("LORAFAB_TEST_KS_PASSWORD", TestPki.KEYSTORE_PASSWORD))) {
            assertThat(p.startLine()).contains("listening on https://").contains("client certificates required");
            assertThat(new ApiClient(p.baseUrl(), null, withClientCertificate("client")).get("/api/health").status()).isEqualTo(200);
            assertThatThrownBy(() -> new ApiClient(p.baseUrl(), null, trusting("ca.pem")).get("/api/health"))
                    .isInstanceOf(UncheckedIOException.class);
        } finally {
            lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        }
    }

    private static String readAll(InputStream in) {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException closedOrTimedOut) {
            // the server dropped the connection: what we expect
        }
        return sb.toString();
    }
}
