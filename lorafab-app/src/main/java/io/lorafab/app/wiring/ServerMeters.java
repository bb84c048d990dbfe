package io.lorafab.app.wiring;

import io.lorafab.store.UnitStore;
import io.lorafab.store.model.UnitState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server's {@code GET /metrics} shows: the instance's Prometheus registry ({@link Lorafab#prometheus()}), where
 * the services (joins, reservations) and the gateway listener count, with the JVM's basics and
 * {@code lorafab_units{state}} bound to it while the server runs.
 */
public final class ServerMeters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerMeters.class);
    /** How long one read of the unit counts serves scrapes: a scrape a second must not become a query a second. */
    static final long UNIT_COUNTS_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Lorafab lorafab;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final UnitCounts unitCounts;

    public ServerMeters(Lorafab lorafab) {
        this.lorafab = lorafab;
        this.prometheus = lorafab.prometheus();
        new JvmMemoryMetrics().bindTo(prometheus);
        gc.bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        this.unitCounts = new UnitCounts(lorafab.registry());
        for (UnitState s : UnitState.values()) {
            Gauge.builder("lorafab.units", unitCounts, c -> c.count(s)).description("Units by state (read at most every 5 s)")
                    .tag("state", s.name()).register(prometheus);
        }
    }

    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    /** The scrape in the Prometheus text format 0.0.4. */
    public String scrape() {
        return prometheus.scrape();
    }

    @Override
    public void close() {
        gc.close();
    }

    /** Unit counts by state, read from the store at most once per {@link #UNIT_COUNTS_TTL_NANOS}. */
    static final class UnitCounts {
        private final UnitStore store;
        private Map<UnitState, Long> counts;
        private long readAt;

        UnitCounts(UnitStore store) {
            this.store = store;
        }

        synchronized double count(UnitState state) {
            long now = System.nanoTime();
            if (counts == null || now - readAt >= UNIT_COUNTS_TTL_NANOS) {
                try {
                    counts = new EnumMap<>(store.unitCounts(null));
                } catch (RuntimeException e) {
                    // the scrape goes on with what was read before (nothing: NaN); the database's trouble shows elsewhere
                    LOG.debug("unit counts for the metrics: {}", e.toString());
                    if (counts == null) {
                        return Double.NaN;
                    }
                }
                readAt = now;
            }
            return counts.getOrDefault(state, 0L);
        }
    }
}
