package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.JoinAudit;
import io.lorafab.store.join.JoinCommit;
import io.lorafab.store.join.JoinGrant;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.NewSession;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/** {@link JoinStore} on SQLite or PostgreSQL. */
public final class JdbcJoinStore implements JoinStore {

    private static final String SESSION_COLS = "id, session_key_id, dev_eui, dev_addr, net_id, mac_version, lorawan11, "
            + "join_nonce, dev_nonce, kek_label, f_nwk_s_int_key_wrapped, s_nwk_s_int_key_wrapped, nwk_s_enc_key_wrapped, "
            + "app_s_key_wrapped, last_fcnt_up, created_at, as_id";
    private static final String EVENT_COLS = "id, at, dev_eui, kind, code, gateway_eui, rssi, snr, frequency_hz, datr, details";

    /**
     * Joins per transaction: what arrived while the previous batch committed, up to this. Large enough that the fsync is
     * shared by a second's worth of joins at the goal rate over a few commits; the writes go out in chunks of
     * {@link BatchJoin#MAX_ROWS} rows.
     */
    static final int MAX_BATCH = 512;
    /** Joins handed over and not yet committed, at most: four full batches (see {@link #commitJoinAsync}). */
    static final int MAX_PENDING_JOINS = 4 * MAX_BATCH;

    private final Database db;
    private final Clock clock;
    private final Semaphore pendingJoins = new Semaphore(MAX_PENDING_JOINS);
    private final GroupCommit joins;
    /** Concurrent joins waiting for the commit thread are served by one {@link BatchJoin}. */
    private final GroupCommit.BatchWork<BatchJoin.Request, BatchJoin.Outcome> joinBatch;
    /** Events recorded on their own (each with its time set), inserted together per batch. */
    private final GroupCommit.BatchWork<RadioEvent, RadioEvent> eventBatch;

