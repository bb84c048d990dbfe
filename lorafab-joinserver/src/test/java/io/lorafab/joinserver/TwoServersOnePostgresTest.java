package io.lorafab.joinserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.testkit.TestPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One join-request replayed to two join servers sharing one PostgreSQL database yields exactly one join-accept. */
class TwoServersOnePostgresTest {

    @Test
    void aReplayedJoinRequestIsAcceptedOnce() throws Exception {
        String url = TestPostgres.freshSchema();
        List<Kek> keks = List.of(new Kek("k1", new byte[32]));
        try (JdbcRegistry a = new JdbcRegistry(Database.open(url), Clock.systemUTC());
                JdbcRegistry b = new JdbcRegistry(Database.open(url), Clock.systemUTC())) {
            LocalKeyVault va = new LocalKeyVault(KekRing.of(keks), a);
            LocalKeyVault vb = new LocalKeyVault(KekRing.of(keks), b);
            JoinServerConfig cfg = JoinServerConfig.defaults().withRateLimits(0, 0);
            JoinServer[] servers = {
                new JoinServer(a, new JdbcJoinStore(a.database(), Clock.systemUTC()), va, cfg, Clock.systemUTC(), new EventBus()),
                new JoinServer(b, new JdbcJoinStore(b.database(), Clock.systemUTC()), vb, cfg, Clock.systemUTC(), new EventBus())};
            int devices = 20;
            List<byte[]> requests = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                Eui64 dev = Eui64.of(0x0004a30b00100000L + i);
                MacVersion v = i % 2 == 0 ? MacVersion.V1_0_3 : MacVersion.V1_0_4;
                a.insertUnit(new NewUnit(dev, JoinServerTest.JOIN_EUI, null, null, null, null, v, Region.byName("EU868"),
                        va.wrap(JoinServerTest.APP_KEY, null), UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
                requests.add(JoinServerTest.joinRequest(dev, 100 + i, JoinServerTest.APP_KEY));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            int accepted = 0;
            int refused = 0;
            for (byte[] jr : requests) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> f = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    JoinServer server = servers[s % 2];
                    f.add(pool.submit(() -> {
                        go.await();
                        try {
                            server.handle(jr, JoinServerTest.META, Optional.empty());
                            return true;
                        } catch (JoinRejection r) {
                            assertThat(r.code().code()).isIn("dev_nonce_reused", "dev_nonce_too_small");
                            return false;
                        }
                    }));
                }
                go.countDown();
                int ok = 0;
                for (Future<Boolean> x : f) {
                    ok += x.get() ? 1 : 0;
                }
                assertThat(ok).isEqualTo(1);
                accepted += ok;
                refused += 4 - ok;
            }
            pool.shutdown();
            assertThat(accepted).isEqualTo(devices);
            assertThat(refused).isEqualTo(3 * devices);
        } finally {
            TestPostgres.drop(url);
        }
    }
}
