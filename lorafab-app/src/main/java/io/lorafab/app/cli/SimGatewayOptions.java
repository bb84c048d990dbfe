package io.lorafab.app.cli;

import io.lorafab.app.wiring.TlsConfigException;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.sim.JoinLoadGenerator;
import io.lorafab.sim.SimException;
import io.lorafab.sim.SimGateway;
import io.lorafab.sim.VirtualBasicsStation;
import io.lorafab.sim.VirtualGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/**
 * The virtual gateway of a {@code lorafab sim} command: {@code --gateway udp} (Semtech UDP to {@code --server}, the
 * default) or {@code --gateway basics-station} (LoRa Basics Station to {@code --lns}, with the station's credentials
 * as its {@code tc.trust}, {@code tc.crt} and {@code tc.key} files hold them).
 */
public final class SimGatewayOptions {

    /** Which protocol the virtual gateway speaks. */
    public enum Kind {
        UDP("udp"), BASICS_STATION("basics-station");

        final String optionName;

        Kind(String optionName) {
            this.optionName = optionName;
        }
    }

    static final class KindConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            for (Kind k : Kind.values()) {
                if (k.optionName.equals(v)) {
                    return k;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected udp or basics-station, got '" + value + "'");
        }
    }

    @Option(names = "--gateway", defaultValue = "udp", paramLabel = "KIND", converter = KindConverter.class,
            description = "udp: a Semtech UDP packet forwarder to --server; basics-station: a LoRa Basics Station to --lns "
                    + "(default: ${DEFAULT-VALUE})")
    Kind kind = Kind.UDP;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "with --gateway udp: the server's Semtech UDP address, e.g. 127.0.0.1:1700")
    String server;

    @Option(names = "--lns", paramLabel = "URI", description = "with --gateway basics-station: the server's LNS, e.g. ws://127.0.0.1:1887 "
            + "(discovery on URI/router-info)")
    String lns;

    @Option(names = "--lns-trust", paramLabel = "FILE", description = "the CA certificates (PEM) a wss:// LNS is checked against, as tc.trust "
            + "(default: the JDK's)")
    Path lnsTrust;

    @Option(names = "--lns-cert", paramLabel = "FILE", description = "the station's client certificate chain (PEM), as tc.crt; its key is --lns-key")
    Path lnsCert;

    @Option(names = "--lns-key", paramLabel = "FILE", description = {"as tc.key: with --lns-cert, the certificate's private key (PEM);",
            "without, header lines such as 'Authorization: Bearer TOKEN' sent to the LNS"})
    Path lnsKey;

    private InetSocketAddress udp;
    private URI lnsUri;
    private VirtualBasicsStation.Auth auth = VirtualBasicsStation.Auth.NONE;

    /** Checks the options before anything is opened or registered; one line for a person when they do not fit. */
    void check() {
        try {
            if (kind == Kind.UDP) {
                if (server == null) {
                    throw new LorafabCommand.UserException("--server HOST:PORT is needed with --gateway udp");
                }
                if (lns != null || lnsTrust != null || lnsCert != null || lnsKey != null) {
                    throw new LorafabCommand.UserException("--lns and its credentials go with --gateway basics-station");
                }
                udp = JoinLoadGenerator.parseServer(server);
                return;
            }
            if (lns == null) {
                throw new LorafabCommand.UserException("--lns URI is needed with --gateway basics-station, e.g. ws://127.0.0.1:1887");
            }
            if (server != null) {
                throw new LorafabCommand.UserException("--server is the Semtech UDP address; with --gateway basics-station give --lns");
            }
            try {
                lnsUri = VirtualBasicsStation.checkUri(new URI(lns.strip()));
            } catch (java.net.URISyntaxException e) {
                throw new LorafabCommand.UserException("--lns: expected ws://HOST:PORT or wss://HOST:PORT, got '" + lns + "'");
            }
            auth = readAuth();
        } catch (SimException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    private VirtualBasicsStation.Auth readAuth() {
        if (lnsCert != null && lnsKey == null) {
            throw new LorafabCommand.UserException("--lns-cert needs its private key in --lns-key");
        }
        boolean wss = lnsUri.getScheme().equalsIgnoreCase("wss");
        if (!wss && (lnsTrust != null || lnsCert != null)) {
            throw new LorafabCommand.UserException("--lns-trust and --lns-cert are for a wss:// LNS, not " + lnsUri.getScheme() + "://");
        }
        try {
            SSLContext tls = null;
            if (wss) {
                tls = TlsContexts.client(lnsTrust == null ? null : TlsContexts.readCertificates("--lns-trust", lnsTrust),
                        lnsCert == null ? null : TlsContexts.readPem("--lns-cert", lnsCert, "--lns-key", lnsKey));
            }
            Map<String, String> headers = lnsKey != null && lnsCert == null ? headerLines(lnsKey) : Map.of();
            return new VirtualBasicsStation.Auth(headers, tls);
        } catch (TlsConfigException e) {
            throw new LorafabCommand.UserException(e.getMessage());
        }
    }

    /** tc.key in token mode: {@code Name: value} lines; the values (secrets) never appear in a message. */
    static Map<String, String> headerLines(Path file) {
        Args.requireReadableFile("--lns-key", file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LorafabCommand.UserException("--lns-key " + file + ": cannot read it");
        }
        if (text.contains("-----BEGIN")) {
            throw new LorafabCommand.UserException("--lns-key " + file + ": a PEM private key needs its certificate in --lns-cert");
        }
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\r?\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).strip().matches("[A-Za-z0-9-]+")) {
                throw new LorafabCommand.UserException("--lns-key " + file + ", line " + n + ": expected 'Name: value', "
                        + "e.g. 'Authorization: Bearer TOKEN'");
            }
            out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        if (out.isEmpty()) {
            throw new LorafabCommand.UserException("--lns-key " + file + ": no header lines");
        }
        return out;
    }

    boolean basicsStation() {
        return kind == Kind.BASICS_STATION;
    }

    /** Where the gateway goes, for messages: {@code udp HOST:PORT} or the LNS URI. */
    String target() {
        return kind == Kind.UDP ? "udp " + server : "Basics Station LNS " + lnsUri;
    }

    /** A gateway of the chosen kind, not yet connected. Call {@link #check} first. */
    SimGateway open(Eui64 eui, Duration replyTimeout, SimGateway.Timing timing) throws IOException {
        return kind == Kind.UDP ? new VirtualGateway(eui, udp, Clock.systemUTC(), replyTimeout, timing)
                : new VirtualBasicsStation(eui, lnsUri, Clock.systemUTC(), replyTimeout, timing, auth);
    }
}
