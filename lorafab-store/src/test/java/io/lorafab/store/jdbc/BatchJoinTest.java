package io.lorafab.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.JoinAudit;
import io.lorafab.store.join.JoinGrant;
import io.lorafab.store.join.NewSession;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joins committed together by {@link BatchJoin}, on SQLite and PostgreSQL: each request of a batch is decided as
 * if it had been committed alone, in the order given, and one that fails does not fail the others. The batches are
 * made here directly (the group commit makes them from whatever is waiting, which a test cannot arrange).
 */
class BatchJoinTest {

    static final NetId NET = NetId.parse("000013");
    static final Eui64 A = Eui64.of(0x70b3d57ed000a001L); // LoRaWAN 1.0.3: a DevNonce is used once
    static final Eui64 B = Eui64.of(0x70b3d57ed000a002L); // LoRaWAN 1.0.4: DevNonces grow
    static final Eui64 C = Eui64.of(0x70b3d57ed000a003L); // 1.0.3, joined once before the batch

    private JdbcRegistry registry;
    private LocalKeyVault vault;
    private String url;

    private void open(String dialect) throws Exception {
        url = dialect.equals("sqlite") ? "jdbc:sqlite:" + Files.createTempDirectory("lorafab-batch-join").resolve("lorafab.db")
                : TestPostgres.freshSchema();
        registry = new JdbcRegistry(Database.open(url), Clock.systemUTC());
        vault = new LocalKeyVault(KekRing.of(List.of(new Kek("test-kek", new byte[32]))), registry);
    }

    @AfterEach
    void close() {
        registry.close();
        if (url.startsWith("jdbc:postgresql:")) {
            TestPostgres.drop(url);
        }
    }

    private Function<JoinGrant, NewSession> session(String kekLabel) {
        return g -> {
            var w = vault.wrapAll(AesKey.of(new byte[16]), AesKey.of(new byte[16]), AesKey.of(new byte[16]), AesKey.of(new byte[16]));
            return new NewSession(Long.toHexString(System.nanoTime()) + "-" + g.joinNonce().value() + "-" + g.devAddr(),
                    kekLabel == null ? w.kekLabel() : kekLabel, w.wrapped().get(0), w.wrapped().get(1), w.wrapped().get(2),
                    w.wrapped().get(3), false, null);
        };
    }

    private BatchJoin.Request request(Eui64 dev, MacVersion v, int devNonce, DevAddr given, Function<JoinGrant, NewSession> build) {
        return new BatchJoin.Request(dev, v, DevNonce.of(devNonce), NET, given, build,
                g -> RadioEvent.of(dev, "join_accepted", null, null, null, null, null, null,
                        "{\"devNonce\":" + devNonce + ",\"joinNonce\":" + g.joinNonce().value() + "}"),
                new JoinAudit("ns", "join.accept", s -> "session=" + s.id()), Instant.now());
    }

    private BatchJoin.Request request(Eui64 dev, MacVersion v, int devNonce) {
        return request(dev, v, devNonce, null, session(null));
    }

    private List<BatchJoin.Outcome> batch(List<BatchJoin.Request> requests) {
        Database db = registry.database();
        return db.tx(c -> BatchJoin.run(c, db, requests));
    }

