package io.lorafab.app.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsContext;
import io.lorafab.gateway.BasicsStationConnector;
import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsProtocolException;
import io.lorafab.gateway.basicstation.StationEui;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The websocket listener of LoRa Basics Station gateways ({@code lorafab server --lns-port}): {@code /router-info}
 * (discovery) and {@code /traffic/<EUI>}, plain ({@code ws://}, a test bench) or TLS ({@code wss://}, with client
 * certificates asked for when client CAs are configured). The protocol is {@link BasicsStationConnector}'s; this
 * class only carries text frames and says who is on the other end (address, {@code Authorization} header, verified
 * client certificate).
 *
 * <p>A second, small Javalin (Jetty 12) instance rather than routes on the API server: the LNS has its own port
 * (1887 by convention, as The Things Stack uses), its own TLS identity and client-certificate policy (asked for,
 * not required: a station may use a token instead), and none of the API's token and body rules apply to it. Javalin
 * is already the server's HTTP stack, so this costs no new dependency, and its websocket layer is Jetty's.
 */
public final class LnsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LnsServer.class.getName());
    private static final String CERT = "lorafab.lns.cert";
    private static final String EUI = "lorafab.lns.eui";
    /** A station's messages are small; a frame this large is refused by the websocket layer. */
    private static final long MAX_TEXT = LnsCodec.MAX_MESSAGE_CHARS;
    /** Stations send timesync every few seconds and uplinks; a socket silent this long is closed. */
    private static final Duration IDLE = Duration.ofMinutes(3);
    /** How long stopping waits for the stations to answer the close frames before the sockets are cut. */
    private static final Duration GOODBYE = Duration.ofSeconds(2);

    private final BasicsStationConnector stations;
    private final InetSocketAddress address;
    private final SslContextFactory.Server tls;
    private final Map<String, BasicsStationConnector.Session> sessions = new ConcurrentHashMap<>();
    /** The open traffic sockets, so that stopping says goodbye on each of them (see {@link #close()}). */
    private final Map<String, WsContext> sockets = new ConcurrentHashMap<>();
    private volatile ServerConnector connector;
    private Javalin app;

    /** @param tls the TLS set-up (wss://), or null for plain ws:// */
    public LnsServer(BasicsStationConnector stations, InetSocketAddress address, SslContextFactory.Server tls) {
        this.stations = Objects.requireNonNull(stations, "stations");
        this.address = Objects.requireNonNull(address, "address");
        this.tls = tls;
    }

    public LnsServer start() {
        app = Javalin.create(this::configure).start();
        LOG.log(System.Logger.Level.INFO, () -> "Basics Station LNS listening on " + scheme() + "://"
                + address.getHostString() + ":" + port());
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String scheme() {
        return tls == null ? "ws" : "wss";
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        QueuedThreadPool pool = new QueuedThreadPool(16, 4, 30_000);
        pool.setName("lorafab-lns");
        pool.setDaemon(true);
        config.jetty.threadPool = pool;
        config.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
        config.jetty.modifyWebSocketServletFactory(f -> {
            f.setMaxTextMessageSize(MAX_TEXT);
            f.setMaxBinaryMessageSize(1024);
            f.setIdleTimeout(IDLE);
        });
        config.jetty.addConnector((server, http) -> {
            ServerConnector c;
            if (tls == null) {
                c = new ServerConnector(server, new HttpConnectionFactory(http));
            } else {
                HttpConfiguration https = new HttpConfiguration(http);
                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                secure.setSniHostCheck(false); // stations reach the LNS by address as well as by name
                https.addCustomizer(secure);
                c = new ServerConnector(server, tls, new HttpConnectionFactory(https));
            }
            c.setHost(address.getHostString());
            c.setPort(address.getPort());
            connector = c;
            return c;
        });
        config.routes.wsBeforeUpgrade("/router-info", ctx -> ctx.attribute(CERT, clientCertificate(ctx)));
        config.routes.wsBeforeUpgrade("/traffic/{eui}", this::admitTraffic);
        config.routes.ws("/router-info", ws -> {
            ws.onMessage(ctx -> {
                InetSocketAddress remote = remote(ctx);
                ctx.send(stations.routerInfo(ctx.message(), remote.getAddress(),
                        Optional.ofNullable(ctx.header("Authorization")), Optional.ofNullable(ctx.attribute(CERT)),
                        scheme() + "://" + hostWithPort(ctx.header("Host"))));
                ctx.closeSession(1000, "");
            });
            ws.onError(ctx -> LOG.log(System.Logger.Level.DEBUG, () -> "router-info: " + ctx.error()));
        });
        config.routes.ws("/traffic/{eui}", ws -> {
            ws.onConnect(ctx -> {
                Eui64 eui = ctx.attribute(EUI);
                BasicsStationConnector.Session s = stations.open(eui, remote(ctx), new BasicsStationConnector.Link() {
                    @Override
                    public void send(String text) {
                        synchronized (this) {
                            ctx.send(text);
                        }
                    }

                    @Override
                    public void close(int code, String reason) {
                        ctx.closeSession(code, reason);
                    }
                });
                sessions.put(ctx.sessionId(), s);
                sockets.put(ctx.sessionId(), ctx);
            });
            ws.onMessage(ctx -> {
                BasicsStationConnector.Session s = sessions.get(ctx.sessionId());
                if (s != null) {
                    s.onText(ctx.message());
                }
            });
            ws.onBinaryMessage(ctx -> LOG.log(System.Logger.Level.DEBUG, "binary frame from a station ignored"));
            ws.onClose(ctx -> {
                sockets.remove(ctx.sessionId());
                BasicsStationConnector.Session s = sessions.remove(ctx.sessionId());
                if (s != null) {
                    s.onClose();
                }
            });
            ws.onError(ctx -> LOG.log(System.Logger.Level.DEBUG, () -> "traffic: " + ctx.error()));
        });
    }

    /**
     * The traffic socket of a gateway that is not allowed (or does not authenticate) is refused before the upgrade
     * (403), with the same rule as discovery.
     */
    private void admitTraffic(Context ctx) {
        Eui64 eui;
        try {
            eui = StationEui.parse(ctx.pathParam("eui"), "gateway");
        } catch (LnsProtocolException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        Optional<X509Certificate> cert = Optional.ofNullable(clientCertificate(ctx));
        Optional<String> why = stations.refusal(eui, peer(ctx), Optional.ofNullable(ctx.header("Authorization")), cert);
        if (why.isPresent()) {
            throw new ForbiddenResponse(why.get());
        }
        ctx.attribute(EUI, eui);
    }

    /** The peer's address: a literal, so no name is looked up. */
    private static InetAddress peer(Context ctx) {
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr());
        } catch (java.net.UnknownHostException e) {
            throw new BadRequestResponse("unknown peer address");
        }
    }

    private static X509Certificate clientCertificate(Context ctx) {
        Object certs = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        return certs instanceof X509Certificate[] a && a.length > 0 ? a[0] : null;
    }

    private static InetSocketAddress remote(WsContext ctx) {
        SocketAddress a = ctx.session.getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** The Host the station used, with the port: the station's muxs URI must carry one (tc.c). */
    private String hostWithPort(String host) {
        if (host == null || host.isBlank()) {
            return address.getHostString() + ":" + port();
        }
        boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.indexOf(':') >= 0;
        return hasPort ? host : host + ":" + port();
    }

    /**
     * Each station is told the server is going away (close 1001) before the server stops. Stopping Jetty alone does
     * not reliably close upgraded sockets: with both cores busy, a station saw no close for over 10 s in 2 of 5 runs of
     * VirtualBasicsStationTest (0 of 12 with the close frames), so it came back through discovery late or not at all.
     */
    @Override
    public void close() {
        if (app == null) {
            return;
        }
        for (WsContext ctx : sockets.values()) {
            try {
                ctx.closeSession(1001, "LNS stopping");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing a station socket: " + e);
            }
        }
        long deadline = System.nanoTime() + GOODBYE.toNanos();
        while (!sockets.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
    }
}
