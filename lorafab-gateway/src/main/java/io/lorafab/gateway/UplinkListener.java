package io.lorafab.gateway;

/**
 * Receives deduplicated uplinks from a {@link GatewayConnector}.
 *
 * <p>Called on one of the connector's threads, once per distinct frame. Implementations should return quickly
 * and hand heavy work (database, crypto) to their own executor: while this method runs, the connector delivers
 * no other uplink. An exception thrown here is counted and logged by the connector and otherwise ignored.
 */
@FunctionalInterface
public interface UplinkListener {
    void onUplink(Uplink uplink);
}
