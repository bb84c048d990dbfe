package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reserves units for a batch of requests inside one transaction, writing each work order's slot counter and
 * each EUI block's counter once for the whole batch instead of once per reservation.
 *
 * <p>Why it is built this way: under group commit every reservation of a batch used to update the same two
 * rows ({@code work_order.active_units}, {@code eui_block.next_index}) behind its own savepoint, and
 * PostgreSQL pays for each of those row versions and subtransactions. Here the batch
 * <ol>
 *   <li>locks each work order it needs (in id order, {@code SELECT ... FOR UPDATE} on PostgreSQL; SQLite's
 *       IMMEDIATE transaction already holds the write lock) and counts its free slots in Java;</li>
 *   <li>serves the requests that can fail on their own, each behind a savepoint: a scanned label (its
 *       DevEUI or serial may already be taken) and an allocated unit with a serial (the serial may be taken).
 *       A failure gives its slot, and any DevEUI it was given, back to the rest of the batch;</li>
 *   <li>serves all other requests of a product at once: takes as many DevEUIs as there are requests from
 *       the product's open blocks (one {@code SELECT ... FOR UPDATE} per block, one look-up of the EUIs
 *       already held by units), inserts the units with one multi-row {@code INSERT ... RETURNING} and the
 *       audit records with one JDBC batch. Such a unit can collide only with a unit that another server
 *       inserted for a scanned label a moment ago; the insert skips those rows
 *       ({@code ON CONFLICT DO NOTHING}) and their requests get the next EUIs. Each of these units gets the
 *       next serial of the product's template: the product's sequence counter is locked like a block's,
 *       counted in Java, and serials some unit holds already are skipped;</li>
 *   <li>writes each work order's, each block's and each product's serial counter with one {@code UPDATE} that checks the value
 *       it read (so a bug in the locking fails the batch rather than handing out an EUI twice).</li>
 * </ol>
 * The counters are written last because only then is it known how many slots and EUIs the batch used:
 * a failing piece, or a request refused for an exhausted block, gives its slot back. Every row read is
 * locked until commit, so the counters are written from the values read; nothing is visible to anyone
 * before the commit, and the caller hands out keys only after it.
 *
 * <p>Requests are served in the order given, the individually failing ones first: with fewer free slots
 * than requests the later ones get {@code work_order_full}; when the product's last block runs out the
 * later ones get {@code eui_block_exhausted}. DevEUIs are handed out in block order without gaps, except
 * for EUIs held by a unit already (a scanned label inside the block's range) and any product's JoinEUI, which
 * are skipped.
 *
 * <p>The statements whose text does not depend on the batch's size are prepared once per connection
 * ({@link Database#prepared}), not once per batch or per request.
 */
final class BatchReservation {

    /** Rows per multi-row INSERT ({@link UnitRows#PARAMETERS} parameters each). */
    private static final int INSERT_CHUNK = 100;

    private static final String AUDIT_INSERT = "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?,?,?,?,?)";

    private final Connection c;
    private final Database db;
    private final Dialect dialect;
    private final String now;
    private final List<UnitReservation> requests;
    private final ReservationOutcome[] outcomes;
    /** Free slots per work order id (null: no such order), and slots used by this batch. */
    private final Map<Long, Integer> free = new HashMap<>();
    private final Map<Long, Integer> used = new HashMap<>();
    /** The orders of the batch that are not open (closed meanwhile), as read under their lock. */
    private final Map<Long, WorkOrder> notOpen = new HashMap<>();
    private final EuiAllocator euis;
    /** Per product id: the last serial sequence number as read under its row lock, and as used by this batch. */
    private final Map<Long, long[]> serialSeq = new TreeMap<>();

    private BatchReservation(Connection c, Database db, Instant now, List<UnitReservation> requests) {
        this.c = c;
        this.db = db;
        this.dialect = db.dialect();
        this.now = now.toString();
        this.requests = requests;
        this.outcomes = new ReservationOutcome[requests.size()];
        this.euis = new EuiAllocator(c, db);
    }

    /** Serves {@code requests} on {@code c}, inside the caller's transaction; one outcome per request, in order. */
    static List<ReservationOutcome> run(Connection c, Database db, Instant now, List<UnitReservation> requests)
            throws SQLException {
        BatchReservation b = new BatchReservation(c, db, now, requests);
        b.lockOrders();
        b.serveIndividually();
        b.serveTogether();
        b.writeCounters();
        b.writeSerialCounters();
        return List.of(b.outcomes);
    }

    private String forUpdate() {
        return JdbcContext.forUpdate(dialect);
    }

    // ---- work order slots ---------------------------------------------------------------------------

    private void lockOrders() throws SQLException {
        TreeMap<Long, Boolean> ids = new TreeMap<>();
        for (UnitReservation r : requests) {
            ids.put(r.order().id(), true);
        }
        PreparedStatement p = db.prepared(c, "SELECT quantity - active_units, " + JdbcWorkOrderStore.ORDER_COLS
            + " FROM work_order WHERE id = ?" + forUpdate());
        for (long id : ids.keySet()) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    free.put(id, null);
                    continue;
                }
                free.put(id, rs.getInt(1));
                // read under the lock that closeWorkOrder takes too: no unit is added to an order once it is closed
                WorkOrder o = JdbcWorkOrderStore.order(rs, 2);
                if (!o.isOpen()) {
                    notOpen.put(id, o);
                }
            }
        }
    }

    /** Takes a slot of the request's order, or records why not. */
    private boolean takeSlot(int i) {
        UnitReservation r = requests.get(i);
        long id = r.order().id();
        Integer left = free.get(id);
        if (left == null) {
            outcomes[i] = ReservationOutcome.refused(StoreException.notFound("work order " + r.order().reference()));
            return false;
        }
        if (notOpen.containsKey(id)) {
            outcomes[i] = ReservationOutcome.refused(notOpen.get(id).notOpen());
            return false;
        }
        if (left <= 0) {
            outcomes[i] = ReservationOutcome.refused(new StoreException(ErrorCode.WORK_ORDER_FULL, "work order "
                    + r.order().reference() + " already has " + r.order().quantity() + " units"));
            return false;
        }
        free.put(id, left - 1);
        used.merge(id, 1, Integer::sum);
        return true;
    }

    private void giveSlotBack(int i) {
        long id = requests.get(i).order().id();
        free.merge(id, 1, Integer::sum);
        used.merge(id, -1, Integer::sum);
    }

    private static StoreException exhausted(Product p) {
        return new StoreException(ErrorCode.EUI_BLOCK_EXHAUSTED, "no EUI block with free DevEUIs for product " + p.name());
    }

    // ---- requests that may fail on their own --------------------------------------------------------

    private static boolean individual(UnitReservation r) {
        return r.isScanned() || r.serial() != null;
    }

    private void serveIndividually() throws SQLException {
        for (int i = 0; i < requests.size(); i++) {
            UnitReservation r = requests.get(i);
            if (!individual(r) || !takeSlot(i)) {
                continue;
            }
            EuiAllocator.Mark mark = euis.mark();
            Savepoint sp = c.setSavepoint();
            try {
                Eui64 devEui = r.scanned();
                if (devEui == null) {
                    List<Eui64> got = euis.take(r.product().id(), 1);
                    if (got.isEmpty()) {
                        throw exhausted(r.product());
                    }
                    devEui = got.get(0);
                }
                Unit row = unit(r, devEui, r.serial());
                long id;
                PreparedStatement insert = db.prepared(c, UnitRows.INSERT + UnitRows.ROW + " RETURNING id");
                UnitRows.bind(insert, 0, row);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                PreparedStatement audit = db.prepared(c, AUDIT_INSERT);
                bindAudit(audit, r, devEui);
                audit.executeUpdate();
                c.releaseSavepoint(sp);
                outcomes[i] = ReservationOutcome.of(row.withId(id));
            } catch (SQLException | StoreException e) {
                c.rollback(sp);
                euis.reset(mark);
                giveSlotBack(i);
                outcomes[i] = ReservationOutcome.refused(e instanceof SQLException s ? Sql.translate(s) : (StoreException) e);
            }
        }
    }

    // ---- all other requests, per product ------------------------------------------------------------

    private void serveTogether() throws SQLException {
        Map<Long, List<Integer>> byProduct = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            UnitReservation r = requests.get(i);
            if (!individual(r) && takeSlot(i)) {
                byProduct.computeIfAbsent(r.product().id(), k -> new ArrayList<>()).add(i);
            }
        }
        List<Integer> served = new ArrayList<>();
        Map<Integer, Eui64> given = new HashMap<>();
        for (List<Integer> waiting : byProduct.values()) {
            Product product = requests.get(waiting.get(0)).product();
            while (!waiting.isEmpty()) {
                List<Eui64> got = euis.take(product.id(), waiting.size());
                for (int k = got.size(); k < waiting.size(); k++) {
                    int i = waiting.get(k);
                    giveSlotBack(i);
                    outcomes[i] = ReservationOutcome.refused(exhausted(product));
                }
                List<Integer> tried = waiting.subList(0, got.size());
                List<String> serials = serials(product, tried.size());
                List<Unit> rows = new ArrayList<>(tried.size());
                for (int k = 0; k < tried.size(); k++) {
                    rows.add(unit(requests.get(tried.get(k)), got.get(k), serials.get(k)));
                }
                Map<String, Long> ids = insertUnits(rows);
                List<Integer> collided = new ArrayList<>();
                for (int k = 0; k < tried.size(); k++) {
                    int i = tried.get(k);
                    Long id = ids.get(got.get(k).toString());
                    if (id == null) {
                        // its DevEUI (or serial) is held by a unit another server inserted meanwhile: try the next ones
                        collided.add(i);
                    } else {
                        outcomes[i] = ReservationOutcome.of(rows.get(k).withId(id));
                        given.put(i, got.get(k));
                        served.add(i);
                    }
                }
                waiting = collided;
            }
        }
        if (served.isEmpty()) {
            return;
        }
        PreparedStatement p = db.prepared(c, AUDIT_INSERT);
        p.clearBatch(); // a cached statement: nothing left over from a batch that failed
        for (int i : served) {
            bindAudit(p, requests.get(i), given.get(i));
            p.addBatch();
        }
        p.executeBatch();
    }

    /** Inserts the units, skipping DevEUIs (and serials) taken meanwhile; the ids of those inserted, by DevEUI. */
    private Map<String, Long> insertUnits(List<Unit> rows) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            int to = Math.min(rows.size(), from + INSERT_CHUNK);
            StringBuilder sql = new StringBuilder(UnitRows.INSERT);
            for (int k = from; k < to; k++) {
                sql.append(k == from ? "" : ",").append(UnitRows.ROW);
            }
            sql.append(" ON CONFLICT DO NOTHING RETURNING id, dev_eui"); // any unique column: dev_eui or serial
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                for (int k = from; k < to; k++) {
                    UnitRows.bind(p, (k - from) * UnitRows.PARAMETERS, rows.get(k));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getString(2), rs.getLong(1));
                    }
                }
            }
        }
        return ids;
    }

    // ---- serial numbers -----------------------------------------------------------------------------

    /**
     * The next {@code n} serials of {@code product}'s template, skipping any a unit holds already (a station-given
     * serial that happens to match the template). The product's sequence counter is locked when the batch first
     * uses it ({@code SELECT ... FOR UPDATE} on PostgreSQL, SQLite's IMMEDIATE transaction) and written once by
     * {@link #writeSerialCounters()}, so that no two reservations, in this process or another, get the same
     * number; a number taken by a transaction that rolls back was never visible and is taken again.
     */
    private List<String> serials(Product product, int n) throws SQLException {
        long[] seq = serialSeq.get(product.id());
        if (seq == null) {
            PreparedStatement p = db.prepared(c, "SELECT serial_seq FROM product WHERE id = ?" + forUpdate());
            p.setLong(1, product.id());
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw StoreException.notFound("product " + product.name());
                }
                seq = new long[] {rs.getLong(1), rs.getLong(1)};
            }
            serialSeq.put(product.id(), seq);
        }
        Instant at = Timestamps.parse(now);
        List<String> out = new ArrayList<>(n);
        while (out.size() < n) {
            List<String> next = new ArrayList<>();
            for (int k = out.size(); k < n; k++) {
                next.add(product.serialTemplate().render(product.name(), at, ++seq[1]));
            }
            Set<String> held = heldSerials(next);
            for (String serial : next) {
                if (!held.contains(serial)) {
                    out.add(serial);
                }
            }
        }
        return out;
    }

    private Set<String> heldSerials(List<String> serials) throws SQLException {
        Set<String> held = new HashSet<>();
        for (int from = 0; from < serials.size(); from += INSERT_CHUNK) {
            List<String> chunk = serials.subList(from, Math.min(serials.size(), from + INSERT_CHUNK));
            StringBuilder sql = new StringBuilder("SELECT serial FROM unit WHERE serial IN (");
            for (int j = 0; j < chunk.size(); j++) {
                sql.append(j == 0 ? "?" : ",?");
            }
            try (PreparedStatement p = c.prepareStatement(sql.append(')').toString())) {
                for (int j = 0; j < chunk.size(); j++) {
                    p.setString(j + 1, chunk.get(j));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        held.add(rs.getString(1));
                    }
                }
            }
        }
        return held;
    }

    /** Writes each product's new sequence counter, checking that it still holds the value read under the lock. */
    private void writeSerialCounters() throws SQLException {
        PreparedStatement p = db.prepared(c, "UPDATE product SET serial_seq = ? WHERE id = ? AND serial_seq = ?");
        for (Map.Entry<Long, long[]> e : serialSeq.entrySet()) {
            long[] seq = e.getValue();
            if (seq[1] == seq[0]) {
                continue;
            }
            p.setLong(1, seq[1]);
            p.setLong(2, e.getKey());
            p.setLong(3, seq[0]);
            if (p.executeUpdate() != 1) {
                throw new IllegalStateException("product " + e.getKey() + " serial counter changed under its lock");
            }
        }
    }

    // ---- counters -----------------------------------------------------------------------------------

    private void writeCounters() throws SQLException {
        PreparedStatement p = db.prepared(c,
            "UPDATE work_order SET active_units = active_units + ? WHERE id = ? AND quantity - active_units = ?");
        for (Map.Entry<Long, Integer> e : new TreeMap<>(used).entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            p.setInt(1, e.getValue());
            p.setLong(2, e.getKey());
            p.setInt(3, free.get(e.getKey()) + e.getValue());
            if (p.executeUpdate() != 1) {
                throw new IllegalStateException("work order " + e.getKey() + " changed under its lock");
            }
        }
        euis.write();
    }

    // ---- rows ---------------------------------------------------------------------------------------

    private void bindAudit(PreparedStatement p, UnitReservation r, Eui64 devEui) throws SQLException {
        JdbcContext.bind(p, now, r.actor(), "unit.reserve", devEui.toString(),
                "order=" + r.order().reference() + " station=" + r.stationId());
    }

    private static UnitOrigin origin(UnitReservation r) {
        return r.isScanned() ? UnitOrigin.SCANNED : UnitOrigin.ALLOCATED;
    }

    /** The unit a request gets, before the database has given it an id. */
    private Unit unit(UnitReservation r, Eui64 devEui, String serial) {
        Product pr = r.product();
        Instant at = Timestamps.parse(now);
        return new Unit(0, devEui, pr.joinEui(), pr.id(), r.order().id(), serial, null, pr.macVersion(), pr.region(),
                r.keys(), UnitState.RESERVED, origin(r), r.stationId(), at, at);
    }

    /**
     * Hands out DevEUIs from the products' open blocks for one batch: each block is locked when first used,
     * counted in Java, and written back once by {@link #write()}. Blocks shared by several products are
     * counted once. {@link #mark()} and {@link #reset(Mark)} undo what a failed piece took (its savepoint
     * undoes the locks taken with it).
     */
    static final class EuiAllocator {

        private record Block(long id, Eui64 first, long size, long readNext, long next) {
        }

        /** A product's way through its open blocks: their ids in allocation order, how far, which one now. */
        private record Way(List<Long> candidates, int pos, Long current) {
        }

        record Mark(Map<Long, Block> blocks, Map<Long, Way> ways) {
        }

        private final Connection c;
        private final Database db;
        private final Dialect dialect;
        private Map<Long, Block> blocks = new LinkedHashMap<>();
        private Map<Long, Way> ways = new HashMap<>();

        EuiAllocator(Connection c, Database db) {
            this.c = c;
            this.db = db;
            this.dialect = db.dialect();
        }

        Mark mark() {
            return new Mark(new LinkedHashMap<>(blocks), new HashMap<>(ways));
        }

        void reset(Mark m) {
            blocks = new LinkedHashMap<>(m.blocks());
            ways = new HashMap<>(m.ways());
        }

        /** Up to {@code n} free DevEUIs for the product, in order; fewer when its last open block runs out. */
        List<Eui64> take(long productId, int n) throws SQLException {
            List<Eui64> out = new ArrayList<>(n);
            while (out.size() < n) {
                Block b = current(productId);
                if (b == null) {
                    break;
                }
                int k = (int) Math.min(n - out.size(), b.size() - b.next());
                List<Eui64> range = new ArrayList<>(k);
                for (int j = 0; j < k; j++) {
                    range.add(Eui64.of(b.first().value() + b.next() + j));
                }
                Set<String> held = held(range);
                for (Eui64 e : range) {
                    if (!held.contains(e.toString())) {
                        out.add(e);
                    }
                }
                blocks.put(b.id(), new Block(b.id(), b.first(), b.size(), b.readNext(), b.next() + k));
            }
            return out;
        }

        /** The product's block to take from now, moving on (and locking) as blocks run out; null: none left. */
        private Block current(long productId) throws SQLException {
            Way w = ways.get(productId);
            if (w == null) {
                w = new Way(openBlocks(productId), 0, null);
            }
            while (true) {
                if (w.current() != null) {
                    Block b = blocks.get(w.current());
                    if (b.next() < b.size()) {
                        ways.put(productId, w);
                        return b;
                    }
                }
                if (w.pos() >= w.candidates().size()) {
                    ways.put(productId, new Way(w.candidates(), w.pos(), null));
                    return null;
                }
                long id = w.candidates().get(w.pos());
                if (!blocks.containsKey(id)) {
                    Block locked = lock(id);
                    if (locked != null) {
                        blocks.put(id, locked);
                    }
                }
                w = new Way(w.candidates(), w.pos() + 1, blocks.containsKey(id) ? id : null);
            }
        }

        private List<Long> openBlocks(long productId) throws SQLException {
            List<Long> ids = new ArrayList<>();
            PreparedStatement p = db.prepared(c, "SELECT id FROM eui_block WHERE (product_id = ? OR product_id IS NULL) "
                + "AND next_index < size ORDER BY CASE WHEN product_id IS NULL THEN 1 ELSE 0 END, id");
            p.setLong(1, productId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }

        private Block lock(long id) throws SQLException {
            PreparedStatement p = db.prepared(c, "SELECT first_eui, size, next_index FROM eui_block WHERE id = ?"
                + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : ""));
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long next = rs.getLong(3);
                return new Block(id, Eui64.parse(rs.getString(1)), rs.getLong(2), next, next);
            }
        }

        /**
         * The EUIs of {@code range} that must not be handed out: those held by a unit, and any product's JoinEUI (a
         * maker often takes JoinEUI and DevEUIs from one MA-S; a device whose DevEUI is a JoinEUI would confuse
         * every network server's look-up, so the block skips it rather than refusing the whole block).
         */
        private Set<String> held(List<Eui64> range) throws SQLException {
            Set<String> held = new HashSet<>();
            StringBuilder in = new StringBuilder("(");
            for (int j = 0; j < range.size(); j++) {
                in.append(j == 0 ? "?" : ",?");
            }
            in.append(')');
            String sql = "SELECT dev_eui FROM unit WHERE dev_eui IN " + in + " UNION SELECT join_eui FROM product WHERE join_eui IN " + in;
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int j = 0; j < range.size(); j++) {
                    p.setString(j + 1, range.get(j).toString());
                    p.setString(range.size() + j + 1, range.get(j).toString());
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        held.add(rs.getString(1));
                    }
                }
            }
            return held;
        }

        /** Writes each block's new counter, checking that it still holds the value read under the lock. */
        void write() throws SQLException {
            PreparedStatement p = db.prepared(c, "UPDATE eui_block SET next_index = ? WHERE id = ? AND next_index = ?");
            for (Block b : blocks.values()) {
                if (b.next() == b.readNext()) {
                    continue;
                }
                p.setLong(1, b.next());
                p.setLong(2, b.id());
                p.setLong(3, b.readNext());
                if (p.executeUpdate() != 1) {
                    throw new IllegalStateException("EUI block " + b.id() + " changed under its lock");
                }
            }
        }
    }
}
