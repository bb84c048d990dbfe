package io.lorafab.app.wiring;

import io.lorafab.joinserver.EventBus;
import io.lorafab.joinserver.bi.BiIdentity;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.ConsoleSessions;
import io.lorafab.provisioning.service.DeviceExports;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.Keys;
import io.lorafab.provisioning.service.Labels;
import io.lorafab.provisioning.service.Products;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.store.Registry;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.store.vault.Pkcs11Token;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * One lorafab instance's parts, wired: the database (migrated), the key vault with its KEKs, and the application
 * services, one per aggregate (products, EUI blocks, work orders, units, tokens, keys, exports, labels, audit
 * trail). Every command and the server open one of these; the HTTP API and the command line call the same
 * services, which hold every rule and write every audit record.
 */
public final class Lorafab implements AutoCloseable {

    private final Registry registry;
    private final Database database;
    private final LocalKeyVault vault;
    private final Provisioning provisioning;
    private final ApiTokens tokens;
    private final WorkOrders workOrders;
    private final Products products;
    private final EuiBlocks euiBlocks;
    private final Keys keys;
    private final DeviceExports exports;
    private final io.lorafab.provisioning.service.ChipIdentities chipIdentities;
    private final Labels labels;
    private final AuditTrail auditTrail;
    private final ConsoleSessions consoleSessions;
    private final io.lorafab.provisioning.service.LineReports reports;
    private final SecureRandom random;
    private final Path dataDir;
    private final Map<String, String> env;
    private final JdbcJoinStore joinStore;
    private final EventBus events = new EventBus();
    private final io.lorafab.provisioning.service.LineEvents lineEvents = new io.lorafab.provisioning.service.LineEvents();
    private final io.lorafab.provisioning.service.StationSteps stationSteps;
    private final io.lorafab.provisioning.service.SecureElementImport secureElementImport;
    private final Clock clock;
    /**
     * What the services and the join server count, kept from the start in one Prometheus registry: a registry added
     * to the composite only when a server starts would miss what was counted before (Micrometer warns on stderr,
     * and the demo's output is its own). A server's {@link ServerMeters} adds the JVM's meters and serves the scrape.
     */
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

    private Lorafab(JdbcRegistry registry, LocalKeyVault vault, SecureRandom random, Path dataDir, Map<String, String> env,
            Clock clock) {
        meters.add(prometheus);
        this.registry = registry;
        this.database = registry.database();
        this.clock = clock;
        this.vault = vault;
        this.random = random;
        this.dataDir = dataDir;
        this.env = Map.copyOf(env);
        this.joinStore = new JdbcJoinStore(registry.database(), Clock.systemUTC());
        this.provisioning = new Provisioning(registry, vault, random, ScannedLabels::parse, meters, lineEvents);
        this.tokens = new ApiTokens(registry, random, BiIdentity::checkTokenName);
        this.workOrders = new WorkOrders(registry, clock);
        this.products = new Products(registry);
        this.euiBlocks = new EuiBlocks(registry);
        this.keys = new Keys(registry, vault, random, clock);
        this.exports = new DeviceExports(provisioning);
        this.chipIdentities = new io.lorafab.provisioning.service.ChipIdentities(provisioning);
        this.secureElementImport = new io.lorafab.provisioning.service.SecureElementImport(provisioning, clock);
        this.labels = new Labels(registry);
        this.auditTrail = new AuditTrail(registry, clock);
        this.consoleSessions = new ConsoleSessions(registry, tokens, clock, random);
        this.reports = new io.lorafab.provisioning.service.LineReports(registry, joinStore, clock);
        this.stationSteps = new io.lorafab.provisioning.service.StationSteps(clock, lineEvents);
        // a unit's radio events (join accepted, uplink verified) move its station's screen on
        events.subscribe(e -> lineEvents.unitHeard(e.devEui()));
    }

    /**
     * @param dbUrl JDBC URL, or null for the embedded SQLite file under {@code dataDir}
     * @param dataDir folder of the embedded database and the KEK file
     */
    public static Lorafab open(String dbUrl, Path dataDir, Map<String, String> env, Clock clock) {
        return open(dbUrl, dataDir, env, clock, true);
    }