    public JdbcJoinStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.joins = new GroupCommit(db, MAX_BATCH, "lorafab-join-commit");
        this.joinBatch = (c, requests) -> BatchJoin.run(c, db, requests);
        this.eventBatch = (c, events) -> {
            long[] ids = BatchJoin.insertEvents(c, db, events);
            List<RadioEvent> out = new ArrayList<>(events.size());
            for (int i = 0; i < ids.length; i++) {
                out.add(withId(events.get(i), ids[i]));
            }
            return out;
        };
    }

    /**
     * The join is decided and written with the other joins waiting for the commit thread, by one {@link BatchJoin}: one
     * read of their devices' join state and one multi-row write of each kind per batch. It returns once the batch has
     * committed.
     */
    @Override
    public JoinCommit commitJoin(Eui64 devEui, MacVersion version, DevNonce devNonce, NetId netId, DevAddr devAddr,
            Function<JoinGrant, NewSession> build, Function<JoinGrant, RadioEvent> event, JoinAudit audit) {
        return joins.submit(joinBatch, new BatchJoin.Request(devEui, version, devNonce, netId, devAddr, build, event, audit,
                clock.instant())).orThrow();
    }

    /**
     * As {@link #commitJoin}, without holding the caller while the batch commits: a join worker hands the join over and
     * takes the next request, so a batch holds every join that arrived during the previous commit instead of at most one
     * per worker thread. At most {@link #MAX_PENDING_JOINS} joins wait at once; the next caller waits for a place, so a
     * flood slows the workers instead of filling memory with joins whose receive windows will have passed.
     */
    @Override
    public CompletableFuture<JoinCommit> commitJoinAsync(Eui64 devEui, MacVersion version, DevNonce devNonce, NetId netId,
            DevAddr devAddr, Function<JoinGrant, NewSession> build, Function<JoinGrant, RadioEvent> event, JoinAudit audit) {
        try {
            pendingJoins.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new StoreException(ErrorCode.INTERRUPTED, "interrupted while waiting to commit a join"));
        }
        CompletableFuture<BatchJoin.Outcome> f;
        try {
            f = joins.submitAsync(joinBatch, new BatchJoin.Request(devEui, version, devNonce, netId, devAddr, build, event, audit,
                    clock.instant()));
        } catch (RuntimeException e) {
            pendingJoins.release();
            return CompletableFuture.failedFuture(e);
        }
        return f.handle((outcome, failure) -> {
            pendingJoins.release();
            if (failure != null) {
                throw GroupCommit.failure(failure);
            }
            return outcome.orThrow();
        });
    }

    /** Transactions the join commit thread committed and the joins and events they carried, for load tools. */
    public long[] commitStats() {
        return joins.stats();
    }

    /**
     * Runs on each join worker for each MIC-valid join-request: one statement, prepared once per connection, that also
     * reads the device's JoinNonce.
     */
    @Override
    public long checkDevNonce(Eui64 devEui, MacVersion version, DevNonce devNonce) {
        String eui = devEui.toString();
        return db.read(c -> {
            if (version.devNonceIsCounter()) {
                PreparedStatement p = db.prepared(c, "SELECT join_nonce, last_dev_nonce FROM join_state WHERE dev_eui = ?");
                p.setString(1, eui);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return 0L;
                    }
                    long joinNonce = rs.getLong(1);
                    long l = rs.getLong(2);
                    checkAboveLast(devEui, devNonce, rs.wasNull() ? null : l);
                    return joinNonce;
                }
            }
            // a scalar subquery and EXISTS: one row whether or not the device has joined before
            PreparedStatement p = db.prepared(c, "SELECT (SELECT join_nonce FROM join_state WHERE dev_eui = ?), "
                    + "EXISTS (SELECT 1 FROM used_dev_nonce WHERE dev_eui = ? AND dev_nonce = ?)");
            p.setString(1, eui);
            p.setString(2, eui);
            p.setInt(3, devNonce.value());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                long joinNonce = rs.getLong(1);
                if (rs.getBoolean(2)) {
                    throw reused(devEui, devNonce);
                }
                return joinNonce;
            }
        });
    }

    /** LoRaWAN 1.0.4 and 1.1: the DevNonce is a counter and must grow. */
    private static void checkAboveLast(Eui64 devEui, DevNonce devNonce, Long lastDevNonce) {
        if (lastDevNonce != null && devNonce.value() <= lastDevNonce) {
            throw new StoreException(ErrorCode.DEV_NONCE_TOO_SMALL, "DevNonce " + devNonce.value() + " is not above the last one ("
                    + lastDevNonce + ") of " + devEui);
        }
    }

    /** LoRaWAN 1.0.0-1.0.3: a DevNonce is used once. */
    static StoreException reused(Eui64 devEui, DevNonce devNonce) {
        return new StoreException(ErrorCode.DEV_NONCE_REUSED, "DevNonce " + devNonce.value() + " was already used by " + devEui);
    }

    @Override
    public Optional<Session> latestSessionByDevAddr(DevAddr devAddr) {
        return db.read(c -> oneSession(c, "SELECT " + SESSION_COLS + " FROM session WHERE dev_addr = ? ORDER BY id DESC LIMIT 1",
                devAddr.toString()));
    }

    @Override
    public Optional<Session> sessionByKeyId(String sessionKeyId) {
        return db.read(c -> oneSession(c, "SELECT " + SESSION_COLS + " FROM session WHERE session_key_id = ?", sessionKeyId));
    }

    @Override
    public Optional<Session> latestSession(Eui64 devEui) {
        return db.read(c -> oneSession(c, "SELECT " + SESSION_COLS + " FROM session WHERE dev_eui = ? ORDER BY id DESC LIMIT 1",
                devEui.toString()));
    }

    @Override
    public boolean advanceFCntUp(long sessionId, long fCnt32) {
        return db.tx(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE session SET last_fcnt_up = ? WHERE id = ? "
                    + "AND (last_fcnt_up IS NULL OR last_fcnt_up < ?)")) {
                p.setLong(1, fCnt32);
                p.setLong(2, sessionId);
                p.setLong(3, fCnt32);
                return p.executeUpdate() == 1;
            }
        });
    }

    @Override
    public java.util.OptionalLong takeFCntDown(long sessionId) {
        return db.tx(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE session SET next_fcnt_down = next_fcnt_down + 1 WHERE id = ? "
                    + "AND next_fcnt_down <= 4294967295 RETURNING next_fcnt_down - 1")) {
                p.setLong(1, sessionId);
                try (java.sql.ResultSet r = p.executeQuery()) {
                    return r.next() ? java.util.OptionalLong.of(r.getLong(1)) : java.util.OptionalLong.empty();
                }
            }
        });
    }

    /**
     * A radio event on its own (a rejection, what became of a join-accept, an uplink's verdict) rides the joins'
     * group commit: one per join-accept is written, and a transaction of its own each (one fsync each on SQLite)
     * cost a third of the join throughput; in a batch it shares the joins' fsync and is as durable when this returns.
     */
    @Override
    public RadioEvent record(RadioEvent event) {
        return joins.submit(eventBatch, stamped(event));
    }

    @Override
    public java.util.concurrent.CompletableFuture<RadioEvent> recordAsync(RadioEvent event) {
        return joins.submitAsync(eventBatch, stamped(event));
    }

    private RadioEvent stamped(RadioEvent e) {
        return new RadioEvent(0, clock.instant(), e.devEui(), e.kind(), e.code(), e.gatewayEui(), e.rssi(), e.snr(),
                e.frequencyHz(), e.datr(), e.details());
    }

    private static RadioEvent withId(RadioEvent event, long id) {
        return new RadioEvent(id, event.at(), event.devEui(), event.kind(), event.code(), event.gatewayEui(),
                event.rssi(), event.snr(), event.frequencyHz(), event.datr(), event.details());
    }

    @Override
    public List<RadioEvent> events(Eui64 devEui, long afterId, int limit) {
        return db.read(c -> {
            String sql = "SELECT " + EVENT_COLS + " FROM radio_event WHERE id > ?" + (devEui == null ? "" : " AND dev_eui = ?")
                    + " ORDER BY id LIMIT " + Math.max(0, limit);
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setLong(1, afterId);
                if (devEui != null) {
                    p.setString(2, devEui.toString());
                }
                try (ResultSet rs = p.executeQuery()) {
                    List<RadioEvent> out = new ArrayList<>();
                    while (rs.next()) {
                        String dev = rs.getString(3);
                        String gw = rs.getString(6);
                        Integer r = JdbcContext.nullableInt(rs, 7);
                        Double sn = JdbcContext.nullableDouble(rs, 8);
                        Long freq = JdbcContext.nullableLong(rs, 9);
                        out.add(new RadioEvent(rs.getLong(1), Timestamps.parse(rs.getString(2)), dev == null ? null : Eui64.parse(dev),
                                rs.getString(4), rs.getString(5), gw == null ? null : Eui64.parse(gw), r, sn, freq,
                                rs.getString(10), rs.getString(11)));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public void resetDevNonces(Eui64 devEui, String actor) {
        db.tx(c -> {
            String now = clock.instant().toString();
            exec(c, "DELETE FROM used_dev_nonce WHERE dev_eui = ?", devEui.toString());
            exec(c, "UPDATE join_state SET last_dev_nonce = NULL, updated_at = ? WHERE dev_eui = ?", now, devEui.toString());
            exec(c, "INSERT INTO audit_log (at, actor, action, subject) VALUES (?, ?, 'unit.reset_nonces', ?)", now, actor,
                    devEui.toString());
            return null;
        });
    }

    @Override
    public Optional<long[]> joinState(Eui64 devEui) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT join_nonce, last_dev_nonce FROM join_state WHERE dev_eui = ?")) {
                p.setString(1, devEui.toString());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long jn = rs.getLong(1);
                    long dn = rs.getLong(2);
                    return Optional.of(new long[] {jn, rs.wasNull() ? -1 : dn});
                }
            }
        });
    }

    private static Optional<Session> oneSession(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, arg);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long fc = rs.getLong(15);
                Long last = rs.wasNull() ? null : fc;
                return Optional.of(new Session(rs.getLong(1), rs.getString(2), Eui64.parse(rs.getString(3)),
                        DevAddr.parse(rs.getString(4)), NetId.parse(rs.getString(5)), MacVersion.parse(rs.getString(6)),
                        rs.getBoolean(7), rs.getInt(8), rs.getInt(9), rs.getString(10), Hex.parse(rs.getString(11), "key"),
                        Hex.parse(rs.getString(12), "key"), Hex.parse(rs.getString(13), "key"), Hex.parse(rs.getString(14), "key"),
                        last, Timestamps.parse(rs.getString(16)), rs.getString(17)));
            }
        }
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Long l) {
                    p.setLong(i + 1, l);
                } else if (a instanceof Integer n) {
                    p.setInt(i + 1, n);
                } else {
                    p.setString(i + 1, (String) a);
                }
            }
            p.executeUpdate();
        }
    }
}
