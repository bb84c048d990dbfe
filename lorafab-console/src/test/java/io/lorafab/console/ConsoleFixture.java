package io.lorafab.console;

import io.javalin.Javalin;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.io.WrapKek;
import io.lorafab.provisioning.io.WrapKeks;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.DeviceExports;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.ConsoleSessions;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.Keys;
import io.lorafab.provisioning.service.Labels;
import io.lorafab.provisioning.service.LineReports;
import io.lorafab.provisioning.service.Products;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Role;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.testkit.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The console on a real Javalin server (port 0, loopback) over the real services on a SQLite registry in a
 * temporary folder, with a clock the test moves. Configured as the API server configures Javalin where it matters
 * to the console (a trailing slash is its own path).
 */
final class ConsoleFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T07:00:00Z"));
    final SecureRandom random = new SecureRandom();
    final JdbcRegistry registry;
    final LocalKeyVault vault;
    final ApiTokens tokens;
    final ConsoleSessions sessions;
    final Products products;
    final Provisioning provisioning;
    final WorkOrders workOrders;
    final DeviceExports exports;
    /** The one export KEK, labelled {@link #EXPORT_KEK_LABEL} (a network server's). */
    final WrapKek exportKek = new WrapKek(EXPORT_KEK_LABEL, java.util.HexFormat.of().parseHex("8c1f2a9e47d03b6651e2f07ac4d98b13"));
    static final String EXPORT_KEK_LABEL = "ns-kek-1";
    final io.lorafab.provisioning.service.LineEvents lineEvents = new io.lorafab.provisioning.service.LineEvents();
    final io.lorafab.store.jdbc.JdbcJoinStore joinStore;
    final EuiBlocks euiBlocks;
    final io.lorafab.provisioning.service.StationSteps stationSteps;
    final AuditTrail auditTrail;
    final LineReports reports;
    /** What the gateways page shows (null: no gateway listener); a test sets it. */
    final AtomicReference<GatewaysView> gateways = new AtomicReference<>();
    final Console console;
    final Javalin app;
    final String base;

    ConsoleFixture(Path dir) {
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("lorafab.db")), clock);
        vault = new LocalKeyVault(KekRing.load(Map.of(), dir, random), registry);
        tokens = new ApiTokens(registry, random);
        sessions = new ConsoleSessions(registry, tokens, clock, random);
        products = new Products(registry);
        joinStore = new io.lorafab.store.jdbc.JdbcJoinStore(registry.database(), clock);
        provisioning = new Provisioning(registry, vault, random, Provisioning::plainDevEui,
                new io.micrometer.core.instrument.composite.CompositeMeterRegistry(), lineEvents);
        workOrders = new WorkOrders(registry, clock);
        euiBlocks = new EuiBlocks(registry);
        stationSteps = new io.lorafab.provisioning.service.StationSteps(clock, lineEvents);
        exports = new DeviceExports(provisioning);
        WrapKeks exportKeks = new WrapKeks() {
            @Override
            public java.util.List<String> labels() {
                return java.util.List.of(EXPORT_KEK_LABEL);
            }

            @Override
            public WrapKek byLabel(String label) {
                return label.equals(EXPORT_KEK_LABEL) ? exportKek : WrapKeks.none().byLabel(label);
            }
        };
        auditTrail = new AuditTrail(registry, clock);
        reports = new LineReports(registry, joinStore, clock);
        console = new Console(new Console.Services(products, euiBlocks, workOrders, provisioning, tokens,
                new Keys(registry, vault, random, clock), auditTrail, sessions, exports, exportKeks, reports, stationSteps, lineEvents,
                new Labels(registry), gateways::get), clock);
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.router.ignoreTrailingSlashes = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            console.configure(cfg);
        }).start();
        base = "http://127.0.0.1:" + app.port();
    }

    String token(String name, Role role) {
        return tokens.create(name, role, "test").secret();
    }

    void product(String name) {
        products.create(new NewProduct(name, Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, Region.byName("EU868"),
                new ProfileId(0xFFFF, 0x0001), "at:rak3172", -110.0, -7.5), null, "test");
    }

    @Override
    public void close() {
        app.stop();
        registry.close();
    }
}
