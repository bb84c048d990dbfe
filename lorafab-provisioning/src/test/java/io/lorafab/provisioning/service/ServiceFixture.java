package io.lorafab.provisioning.service;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.testkit.MutableClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The application services on a real SQLite registry in a temporary folder, with a key file there and a clock the
 * test moves.
 */
final class ServiceFixture implements AutoCloseable {

    static final String ACTOR = "test:engineer";

    final MutableClock clock;
    final JdbcRegistry registry;
    final LocalKeyVault vault;
    final SecureRandom random = new SecureRandom();
    final Provisioning units;
    final Products products;
    final EuiBlocks blocks;
    final WorkOrders orders;
    final ApiTokens tokens;
    final Keys keys;
    final AuditTrail audit;

    ServiceFixture(Path dir, Instant now) {
        clock = new MutableClock(now);
        registry = new JdbcRegistry(Database.open("jdbc:sqlite:" + dir.resolve("lorafab.db")), clock);
        vault = new LocalKeyVault(KekRing.load(Map.of(), dir, random), registry);
        units = new Provisioning(registry, vault, random, Provisioning::plainDevEui);
        products = new Products(registry);
        blocks = new EuiBlocks(registry);
        orders = new WorkOrders(registry, clock);
        tokens = new ApiTokens(registry, random);
        keys = new Keys(registry, vault, random, clock);
        audit = new AuditTrail(registry, clock);
    }

    Product sensor() {
        return products.create(new NewProduct("sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_1, io.lorafab.lorawan.region.Region.byName("US915"),
                ProfileId.parse("12340001"), null, null, null, null), null, ACTOR);
    }

    /** The newest audit record of {@code action}. */
    AuditEvent last(String action) {
        List<AuditEvent> found = registry.auditLog(100).stream().filter(e -> e.action().equals(action)).toList();
        if (found.isEmpty()) {
            throw new AssertionError("no audit record " + action + " in " + registry.auditLog(100));
        }
        return found.get(0);
    }

    @Override
    public void close() {
        registry.close();
    }
}
