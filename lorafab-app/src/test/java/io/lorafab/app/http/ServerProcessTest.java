package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import io.lorafab.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real server processes: killed mid-stream, and two of them sharing one PostgreSQL database. */
class ServerProcessTest {

    static final Eui64 FIRST = Eui64.parse("70b3d57ed0020000");

    @TempDir
    Path dataDir;

    /** Creates product, block, order WO-1 (quantity 100000) and returns an operator token. */
    static String setUp(Path dataDir, String url) {
        return setUp(dataDir, url, Map.of());
    }

    /** As {@link #setUp(Path, String)}, with these environment variables (e.g. a PKCS#11 token for the KEK). */
    static String setUp(Path dataDir, String url, Map<String, String> env) {
        try (Lorafab lf = Lorafab.open(url, dataDir, env, Clock.systemUTC())) {
            var p = lf.registry().createProduct(new NewProduct("sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3,
                    Region.byName("EU868"), new ProfileId(1, 1), null, null, null));
            lf.registry().createEuiBlock(new NewEuiBlock("b1", p.id(), Assignment.MA_S, "70b3d57ed", FIRST, 1_000_000));
            lf.registry().createWorkOrder("WO-1", p.id(), 100_000);
            return lf.tokens().create("line", Role.OPERATOR, "test").secret();
        }
    }

    @Test
    void aKilledServerLosesNoReservationAndReusesNoEui() throws Exception {
        killedServerLosesNoReservationAndReusesNoEui(Map.of());
    }

    /** The same with the KEK in a PKCS#11 token (SoftHSM2): every key handed out is stored, wrapped in the token. */
    @Test
    void aKilledServerWithItsKekInAnHsmLosesNoReservationAndReusesNoEui() throws Exception {
        killedServerLosesNoReservationAndReusesNoEui(io.lorafab.testkit.SoftHsm.freshToken().env());
    }

    private void killedServerLosesNoReservationAndReusesNoEui(Map<String, String> env) throws Exception {
        String token = setUp(dataDir, null, env);
        Map<Eui64, String> received = new ConcurrentHashMap<>();
        ServerProcess server = ServerProcess.start(dataDir, null, List.of(), env);
        ApiClient client = new ApiClient(server.baseUrl(), token);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    try {
                        ApiClient.Reply r = client.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st\"}");
                        if (r.status() == 201) {
                            received.put(Eui64.parse(r.json().get("devEui").asText()), r.json().get("appKey").asText());
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            });
        }
        while (received.size() < 200) {
            Thread.sleep(5);
        }
        server.kill();
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        long before;
        try (Lorafab lf = Lorafab.open(null, dataDir, env, Clock.systemUTC())) {
            assertThat(lf.vault().ring().active().inToken()).isEqualTo(!env.isEmpty());
            for (Map.Entry<Eui64, String> e : received.entrySet()) {
                Unit u = lf.registry().unit(e.getKey()).orElseThrow(() -> new AssertionError("lost " + e.getKey()));
                assertThat(u.state()).isEqualTo(UnitState.RESERVED);
                assertThat(lf.vault().unwrapAppKey(u.keys())).isEqualTo(AesKey.parse(e.getValue()));
            }
            before = lf.registry().units(UnitQuery.all()).size();
            assertContiguous(lf, before);
        }

        try (ServerProcess again = ServerProcess.start(dataDir, null, List.of(), env)) {
            ApiClient c2 = new ApiClient(again.baseUrl(), token);
            for (int i = 0; i < 20; i++) {
                JsonNode r = c2.post("/api/orders/WO-1/reserve", "{}").json();
                Eui64 eui = Eui64.parse(r.get("devEui").asText());
                assertThat(received).doesNotContainKey(eui);
                assertThat(eui).isEqualTo(Eui64.of(FIRST.value() + before + i));
            }
        }
    }

    @Test
    void twoServersOnOnePostgresHandOutDistinctContiguousEuis() throws Exception {
        String url = TestPostgres.freshSchema();
        try {
            String token = setUp(dataDir, url);
            try (ServerProcess a = ServerProcess.start(dataDir, url); ServerProcess b = ServerProcess.start(dataDir, url)) {
                List<ApiClient> clients = List.of(new ApiClient(a.baseUrl(), token), new ApiClient(b.baseUrl(), token));
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<List<Eui64>>> futures = new ArrayList<>();
                AtomicInteger failures = new AtomicInteger();
                for (int t = 0; t < 8; t++) {
                    ApiClient c = clients.get(t % 2);
                    futures.add(pool.submit(() -> {
                        List<Eui64> mine = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            ApiClient.Reply r = c.post("/api/orders/WO-1/reserve", "{}");
                            if (r.status() != 201) {
                                failures.incrementAndGet();
                                continue;
                            }
                            mine.add(Eui64.parse(r.json().get("devEui").asText()));
                        }
                        return mine;
                    }));
                }
                List<Eui64> all = new ArrayList<>();
                for (Future<List<Eui64>> f : futures) {
                    all.addAll(f.get());
                }
                pool.shutdown();
                assertThat(failures.get()).isZero();
                assertThat(all).doesNotHaveDuplicates().hasSize(400);
                Collections.sort(all);
                assertThat(all.get(0)).isEqualTo(FIRST);
                assertThat(all.get(399)).isEqualTo(Eui64.of(FIRST.value() + 399));
            }
        } finally {
            TestPostgres.drop(url);
        }
    }

    private static void assertContiguous(Lorafab lf, long count) {
        List<Eui64> euis = new ArrayList<>();
        for (Unit u : lf.registry().units(UnitQuery.all())) {
            euis.add(u.devEui());
        }
        Collections.sort(euis);
        assertThat(euis).doesNotHaveDuplicates();
        assertThat(euis.get(0)).isEqualTo(FIRST);
        assertThat(euis.get(euis.size() - 1)).isEqualTo(Eui64.of(FIRST.value() + count - 1));
    }
}