    /**
     * As {@link #open}, but the registry must exist already: a missing SQLite file or a PostgreSQL database
     * without lorafab's schema is refused ({@code registry_missing}) before anything is created, also no KEK file.
     */
    public static Lorafab openExisting(String dbUrl, Path dataDir, Map<String, String> env, Clock clock) {
        return open(dbUrl, dataDir, env, clock, false);
    }

    /** The JDBC URL of the registry: the one given, or the embedded SQLite file in the data folder. */
    public static String url(String dbUrl, Path dataDir) {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve(DB_FILE);
    }

    /** The embedded database's file name in the data folder. */
    public static final String DB_FILE = "lorafab.db";

    private static Lorafab open(String dbUrl, Path dataDir, Map<String, String> env, Clock clock, boolean create) {
        String url = url(dbUrl, dataDir);
        SecureRandom random = new SecureRandom();
        // a PKCS#11 token (LORAFAB_PKCS11_*) is opened and logged in to first, before the database is made and any port
        // is opened: a missing module or slot, or a wrong PIN, stops the start with one line and leaves nothing behind
        Pkcs11Token token = Pkcs11Token.fromEnv(env);
        Database db = create ? Database.open(url) : Database.openExisting(url);
        KekRing ring;
        try {
            ring = KekRing.load(env, dataDir, random, token);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        JdbcRegistry registry = new JdbcRegistry(db, clock);
        try {
            return new Lorafab(registry, new LocalKeyVault(ring, registry), random, dataDir, env, clock);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** The registry: every store, for the services and adapters that need one (they depend on the store's interface). */
    public Registry registry() {
        return registry;
    }

    /** The database under the registry (its dialect and URL, for status lines). */
    public Database database() {
        return database;
    }

    public LocalKeyVault vault() {
        return vault;
    }

    public Provisioning provisioning() {
        return provisioning;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    /** The web console's sign-in sessions and one-time sign-in codes. */
    public ConsoleSessions consoleSessions() {
        return consoleSessions;
    }

    /** The clock the registry timestamps with; also "now" for relative times users give ({@code --since 24h}). */
    public Clock clock() {
        return clock;
    }

    public WorkOrders workOrders() {
        return workOrders;
    }

    public Products products() {
        return products;
    }

    public EuiBlocks euiBlocks() {
        return euiBlocks;
    }

    /** KEK rotation and re-wrap. */
    public Keys keys() {
        return keys;
    }

    /** Units of a secure-element manifest (Microchip TNGLoRa) registered without keys. */
    public io.lorafab.provisioning.service.SecureElementImport secureElementImport() {
        return secureElementImport;
    }

    /** Devices exported with their keys for a network server. */
    /** The chip identities LR11xx-style parts report at end of line. */
    public io.lorafab.provisioning.service.ChipIdentities chipIdentities() {
        return chipIdentities;
    }

    public DeviceExports exports() {
        return exports;
    }

    public Labels labels() {
        return labels;
    }

    /** Reading the audit trail. */
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    /** The reports the console's pages and the API's report routes read (line, orders, units, stations). */
    public io.lorafab.provisioning.service.LineReports reports() {
        return reports;
    }

    /** The join server's durable state (nonces, sessions, radio events). */
    public JdbcJoinStore joinStore() {
        return joinStore;
    }

    /** "Station X changed" in this process: units committed, steps reported, radio events heard (live station screens). */
    public io.lorafab.provisioning.service.LineEvents lineEvents() {
        return lineEvents;
    }

    /** The step each station last reported (in memory: live state for its screen). */
    public io.lorafab.provisioning.service.StationSteps stationSteps() {
        return stationSteps;
    }

    /** Radio events of this process, for long-poll waiters and the MQTT publisher. */
    public EventBus events() {
        return events;
    }

    /** What the services and the join server count into. */
    public CompositeMeterRegistry meters() {
        return meters;
    }

    /** The one registry behind {@link #meters()}, scraped at {@code GET /metrics}. */
    public io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    public SecureRandom random() {
        return random;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The environment this instance was opened with (KEK variables). */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        registry.close();
        prometheus.close();
    }
}