    private static String code(BatchJoin.Outcome o) {
        return o.refusal() == null ? "granted " + o.commit().session().joinNonce()
                : o.refusal() instanceof StoreException e ? e.code().code() : o.refusal().getClass().getSimpleName();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void eachJoinOfABatchIsDecidedAsIfCommittedAloneInTheOrderGiven(String dialect) throws Exception {
        open(dialect);
        assertThat(code(batch(List.of(request(C, MacVersion.V1_0_3, 7))).get(0))).isEqualTo("granted 1");

        // table: request -> outcome, in the order of the batch
        Object[][] cases = {
            {A, MacVersion.V1_0_3, 1, "granted 1"},
            {A, MacVersion.V1_0_3, 1, "dev_nonce_reused"},    // used by the request before it in the same batch
            {A, MacVersion.V1_0_3, 0, "granted 2"},           // 1.0.3 DevNonces need not grow
            {B, MacVersion.V1_0_4, 5, "granted 1"},
            {B, MacVersion.V1_0_4, 5, "dev_nonce_too_small"},
            {B, MacVersion.V1_0_4, 4, "dev_nonce_too_small"},
            {B, MacVersion.V1_0_4, 6, "granted 2"},
            {C, MacVersion.V1_0_3, 7, "dev_nonce_reused"},    // used in an earlier transaction
            {C, MacVersion.V1_0_3, 8, "granted 2"},
        };
        List<BatchJoin.Request> requests = new ArrayList<>();
        for (Object[] c : cases) {
            requests.add(request((Eui64) c[0], (MacVersion) c[1], (Integer) c[2]));
        }
        List<BatchJoin.Outcome> out = batch(requests);
        for (int i = 0; i < cases.length; i++) {
            assertThat(code(out.get(i))).as("case %d", i).isEqualTo(cases[i][3]);
        }

        JdbcJoinStore joins = new JdbcJoinStore(registry.database(), Clock.systemUTC());
        assertThat(joins.joinState(A).orElseThrow()).containsExactly(2L, 0L);
        assertThat(joins.joinState(B).orElseThrow()).containsExactly(2L, 6L);
        assertThat(joins.joinState(C).orElseThrow()).containsExactly(2L, 8L);
        Set<DevAddr> addrs = new HashSet<>();
        for (BatchJoin.Outcome o : out) {
            if (o.refusal() != null) {
                continue;
            }
            var s = o.commit().session();
            assertThat(addrs.add(s.devAddr())).as("DevAddrs of one batch are distinct").isTrue();
            assertThat(joins.sessionByKeyId(s.sessionKeyId()).orElseThrow().id()).isEqualTo(s.id());
            // the event returned is the one stored, with its id
            RadioEvent e = o.commit().event();
            assertThat(joins.events(s.devEui(), e.id() - 1, 1)).singleElement()
                    .satisfies(stored -> assertThat(stored.details()).isEqualTo(e.details()));
            assertThat(e.details()).contains("\"joinNonce\":" + s.joinNonce());
            assertThat(registry.auditLog(new AuditQuery(null, null, s.devEui().toString(), null, null, 100)))
                    .anySatisfy(a -> assertThat(a.details()).isEqualTo("session=" + s.id()));
        }
        assertThat(addrs).hasSize(5);
        // the refused DevNonces were not recorded: each is refused again for the same reason, the granted ones too
        assertThat(code(batch(List.of(request(A, MacVersion.V1_0_3, 0), request(A, MacVersion.V1_0_3, 2))).get(1)))
                .isEqualTo("granted 3");
        // a device whose DevNonces were reset (its memory lost) starts again from any DevNonce; the JoinNonce goes on
        joins.resetDevNonces(B, "test");
        assertThat(code(batch(List.of(request(B, MacVersion.V1_0_4, 0))).get(0))).isEqualTo("granted 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void whatTheDatabaseOrACallbackRefusesFailsOnlyThatJoinOfTheBatch(String dialect) throws Exception {
        open(dialect);
        Function<JoinGrant, NewSession> throwing = g -> {
            throw new IllegalStateException("vault unavailable");
        };
        List<BatchJoin.Outcome> out = batch(List.of(
                request(A, MacVersion.V1_0_3, 1),
                request(B, MacVersion.V1_0_4, 1, null, session("no-such-kek")), // session.kek_label references kek
                request(B, MacVersion.V1_0_4, 2),
                request(C, MacVersion.V1_0_3, 1, null, throwing),
                request(C, MacVersion.V1_0_3, 2, DevAddr.parse("26000001"), session(null)))); // a network server's DevAddr
        assertThat(out).extracting(BatchJoinTest::code).containsExactly("granted 1", "constraint_violation", "granted 1",
                "IllegalStateException", "granted 1");
        assertThat(out.get(4).commit().session().devAddr()).isEqualTo(DevAddr.parse("26000001"));

        JdbcJoinStore joins = new JdbcJoinStore(registry.database(), Clock.systemUTC());
        assertThat(joins.joinState(B).orElseThrow()).containsExactly(1L, 2L);
        // the failed joins recorded nothing: their DevNonces are still usable
        joins.checkDevNonce(C, MacVersion.V1_0_3, DevNonce.of(1));
        assertThat(code(batch(List.of(request(C, MacVersion.V1_0_3, 1))).get(0))).isEqualTo("granted 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBatchLargerThanOneStatementCarriesIsWrittenInChunksAndMissesNoJoin(String dialect) throws Exception {
        open(dialect);
        int n = BatchJoin.MAX_ROWS + 37; // chunks of 64, 32, 4 and 1 rows; the reads padded to 64 and 64
        List<BatchJoin.Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(request(Eui64.of(0x70b3d57ed000b000L + i), i % 2 == 0 ? MacVersion.V1_0_3 : MacVersion.V1_0_4, i));
        }
        requests.add(request(Eui64.of(0x70b3d57ed000b000L), MacVersion.V1_0_3, 0)); // the first one again
        List<BatchJoin.Outcome> out = batch(requests);
        assertThat(out.subList(0, n)).extracting(BatchJoinTest::code).containsOnly("granted 1");
        assertThat(code(out.get(n))).isEqualTo("dev_nonce_reused");
        assertThat(out.subList(0, n)).extracting(o -> o.commit().session().devAddr()).doesNotHaveDuplicates();
        assertThat(out.subList(0, n)).extracting(o -> o.commit().event().id()).doesNotHaveDuplicates();
        JdbcJoinStore joins = new JdbcJoinStore(registry.database(), Clock.systemUTC());
        for (int i = 0; i < n; i++) {
            BatchJoin.Outcome o = out.get(i);
            assertThat(joins.joinState(o.commit().session().devEui()).orElseThrow()).containsExactly(1L, (long) i);
            assertThat(joins.events(o.commit().session().devEui(), 0, 10)).singleElement()
                    .satisfies(e -> assertThat(e.id()).isEqualTo(o.commit().event().id()));
        }
    }

    /**
     * The batch takes its rows' ids before inserting them (RowIds): they must come after every row inserted before, in
     * the order of the requests, and a row inserted afterwards the usual way (the database generating its id) must
     * come after them: the id sequence moves as if the batch had inserted its rows one by one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void idsTakenByABatchFollowEarlierRowsInRequestOrderAndPrecedeLaterOnes(String dialect) throws Exception {
        open(dialect);
        Database db = registry.database();
        long before = db.tx(c -> JdbcContext.insert(c, "INSERT INTO radio_event (at, kind) VALUES ('2026-12-07T00:00:00Z', 'test')"));
        List<BatchJoin.Outcome> out = batch(List.of(request(A, MacVersion.V1_0_3, 1), request(B, MacVersion.V1_0_4, 1),
                request(C, MacVersion.V1_0_3, 1)));
        long after = db.tx(c -> JdbcContext.insert(c, "INSERT INTO radio_event (at, kind) VALUES ('2026-12-07T00:00:01Z', 'test')"));
        List<Long> events = out.stream().map(o -> o.commit().event().id()).toList();
        List<Long> sessions = out.stream().map(o -> o.commit().session().id()).toList();
        assertThat(events).isSorted().doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isBetween(before + 1, after - 1));
        assertThat(sessions).isSorted().doesNotHaveDuplicates();
        // the next join, committed alone, gets the next session id
        BatchJoin.Outcome next = batch(List.of(request(A, MacVersion.V1_0_3, 2))).get(0);
        assertThat(next.commit().session().id()).isGreaterThan(sessions.get(2));
        assertThat(next.commit().event().id()).isGreaterThan(after);
    }
}
