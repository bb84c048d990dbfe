package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.JoinAudit;
import io.lorafab.store.join.JoinCommit;
import io.lorafab.store.join.JoinGrant;
import io.lorafab.store.join.NewSession;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Commits a batch of joins inside one transaction: one read of the devices' join state, one of the DevNonces
 * they used, the nonces, JoinNonces, sessions, events and audit records written with one multi-row statement
 * each, and one uniqueness check per round of DevAddrs drawn, instead of about seven statements per join.
 *
 * <p>Why it is built this way: under group commit every join of a batch used to run behind its own savepoint and
 * prepare its statements afresh; at saturation the single commit thread spent as much time in SQLite's
 * {@code prepare} as in its {@code step}, and the join workers waited for it. Here the batch
 * <ol>
 *   <li>locks the join state of every device in the batch, in DevEUI order ({@code SELECT ... FOR UPDATE} on
 *       PostgreSQL, after inserting the rows of devices never joined; SQLite's IMMEDIATE transaction already holds
 *       the write lock), and reads the DevNonces the LoRaWAN 1.0.0-1.0.3 devices among them have used;</li>
 *   <li>decides every request in Java, in the order given, as the single-join commit did: a DevNonce used before
 *       (by an earlier request of the same batch too) is {@code dev_nonce_reused}, one not above the last is
 *       {@code dev_nonce_too_small}, a JoinNonce at 2^24-1 is {@code join_nonce_exhausted}. A refused request
 *       changes nothing, so it needs no savepoint, and the next request of the same device sees the state
 *       as it would be had the refused one never come;</li>
 *   <li>draws random DevAddrs for the granted requests that need one, distinct within the batch and from the
 *       addresses a network server chose for other requests of it, and checks them against the stored sessions
 *       with one query per round (redrawing only the taken ones, up to 16 rounds: {@code dev_addr_exhausted});</li>
 *   <li>asks each granted request's callbacks for its session, event and audit details, and writes them all:
 *       the new DevNonces, each device's JoinNonce and last DevNonce (an upsert that refuses to move a
 *       JoinNonce backwards, so a bug in the locking fails the batch rather than granting a JoinNonce twice),
 *       the sessions, the events and the audit records.</li>
 * </ol>
 * What the database could still refuse (a KEK label it does not know, a lock timeout, a constraint) or a
 * callback that throws is not any one request's decision in Java: the whole batch is then rolled back to its
 * start and served again one request at a time, each behind its own savepoint, so that only the request at
 * fault fails. Nothing is visible before the caller commits, and the join server answers only after it.
 *
 * <p>Statements are prepared once per connection ({@link Database#prepared}); multi-row statements are built
 * for 1, 2, 4 ... {@link #MAX_ROWS} rows, the rows of a batch split into such chunks, and the lists of a read
 * padded to such a size by repeating their last entry, so that a connection holds a few statements per kind.
 */
final class BatchJoin {

    /** The most rows one statement carries (and the largest of the statement sizes). */
    static final int MAX_ROWS = 64;

    /** What a caller asks for: {@link io.lorafab.store.join.JoinStore#commitJoin}'s arguments, and the time of the call. */
    record Request(Eui64 devEui, MacVersion version, DevNonce devNonce, NetId netId, DevAddr devAddr,
            Function<JoinGrant, NewSession> build, Function<JoinGrant, RadioEvent> event, JoinAudit audit, Instant at) {
    }

    /** A committed join, or why the request was refused. */
    record Outcome(JoinCommit commit, RuntimeException refusal) {
        JoinCommit orThrow() {
            if (refusal != null) {
                throw refusal;
            }
            return commit;
        }
    }

    private static final String SESSION_INSERT = "INSERT INTO session (id, session_key_id, dev_eui, dev_addr, net_id, mac_version, "
            + "lorawan11, join_nonce, dev_nonce, kek_label, f_nwk_s_int_key_wrapped, s_nwk_s_int_key_wrapped, "
            + "nwk_s_enc_key_wrapped, app_s_key_wrapped, created_at, as_id) VALUES ";
    private static final String SESSION_ROW = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static final String EVENT_INSERT = "INSERT INTO radio_event (id, at, dev_eui, kind, code, gateway_eui, rssi, snr, frequency_hz, "
            + "datr, details) VALUES ";
    static final String EVENT_ROW = "(?,?,?,?,?,?,?,?,?,?,?)";

    private final Connection c;
    private final Database db;
    private final List<Request> requests;
    private final Outcome[] outcomes;
    /** Each request's DevEUI and time as written to the database, made once: several rows and look-ups use each. */
    private final String[] euis;
    private final String[] ats;

    /** The join state of a device as read under its lock, and as this batch leaves it. */
    private static final class State {
        long joinNonce;
        Long lastDevNonce;
        final long readJoinNonce;
        final Set<Integer> used = new HashSet<>();

        State(long joinNonce, Long lastDevNonce) {
            this.joinNonce = joinNonce;
            this.lastDevNonce = lastDevNonce;
            this.readJoinNonce = joinNonce;
        }
    }

    /** What a granted request will write. */
    private static final class Grant {
        final int index;
        final Request r;
        final JoinNonce joinNonce;
        DevAddr devAddr;
        NewSession session;
        RadioEvent event;
        long sessionId;
        long eventId;

        Grant(int index, Request r, JoinNonce joinNonce) {
            this.index = index;
            this.r = r;
            this.joinNonce = joinNonce;
        }
    }

    private final Map<String, State> states = new HashMap<>();
    private final List<Grant> granted = new ArrayList<>();

    private BatchJoin(Connection c, Database db, List<Request> requests) {
        this.c = c;
        this.db = db;
        this.requests = requests;
        this.outcomes = new Outcome[requests.size()];
        this.euis = new String[requests.size()];
        this.ats = new String[requests.size()];
        for (int i = 0; i < euis.length; i++) {
            euis[i] = requests.get(i).devEui().toString();
            ats[i] = Timestamps.text(requests.get(i).at());
        }
    }

    /** Serves {@code requests} on {@code c}, inside the caller's transaction; one outcome per request, in order. */
    static List<Outcome> run(Connection c, Database db, List<Request> requests) throws SQLException {
        Savepoint start = requests.size() > 1 ? c.setSavepoint() : null;
        try {
            List<Outcome> out = new BatchJoin(c, db, requests).serve();
            if (start != null) {
                c.releaseSavepoint(start);
            }
            return out;
        } catch (SQLException | RuntimeException e) {
            if (start == null) {
                // one request alone: its failure is its own (the caller's savepoint undoes what it wrote)
                throw e;
            }
            c.rollback(start);
            return oneByOne(c, db, requests);
        }
    }

    /** Each request on its own, behind its own savepoint: what the database refuses fails only that request. */
    private static List<Outcome> oneByOne(Connection c, Database db, List<Request> requests) throws SQLException {
        List<Outcome> out = new ArrayList<>(requests.size());
        for (Request r : requests) {
            Savepoint sp = c.setSavepoint();
            try {
                out.add(new BatchJoin(c, db, List.of(r)).serve().get(0));
                c.releaseSavepoint(sp);
            } catch (SQLException | RuntimeException e) {
                c.rollback(sp);
                out.add(new Outcome(null, e instanceof SQLException s ? Sql.translate(s) : (RuntimeException) e));
            }
        }
        return out;
    }

    private List<Outcome> serve() throws SQLException {
        lockStates();
        readUsedDevNonces();
        decide();
        drawDevAddrs();
        build();
        writeNonces();
        writeSessions();
        writeEvents();
        writeAudit();
        for (Grant g : granted) {
            if (outcomes[g.index] == null) {
                outcomes[g.index] = new Outcome(commit(g), null);
            }
        }
        return List.of(outcomes);
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        return db.prepared(c, sql);
    }

    // ---- reads under lock ---------------------------------------------------------------------------

    private void lockStates() throws SQLException {
        TreeSet<String> sorted = new TreeSet<>(java.util.Arrays.asList(euis));
        readStates(new ArrayList<>(sorted));
        List<String> missing = new ArrayList<>();
        for (String eui : sorted) {
            if (!states.containsKey(eui)) {
                missing.add(eui);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        // devices never joined: their rows inserted now are locked by this transaction; a row another server
        // inserted meanwhile is not returned (the insert waited for its commit) and is read again under lock
        List<String> raced = new ArrayList<>(missing);
        for (List<String> chunk : chunks(missing)) {
            String now = ats[0];
            PreparedStatement p = prepared("INSERT INTO join_state (dev_eui, join_nonce, updated_at) VALUES "
                    + rows("(?, 0, ?)", chunk.size()) + " ON CONFLICT (dev_eui) DO NOTHING RETURNING dev_eui");
            for (int k = 0; k < chunk.size(); k++) {
                p.setString(2 * k + 1, chunk.get(k));
                p.setString(2 * k + 2, now);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), new State(0, null));
                    raced.remove(rs.getString(1));
                }
            }
        }
        if (!raced.isEmpty()) {
            readStates(raced);
        }
    }

    private void readStates(List<String> euis) throws SQLException {
        for (List<String> chunk : slices(euis)) {
            int n = size(chunk.size());
            PreparedStatement p = prepared("SELECT dev_eui, join_nonce, last_dev_nonce FROM join_state WHERE dev_eui IN ("
                    + rows("?", n) + ") ORDER BY dev_eui" + JdbcContext.forUpdate(db.dialect()));
            for (int k = 0; k < n; k++) {
                p.setString(k + 1, chunk.get(Math.min(k, chunk.size() - 1)));
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String eui = rs.getString(1);
                    long joinNonce = rs.getLong(2);
                    long last = rs.getLong(3);
                    Long lastDevNonce = rs.wasNull() ? null : last;
                    states.put(eui, new State(joinNonce, lastDevNonce));
                }
            }
        }
    }

    /** The DevNonces used before by the LoRaWAN 1.0.0-1.0.3 requests' devices (only the ones asked for). */
    private void readUsedDevNonces() throws SQLException {
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (!requests.get(i).version().devNonceIsCounter()) {
                asked.add(i);
            }
        }
        for (List<Integer> chunk : slices(asked)) {
            int n = size(chunk.size());
            PreparedStatement p = prepared("SELECT dev_eui, dev_nonce FROM used_dev_nonce WHERE "
                    + String.join(" OR ", java.util.Collections.nCopies(n, "(dev_eui = ? AND dev_nonce = ?)")));
            for (int k = 0; k < n; k++) {
                int i = chunk.get(Math.min(k, chunk.size() - 1));
                p.setString(2 * k + 1, euis[i]);
                p.setInt(2 * k + 2, requests.get(i).devNonce().value());
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    states.get(rs.getString(1)).used.add(rs.getInt(2));
                }
            }
        }
    }

    // ---- decisions ----------------------------------------------------------------------------------

    private void decide() {
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            State s = states.get(euis[i]);
            int nonce = r.devNonce().value();
            if (r.version().devNonceIsCounter()) {
                if (s.lastDevNonce != null && nonce <= s.lastDevNonce) {
                    outcomes[i] = refused(new StoreException(ErrorCode.DEV_NONCE_TOO_SMALL, "DevNonce " + nonce
                            + " is not above the last one (" + s.lastDevNonce + ") of " + r.devEui()));
                    continue;
                }
            } else if (s.used.contains(nonce)) {
                outcomes[i] = refused(JdbcJoinStore.reused(r.devEui(), r.devNonce()));
                continue;
            }
            if (s.joinNonce >= JoinNonce.MAX) {
                outcomes[i] = refused(new StoreException(ErrorCode.JOIN_NONCE_EXHAUSTED, "the JoinNonce of " + r.devEui()
                        + " has reached 2^24-1"));
                continue;
            }
            s.joinNonce++;
            s.lastDevNonce = (long) nonce;
            if (!r.version().devNonceIsCounter()) {
                s.used.add(nonce);
            }
            granted.add(new Grant(i, r, JoinNonce.of((int) s.joinNonce)));
        }
    }

    private static Outcome refused(RuntimeException e) {
        return new Outcome(null, e);
    }

    /**
     * A random NwkAddr under each request's NetID that no session holds and no other request of the batch takes (as
     * ChirpStack picks DevAddrs): no counter row that every join would update. Two servers drawing the same free
     * address in the same instant is left to chance (about n²/2^(NwkAddr bits+1) for n concurrent joins); the newest
     * session then wins the address. DevAddrs chosen by a network server (Backend Interfaces) may repeat across
     * devices, as networks reuse them, and are taken as given.
     */
    private void drawDevAddrs() throws SQLException {
        Set<String> taken = new HashSet<>();
        List<Grant> waiting = new ArrayList<>();
        for (Grant g : granted) {
            if (g.r.devAddr() != null) {
                g.devAddr = g.r.devAddr();
                taken.add(g.devAddr.toString());
            } else {
                waiting.add(g);
            }
        }
        for (int round = 0; round < 16 && !waiting.isEmpty(); round++) {
            Map<String, Grant> drawn = new HashMap<>();
            for (Grant g : waiting) {
                long space = 1L << g.r.netId().nwkAddrBits();
                DevAddr candidate = g.r.netId().devAddr(ThreadLocalRandom.current().nextLong(space));
                String a = candidate.toString();
                if (!taken.contains(a) && !drawn.containsKey(a)) {
                    g.devAddr = candidate;
                    drawn.put(a, g);
                }
            }
            for (String held : sessionsHolding(new ArrayList<>(drawn.keySet()))) {
                drawn.get(held).devAddr = null;
            }
            List<Grant> again = new ArrayList<>();
            for (Grant g : waiting) {
                if (g.devAddr == null) {
                    again.add(g);
                } else {
                    taken.add(g.devAddr.toString());
                }
            }
            waiting = again;
        }
        if (waiting.isEmpty()) {
            return;
        }
        if (requests.size() > 1) {
            // rare (a NetID's address space nearly full), and the grants of the same device after it would change:
            // served again one request at a time, where the refusal below is exact
            throw new IllegalStateException("no free DevAddr for a request of the batch");
        }
        Grant g = waiting.get(0);
        outcomes[g.index] = refused(new StoreException(ErrorCode.DEV_ADDR_EXHAUSTED, "no free DevAddr found under NetID "
                + g.r.netId()));
        granted.remove(g); // nothing of it is written
    }

    private List<String> sessionsHolding(List<String> addrs) throws SQLException {
        List<String> held = new ArrayList<>();
        for (List<String> chunk : slices(addrs)) {
            int n = size(chunk.size());
            PreparedStatement p = prepared("SELECT DISTINCT dev_addr FROM session WHERE dev_addr IN (" + rows("?", n) + ")");
            for (int k = 0; k < n; k++) {
                p.setString(k + 1, chunk.get(Math.min(k, chunk.size() - 1)));
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
        }
        return held;
    }

    /** The callbacks of each granted request, given its grant; one that throws sends the batch one by one. */
    private void build() {
        for (Grant g : granted) {
            JoinGrant grant = new JoinGrant(g.joinNonce, g.devAddr);
            g.session = g.r.build().apply(grant);
            g.event = g.r.event() == null ? null : g.r.event().apply(grant);
        }
    }

    // ---- writes -------------------------------------------------------------------------------------

    private void writeNonces() throws SQLException {
        List<Grant> fresh = new ArrayList<>();
        for (Grant g : granted) {
            if (!g.r.version().devNonceIsCounter()) {
                fresh.add(g);
            }
        }
        for (List<Grant> chunk : chunks(fresh)) {
            PreparedStatement p = prepared("INSERT INTO used_dev_nonce (dev_eui, dev_nonce) VALUES " + rows("(?,?)", chunk.size()));
            for (int k = 0; k < chunk.size(); k++) {
                p.setString(2 * k + 1, euis[chunk.get(k).index]);
                p.setInt(2 * k + 2, chunk.get(k).r.devNonce().value());
            }
            p.executeUpdate();
        }
        // one row per device: its state after the batch's last grant for it
        Map<String, Grant> last = new java.util.TreeMap<>();
        for (Grant g : granted) {
            last.put(euis[g.index], g);
        }
        List<Grant> devices = new ArrayList<>(last.values());
        for (List<Grant> chunk : chunks(devices)) {
            PreparedStatement p = prepared("INSERT INTO join_state (dev_eui, join_nonce, last_dev_nonce, updated_at) VALUES "
                    + rows("(?,?,?,?)", chunk.size()) + " ON CONFLICT (dev_eui) DO UPDATE SET join_nonce = excluded.join_nonce, "
                    + "last_dev_nonce = excluded.last_dev_nonce, updated_at = excluded.updated_at "
                    + "WHERE join_state.join_nonce < excluded.join_nonce RETURNING dev_eui");
            for (int k = 0; k < chunk.size(); k++) {
                Grant g = chunk.get(k);
                p.setString(4 * k + 1, euis[g.index]);
                p.setInt(4 * k + 2, g.joinNonce.value());
                p.setInt(4 * k + 3, g.r.devNonce().value());
                p.setString(4 * k + 4, ats[g.index]);
            }
            int n = 0;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            if (n != chunk.size()) {
                throw new IllegalStateException("a device's JoinNonce changed under its lock");
            }
        }
    }

    /** The sessions, with ids taken first ({@link RowIds}): nothing is read back. */
    private void writeSessions() throws SQLException {
        long[] ids = RowIds.take(c, db, "session", granted.size());
        for (int i = 0; i < ids.length; i++) {
            granted.get(i).sessionId = ids[i];
        }
        for (List<Grant> chunk : chunks(granted)) {
            PreparedStatement p = prepared(SESSION_INSERT + rows(SESSION_ROW, chunk.size()));
            for (int k = 0; k < chunk.size(); k++) {
                Grant g = chunk.get(k);
                NewSession s = g.session;
                JdbcContext.bind(p, 16 * k, new Object[] {g.sessionId, s.sessionKeyId(), euis[g.index], g.devAddr.toString(),
                    g.r.netId().toString(), g.r.version().text(), s.lorawan11(), g.joinNonce.value(),
                    g.r.devNonce().value(), s.kekLabel(), Hex.format(s.fNwkSIntKey()), Hex.format(s.sNwkSIntKey()),
                    Hex.format(s.nwkSEncKey()), Hex.format(s.appSKey()), ats[g.index], s.asId()});
            }
            p.executeUpdate();
        }
    }

    private void writeEvents() throws SQLException {
        List<Grant> with = new ArrayList<>();
        List<RadioEvent> events = new ArrayList<>();
        for (Grant g : granted) {
            if (g.event != null) {
                with.add(g);
                events.add(stamped(g.event, g.r.at()));
            }
        }
        long[] ids = insertEvents(c, db, events);
        for (int k = 0; k < with.size(); k++) {
            with.get(k).eventId = ids[k];
        }
    }

    private void writeAudit() throws SQLException {
        List<Grant> with = new ArrayList<>();
        for (Grant g : granted) {
            if (g.r.audit() != null) {
                with.add(g);
            }
        }
        for (List<Grant> chunk : chunks(with)) {
            PreparedStatement p = prepared("INSERT INTO audit_log (at, actor, action, subject, details) VALUES "
                    + rows("(?,?,?,?,?)", chunk.size()));
            for (int k = 0; k < chunk.size(); k++) {
                Grant g = chunk.get(k);
                JoinAudit a = g.r.audit();
                JdbcContext.bind(p, 5 * k, new Object[] {ats[g.index], a.actor(), a.action(), euis[g.index],
                    a.details().apply(session(g))});
            }
            p.executeUpdate();
        }
    }

    // ---- events, also for JdbcJoinStore#record ------------------------------------------------------

    private static RadioEvent stamped(RadioEvent e, Instant at) {
        return new RadioEvent(0, at, e.devEui(), e.kind(), e.code(), e.gatewayEui(), e.rssi(), e.snr(), e.frequencyHz(),
                e.datr(), e.details());
    }

    /**
     * Inserts {@code events} (each with its time set) with multi-row statements, their ids taken first
     * ({@link RowIds}); returns the ids, in the events' order.
     */
    static long[] insertEvents(Connection c, Database db, List<RadioEvent> events) throws SQLException {
        long[] ids = RowIds.take(c, db, "radio_event", events.size());
        int from = 0;
        for (List<RadioEvent> chunk : chunks(events)) {
            PreparedStatement p = db.prepared(c, EVENT_INSERT + rows(EVENT_ROW, chunk.size()));
            for (int k = 0; k < chunk.size(); k++) {
                p.setLong(11 * k + 1, ids[from + k]);
                bindEvent(p, 11 * k + 1, chunk.get(k));
            }
            p.executeUpdate();
            from += chunk.size();
        }
        return ids;
    }

    private static void bindEvent(PreparedStatement p, int offset, RadioEvent e) throws SQLException {
        p.setString(offset + 1, Timestamps.text(e.at()));
        p.setString(offset + 2, e.devEui() == null ? null : e.devEui().toString());
        p.setString(offset + 3, e.kind());
        p.setString(offset + 4, e.code());
        p.setString(offset + 5, e.gatewayEui() == null ? null : e.gatewayEui().toString());
        if (e.rssi() == null) {
            p.setNull(offset + 6, Types.INTEGER);
        } else {
            p.setInt(offset + 6, e.rssi());
        }
        if (e.snr() == null) {
            p.setNull(offset + 7, Types.DOUBLE);
        } else {
            p.setDouble(offset + 7, e.snr());
        }
        if (e.frequencyHz() == null) {
            p.setNull(offset + 8, Types.BIGINT);
        } else {
            p.setLong(offset + 8, e.frequencyHz());
        }
        p.setString(offset + 9, e.datr());
        p.setString(offset + 10, e.details());
    }

    // ---- results ------------------------------------------------------------------------------------

    private Session session(Grant g) {
        NewSession s = g.session;
        return new Session(g.sessionId, s.sessionKeyId(), g.r.devEui(), g.devAddr, g.r.netId(), g.r.version(), s.lorawan11(),
                g.joinNonce.value(), g.r.devNonce().value(), s.kekLabel(), s.fNwkSIntKey(), s.sNwkSIntKey(), s.nwkSEncKey(),
                s.appSKey(), null, g.r.at(), s.asId());
    }

    private JoinCommit commit(Grant g) {
        RadioEvent e = g.event == null ? null : new RadioEvent(g.eventId, g.r.at(), g.event.devEui(), g.event.kind(),
                g.event.code(), g.event.gatewayEui(), g.event.rssi(), g.event.snr(), g.event.frequencyHz(), g.event.datr(),
                g.event.details());
        return new JoinCommit(session(g), e);
    }

    // ---- statement sizes ----------------------------------------------------------------------------

    /** {@code row} {@code n} times, comma-separated. */
    static String rows(String row, int n) {
        StringBuilder b = new StringBuilder(row.length() * n + n);
        for (int k = 0; k < n; k++) {
            b.append(k == 0 ? "" : ",").append(row);
        }
        return b.toString();
    }

    /** The statement size a read of {@code n} entries is padded to: the next power of two. */
    static int size(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** {@code all} in slices of at most {@link #MAX_ROWS}, for reads (each padded to {@link #size}). */
    static <T> List<List<T>> slices(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_ROWS) {
            out.add(all.subList(from, Math.min(all.size(), from + MAX_ROWS)));
        }
        return out;
    }

    /** {@code all} in chunks of {@link #MAX_ROWS}, then of the powers of two below it, largest first: for writes. */
    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        int from = 0;
        while (from < all.size()) {
            int n = Math.min(MAX_ROWS, Integer.highestOneBit(all.size() - from));
            out.add(all.subList(from, from + n));
            from += n;
        }
        return out;
    }
}
