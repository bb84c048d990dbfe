package io.lorafab.app.cli;

import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.WebConsole;
import io.lorafab.joinserver.bi.BiIdentity;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.http.LnsServer;
import io.lorafab.gateway.BasicsStationConnector;
import io.lorafab.gateway.GatewayAllowList;
import io.lorafab.gateway.StationCredentials;
import io.lorafab.lorawan.region.Region;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.app.wiring.PemCredentials;
import io.lorafab.app.wiring.TlsConfigException;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.types.NetId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab server}: the HTTP (or, with a certificate, HTTPS) API on the registry until stopped (SIGTERM or Ctrl-C). */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the lorafab server: the JSON API, the Semtech UDP gateway listener and the join server (also for Backend Interfaces).")
public final class ServerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DbOptions db;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int httpPort;

    @Option(names = "--http-threads", paramLabel = "N", defaultValue = "32", description = "HTTP worker threads (default: ${DEFAULT-VALUE})")
    int httpThreads;

    @Option(names = "--udp-host", paramLabel = "HOST",
            description = "address the gateway listener binds (default: 0.0.0.0 with --allow-gateway or --allow-gateways-file, "
                    + "else 127.0.0.1: the Semtech UDP protocol has no authentication)")
    String udpHost;

    @Option(names = "--gateway-addr-change-block", paramLabel = "DURATION", defaultValue = "1m",
            description = "how long a gateway stays pinned to its source address after it was last heard there; datagrams claiming "
                    + "its EUI from elsewhere are refused until then (e.g. 30s, 5m; 0 accepts a move at once; default: ${DEFAULT-VALUE})")
    String addrChangeBlock;

    @Option(names = "--udp-rxpk-per-address", paramLabel = "N", defaultValue = "" + SemtechUdpConfig.DEFAULT_RXPK_PER_SECOND_PER_ADDRESS,
            description = "radio receptions accepted per second from one source address (0 = unlimited; default: ${DEFAULT-VALUE})")
    int rxpkPerAddress;

    @Option(names = "--udp-port", paramLabel = "PORT", defaultValue = "1700", description = "Semtech UDP packet-forwarder port (default: ${DEFAULT-VALUE}; 0 picks a free one; -1 turns the listener off)")
    int udpPort;

    @Option(names = "--net-id", paramLabel = "HEX", defaultValue = "000000", description = "NetID of the test network: DevAddrs come from its prefix (default: ${DEFAULT-VALUE})")
    String netId;

    @Option(names = "--mqtt", paramLabel = "URI", description = "publish radio events to this MQTT broker, e.g. tcp://127.0.0.1:1883")
    String mqtt;

    @Option(names = "--joins-per-device", paramLabel = "N", defaultValue = "10", description = "join attempts allowed per device per minute (0 = unlimited; default: ${DEFAULT-VALUE})")
    int joinsPerDevice;

    @Option(names = "--joins-per-gateway", paramLabel = "N", defaultValue = "600", description = "join attempts allowed per gateway per minute (0 = unlimited; default: ${DEFAULT-VALUE})")
    int joinsPerGateway;

    @Option(names = "--no-downlink-plan", description = {"do not plan join-accepts against each gateway's one transmitter (by default a join-accept",
            "whose RX1 another downlink holds goes in RX2, and one with both windows taken is not sent: the device retries);",
            "only for load runs through simulated gateways that model no air time (lorafab sim joins)"})
    boolean noDownlinkPlan;

    @Option(names = "--session-lifetime", paramLabel = "SECONDS", defaultValue = "0",
            description = "the session Lifetime reported to network servers in JoinAns (0 = no expiry; default: ${DEFAULT-VALUE})")
    long sessionLifetime;

    @Option(names = "--application-server", paramLabel = "NETID=AS-ID",
            description = "the application server (its token: as:AS-ID) that may fetch the AppSKeys of sessions issued to NETID "
                    + "over Backend Interfaces; repeatable")
    List<String> applicationServers = new ArrayList<>();

    @Option(names = "--bi-plain-keys", paramLabel = "ID[,ID...]", split = ",",
            description = "Backend Interfaces callers (NetIDs, or as:<AS-ID>) that may get session keys in the clear when no "
                    + "export KEK is configured for them; every other caller without a KEK is refused. Only over TLS.")
    List<String> plainKeys = new ArrayList<>();

    @Option(names = "--rx-lead-time", paramLabel = "MS", defaultValue = "200",
            description = "how long before a receive window the packet forwarder needs the join-accept; a window that can no "
                    + "longer be met is skipped (default: ${DEFAULT-VALUE})")
    long rxLeadTimeMs;

    @Option(names = "--allow-gateway", paramLabel = "EUI[@ADDR]", split = ",",
            description = "serve only these gateways (repeatable or comma-separated), each optionally only from an address or CIDR "
                    + "block (EUI@192.0.2.10, EUI@192.0.2.0/24); others' datagrams are counted and dropped unanswered")
    List<String> allowGateway = new ArrayList<>();

    @Option(names = "--allow-gateways-file", paramLabel = "FILE", description = "the same, one entry per line (# starts a comment)")
    Path allowGatewaysFile;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "serve the API over HTTPS with this PEM certificate chain (the server's certificate first); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "the certificate's private key: unencrypted PEM, RSA or EC")
    Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "FILE.p12",
            description = "serve HTTPS with the one key and its chain from this PKCS#12 keystore (instead of --tls-cert and --tls-key)")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-env", paramLabel = "VAR", description = "the environment variable holding the keystore's password")
    String tlsKeystorePasswordEnv;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "require client certificates issued by a CA of this PEM bundle (mutual TLS; tokens are still required)")
    Path tlsClientCa;

    @Option(names = "--lns-port", paramLabel = "PORT", defaultValue = "1887",
            description = "port for LoRa Basics Station gateways (LNS protocol over websockets; default: ${DEFAULT-VALUE}, "
                    + "The Things Stack's; 0 picks a free one; -1 turns the listener off)")
    int lnsPort;

    @Option(names = "--lns-host", paramLabel = "HOST",
            description = "address the Basics Station listener binds (default: as the UDP listener: 0.0.0.0 with an allow-list, "
                    + "else 127.0.0.1)")
    String lnsHost;

    @Option(names = "--lns-region", paramLabel = "REGION", defaultValue = "EU868",
            description = "the channel plan sent to Basics Station gateways in router_config (default: ${DEFAULT-VALUE})")
    String lnsRegion;

    @Option(names = "--lns-uplinks-per-gateway", paramLabel = "N", defaultValue = "50",
            description = "radio receptions accepted per second from one Basics Station gateway (0 = unlimited; default: "
                    + "${DEFAULT-VALUE}); a load run of virtual devices needs more")
    int lnsUplinksPerGateway;

    @Option(names = "--lns-credentials", paramLabel = "FILE",
            description = "per-gateway tokens: lines 'EUI SHA256-OF-TOKEN'; with it every Basics Station must send its token "
                    + "(tc.key 'Authorization: Bearer TOKEN') or a client certificate whose CN is its EUI")
    Path lnsCredentials;

    @Option(names = "--lns-tls-cert", paramLabel = "FILE", description = "serve Basics Station gateways over wss:// with this PEM "
            + "certificate chain; needs --lns-tls-key")
    Path lnsTlsCert;

    @Option(names = "--lns-tls-key", paramLabel = "FILE", description = "the certificate's private key: unencrypted PEM, RSA or EC")
    Path lnsTlsKey;

    @Option(names = "--lns-tls-client-ca", paramLabel = "FILE",
            description = "accept gateway client certificates issued by a CA of this PEM bundle (their CN must be the gateway's "
                    + "EUI); a gateway without one must send its token")
    Path lnsTlsClientCa;

    @Override
    public Integer call() throws Exception {
        TlsContexts.ServerTls tls = tls();
        JoinServerConfig config = JoinServerConfig.defaults().withNetId(Args.option("--net-id", () -> NetId.parse(netId)))
                .withRateLimits(joinsPerDevice, joinsPerGateway).withDownlinkPlanning(!noDownlinkPlan);
        GatewayAllowList gateways = allowedGateways();
        Duration block = duration("--gateway-addr-change-block", addrChangeBlock);
        if (rxpkPerAddress < 0) {
            throw new LorafabCommand.UserException("--udp-rxpk-per-address: must not be negative, got " + rxpkPerAddress);
        }
        String host = udpBindHost(udpHost, gateways);
        BackendInterfaces.Settings bi = backendInterfaces();
        if (rxLeadTimeMs < 0 || rxLeadTimeMs > 5000) {
            throw new LorafabCommand.UserException("--rx-lead-time: 0..5000 ms, got " + rxLeadTimeMs);
        }
        InetSocketAddress http = Args.listenAddress("--http-host", httpHost, "--http-port", httpPort);
        if (udpPort < -1) {
            throw new LorafabCommand.UserException("--udp-port: expected a port 0-65535, or -1 for no gateway listener, got " + udpPort);
        }
        SemtechUdpConfig udp = udpPort == -1 ? null
                : SemtechUdpConfig.listeningOn(Args.listenAddress("--udp-host", host, "--udp-port", udpPort))
                        .withAllowList(gateways).withAddrChangeBlock(block).withRxpkPerSecondPerAddress(rxpkPerAddress);
        BasicsStationConnector.Config lns = lnsConfig(gateways);
        TlsContexts.ServerTls lnsTls = lnsTls();
        String lnsBindHost = lnsHost != null ? lnsHost : udpBindHost(null, gateways);
        InetSocketAddress lnsAddress = lns == null ? null : Args.listenAddress("--lns-host", lnsBindHost, "--lns-port", lnsPort);
        if (httpThreads < 1) {
            throw new LorafabCommand.UserException("--http-threads: expected at least 1, got " + httpThreads);
        }
        Lorafab lf = db.create(); // the server makes its registry when there is none
        ApiServer api;
        JoinServerRuntime js;
        LnsServer lnsServer = null;
        try {
            try {
                api = new ApiServer(lf, http, httpThreads, tls == null ? null : tls.configurator());
            } catch (BindException e) {
                throw Args.inUse("--http-port", httpHost, httpPort, "http");
            }
            // the console's gateways page reads the join server's runtime, made next
            java.util.concurrent.atomic.AtomicReference<JoinServerRuntime> runtime = new java.util.concurrent.atomic.AtomicReference<>();
            WebConsole.install(api, lf, () -> runtime.get() == null ? null : runtime.get().gatewaysView());
            try {
                js = new JoinServerRuntime(lf, config, udp, lns, mqtt, api, bi, Duration.ofMillis(rxLeadTimeMs));
                runtime.set(js);
            } catch (io.lorafab.app.events.MqttEventPublisher.BrokerException e) {
                api.close();
                throw new LorafabCommand.UserException(e.getMessage());
            }
            try {
                js.start();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof BindException) {
                    api.close();
                    js.close();
                    throw Args.inUse("--udp-port", host, udpPort, "udp");
                }
                throw e;
            }
            if (lns != null) {
                try {
                    lnsServer = new LnsServer(js.stations(), lnsAddress,
                            lnsTls == null ? null : lnsTls.configuratorWantingClientCertificates()).start();
                } catch (RuntimeException e) {
                    js.close();
                    api.close();
                    if (e instanceof io.javalin.util.JavalinBindException || e.getCause() instanceof BindException) {
                        throw Args.inUse("--lns-port", lnsBindHost, lnsPort, "tcp");
                    }
                    throw e;
                }
            }
        } catch (RuntimeException | IOException e) {
            lf.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        LnsServer lnsToClose = lnsServer;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (lnsToClose != null) {
                lnsToClose.close();
            }
            js.close();
            api.close();
            lf.close();
            stopped.countDown();
        }, "lorafab-shutdown"));
        api.start();
        spec.commandLine().getOut().printf("lorafab server listening on %s://%s:%d%s, gateways on udp %s (database %s, KEK %s, NetID %s)%n",
                tls == null ? "http" : "https", httpHost, api.port(), tls == null ? "" : " (" + tls.describe() + ")",
                js.udpPort() < 0 ? "off" : host + ":" + js.udpPort(),
                lf.database().displayUrl(), lf.vault().activeLabel(), config.netId());
        spec.commandLine().getOut().printf("web console on %s://%s:%d/console/ (sign in with an API token)%n",
                tls == null ? "http" : "https", httpHost, api.port());
        if (lnsServer != null) {
            spec.commandLine().getOut().printf("Basics Station gateways on %s://%s:%d (region %s%s%s)%n", lnsServer.scheme(),
                    lnsBindHost, lnsServer.port(), lns.region(), lnsTls == null ? "" : ", " + lnsTls.describe()
                            .replace("client certificates required", "client certificates accepted"),
                    lns.credentials().required() ? ", gateways must authenticate" : "");
        }
        if (!gateways.isEmpty()) {
            spec.commandLine().getOut().printf("serving %d allowed gateway(s)%s%n", gateways.gateways().size(),
                    gateways.pinsAddresses() ? ", some only from their listed addresses" : "");
        } else if (udpHost == null && js.udpPort() >= 0) {
            spec.commandLine().getOut().printf("gateway listener on loopback only: give --allow-gateway (or --udp-host) to serve "
                    + "gateways on the network%n");
        }
        if (!bi.plainKeys().isEmpty()) {
            spec.commandLine().getOut().printf("Backend Interfaces: session keys in the clear to %s when no export KEK is configured "
                    + "for them%s%n", String.join(", ", plainKeys.stream().map(String::strip).toList()),
                    tls == null ? " - over plain http: serve the API over TLS" : "");
        }
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private BackendInterfaces.Settings backendInterfaces() {
        if (sessionLifetime < 0) {
            throw new LorafabCommand.UserException("--session-lifetime: must not be negative, got " + sessionLifetime);
        }
        Map<NetId, String> as = new LinkedHashMap<>();
        for (String a : applicationServers) {
            int eq = a.indexOf('=');
            String id = eq < 0 ? "" : a.substring(eq + 1).strip();
            if (eq < 0 || id.isEmpty()) {
                throw new LorafabCommand.UserException("--application-server: expected NETID=AS-ID, got '" + a + "'");
            }
            NetId net = Args.option("--application-server", () -> NetId.parse(a.substring(0, eq).strip()));
            if (as.put(net, id) != null) {
                throw new LorafabCommand.UserException("--application-server: NetID " + net + " given twice");
            }
        }
        Set<BiIdentity> plain = new LinkedHashSet<>();
        for (String p : plainKeys) {
            plain.add(BiIdentity.of(p).orElseThrow(() -> new LorafabCommand.UserException("--bi-plain-keys: '" + p.strip()
                    + "' is neither a NetID (6 hex digits, e.g. 000013) nor as:<AS-ID>")));
        }
        return new BackendInterfaces.Settings(Duration.ofSeconds(sessionLifetime), as, plain);
    }

    /**
     * Where the gateway listener binds: {@code --udp-host} if given, else all interfaces when gateways are named
     * (the operator has said which may speak), else loopback only: an unauthenticated listener is not put on the
     * network by default.
     */
    static String udpBindHost(String given, GatewayAllowList gateways) {
        return given != null ? given : gateways.isEmpty() ? "127.0.0.1" : "0.0.0.0";
    }

    private GatewayAllowList allowedGateways() {
        List<String> entries = new ArrayList<>();
        for (String e : allowGateway) {
            entries.add(e.strip());
            allowList("--allow-gateway", List.of(e));
        }
        if (allowGatewaysFile != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(allowGatewaysFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LorafabCommand.UserException("--allow-gateways-file: " + Args.cannotRead(allowGatewaysFile.toString(), e));
            }
            int named = 0;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).replaceFirst("#.*", "").strip();
                if (!l.isEmpty()) {
                    allowList("--allow-gateways-file line " + (i + 1), List.of(l));
                    entries.add(l);
                    named++;
                }
            }
            if (named == 0) {
                throw new LorafabCommand.UserException("--allow-gateways-file: " + allowGatewaysFile + " names no gateway");
            }
        }
        return allowList("--allow-gateway", entries);
    }

    private static GatewayAllowList allowList(String where, List<String> entries) {
        try {
            return GatewayAllowList.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new LorafabCommand.UserException(where + ": " + e.getMessage());
        }
    }

    /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 5m}, {@code 1h}: a bare number is seconds. */
    static Duration duration(String option, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?").matcher(text.strip());
        if (!m.matches()) {
            throw new LorafabCommand.UserException(option + ": expected a duration such as 30s, 5m or 0, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The Basics Station server's settings, or null with {@code --lns-port -1}; checked before anything starts. */
    private BasicsStationConnector.Config lnsConfig(GatewayAllowList gateways) {
        if (lnsPort == -1) {
            for (Object o : new Object[] {lnsHost, lnsCredentials, lnsTlsCert, lnsTlsKey, lnsTlsClientCa}) {
                if (o != null) {
                    throw new LorafabCommand.UserException("the --lns-* options need the Basics Station listener, which --lns-port -1 turns off");
                }
            }
            return null;
        }
        if (lnsPort < 0 || lnsPort > 65535) {
            throw new LorafabCommand.UserException("--lns-port: expected a port 0-65535, got " + lnsPort);
        }
        Region region = Args.option("--lns-region", () -> Region.byName(lnsRegion));
        StationCredentials credentials = StationCredentials.NONE;
        if (lnsCredentials != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(lnsCredentials, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LorafabCommand.UserException("--lns-credentials: " + Args.cannotRead(lnsCredentials.toString(), e));
            }
            try {
                credentials = StationCredentials.parse(lines, true);
            } catch (IllegalArgumentException e) {
                throw new LorafabCommand.UserException("--lns-credentials: " + e.getMessage());
            }
        } else if (lnsTlsClientCa != null) {
            // client certificates configured: every gateway must present one naming it
            credentials = new StationCredentials(Map.of(), true);
        }
        if (lnsUplinksPerGateway < 0) {
            throw new LorafabCommand.UserException("--lns-uplinks-per-gateway: expected 0 (unlimited) or more, got "
                    + lnsUplinksPerGateway);
        }
        return BasicsStationConnector.Config.of(region).withAllowList(gateways).withCredentials(credentials)
                .withUplinksPerSecond(lnsUplinksPerGateway);
    }

    /** wss:// from the --lns-tls-* options, or null for ws://. */
    private TlsContexts.ServerTls lnsTls() {
        if (lnsTlsCert == null && lnsTlsKey == null) {
            if (lnsTlsClientCa != null) {
                throw new LorafabCommand.UserException("--lns-tls-client-ca needs TLS: add --lns-tls-cert and --lns-tls-key");
            }
            return null;
        }
        if (lnsTlsCert == null || lnsTlsKey == null) {
            throw new LorafabCommand.UserException(lnsTlsCert == null ? "--lns-tls-key needs --lns-tls-cert" : "--lns-tls-cert needs --lns-tls-key");
        }
        try {
            return TlsContexts.server(TlsContexts.readPem("--lns-tls-cert", lnsTlsCert, "--lns-tls-key", lnsTlsKey),
                    lnsTlsClientCa == null ? null : TlsContexts.readCertificates("--lns-tls-client-ca", lnsTlsClientCa));
        } catch (TlsConfigException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    /** HTTPS from the TLS options, read and checked before anything starts; null for plain HTTP. */
    private TlsContexts.ServerTls tls() {
        boolean pem = tlsCert != null || tlsKey != null;
        boolean keystore = tlsKeystore != null || tlsKeystorePasswordEnv != null;
        if (pem && keystore) {
            throw new LorafabCommand.UserException("give either --tls-cert and --tls-key, or --tls-keystore, not both");
        }
        if (!pem && !keystore) {
            if (tlsClientCa != null) {
                throw new LorafabCommand.UserException("--tls-client-ca needs TLS: add --tls-cert and --tls-key, or --tls-keystore");
            }
            return null;
        }
        try {
            PemCredentials identity;
            if (pem) {
                if (tlsCert == null || tlsKey == null) {
                    throw new LorafabCommand.UserException(tlsCert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
                }
                identity = TlsContexts.readPem("--tls-cert", tlsCert, "--tls-key", tlsKey);
            } else {
                identity = keystoreIdentity();
            }
            return TlsContexts.server(identity, tlsClientCa == null ? null : TlsContexts.readCertificates("--tls-client-ca", tlsClientCa));
        } catch (TlsConfigException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    private PemCredentials keystoreIdentity() {
        if (tlsKeystore == null) {
            throw new LorafabCommand.UserException("--tls-keystore-password-env needs --tls-keystore");
        }
        if (tlsKeystorePasswordEnv == null) {
            throw new LorafabCommand.UserException("--tls-keystore needs --tls-keystore-password-env VAR (the password is read from "
                    + "that environment variable, never from the command line)");
        }
        String password = System.getenv(tlsKeystorePasswordEnv);
        if (password == null) {
            throw new LorafabCommand.UserException("--tls-keystore-password-env: the environment variable " + tlsKeystorePasswordEnv
                    + " is not set");
        }
        char[] chars = password.toCharArray();
        try {
            return TlsContexts.readKeystore("--tls-keystore", tlsKeystore, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }
}
