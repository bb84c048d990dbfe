package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.types.Eui64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Semtech UDP listener and the Basics Station server as one {@link GatewayConnector}: Basics Station receptions
 * join the UDP connector's deduplication window ({@link SemtechUdpConnector#offerReception}), so one frame heard by
 * gateways of both kinds reaches the listener once, with every reception; a downlink goes through the transport of
 * the gateway the planner chose (a connected station first, else the UDP gateway).
 */
public final class CombinedConnector implements GatewayConnector {

    private final SemtechUdpConnector udp;
    private final BasicsStationConnector stations;

    public CombinedConnector(SemtechUdpConnector udp, BasicsStationConnector stations) {
        this.udp = Objects.requireNonNull(udp, "udp");
        this.stations = Objects.requireNonNull(stations, "stations");
    }

    @Override
    public void start(UplinkListener listener) {
        udp.start(listener);
        stations.startWith(udp::offerReception);
    }

    private GatewayConnector via(Eui64 gateway) {
        return stations.gateways().hasDownlinkRoute(gateway) ? stations : udp;
    }

    @Override
    public CompletableFuture<TxResult> send(Eui64 gatewayEui, Txpk txpk) {
        return via(gatewayEui).send(gatewayEui, txpk);
    }

    @Override
    public CompletableFuture<TxResult> send(Eui64 gatewayEui, Eui64 devEui, Txpk txpk) {
        return via(gatewayEui).send(gatewayEui, devEui, txpk);
    }

    @Override
    public CompletableFuture<DownlinkResult> sendClassA(Eui64 gatewayEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout) {
        return via(gatewayEui).sendClassA(gatewayEui, rx1, rx2, fallbackOnTimeout);
    }

    @Override
    public CompletableFuture<DownlinkResult> sendClassA(Eui64 gatewayEui, Eui64 devEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout) {
        return via(gatewayEui).sendClassA(gatewayEui, devEui, rx1, rx2, fallbackOnTimeout);
    }

    @Override
    public GatewayRegistry gateways() {
        GatewayRegistry u = udp.gateways();
        GatewayRegistry s = stations.gateways();
        return new GatewayRegistry() {
            @Override
            public Optional<GatewayState> get(Eui64 gatewayEui) {
                return u.get(gatewayEui);
            }

            @Override
            public List<GatewayState> all() {
                return u.all();
            }

            @Override
            public boolean hasDownlinkRoute(Eui64 gatewayEui) {
                return s.hasDownlinkRoute(gatewayEui) || u.hasDownlinkRoute(gatewayEui);
            }
        };
    }

    @Override
    public void close() {
        stations.close();
        udp.close();
    }
}
