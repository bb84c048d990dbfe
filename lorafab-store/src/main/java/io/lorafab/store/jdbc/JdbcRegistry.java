package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.SerialTemplate;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import io.lorafab.store.model.WrappedKeys;
import io.lorafab.store.model.WrappedKeySet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** {@link Registry} on SQLite or PostgreSQL through plain JDBC. */
public final class JdbcRegistry implements Registry {

    private final Database db;
    private final Clock clock;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    private final GroupCommit groupCommit;
    /** Concurrent reservations waiting for the writer are served by one {@link BatchReservation}. */
    private final GroupCommit.BatchWork<UnitReservation, ReservationOutcome> reservations;

    public JdbcRegistry(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.groupCommit = new GroupCommit(db, 64, "lorafab-registry-commit");
        this.reservations = (c, requests) -> BatchReservation.run(c, db.dialect(), clock.instant(), requests);
    }

    public Database database() {
        return db;
    }

    // ---- transactions -------------------------------------------------------------------------------

    @Override
    public <T> T transaction(Function<Registry, T> work) {
        if (bound.get() != null) {
            return work.apply(this);
        }
        return db.tx(c -> {
            bound.set(c);
            try {
                return work.apply(this);
            } finally {
                bound.remove();
            }
        });
    }

    @Override
    public long[] groupCommitStats() {
        return groupCommit.stats();
    }

    private <T> T write(Database.SqlWork<T> work) {
        Connection c = bound.get();
        if (c != null) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw Sql.translate(e);
            }
        }
        return db.tx(work);
    }

    private <T> T read(Database.SqlWork<T> work) {
        Connection c = bound.get();
        if (c != null) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw Sql.translate(e);
            }
        }
        return db.read(work);
    }

    /**
     * A read of several queries that see one state of the database (the figures of a report must agree with
     * each other while stations keep finishing units): one read-only transaction, REPEATABLE READ on
     * PostgreSQL; a SQLite read transaction sees one snapshot of the WAL.
     */
    private <T> T readSnapshot(Database.SqlWork<T> work) {
        if (bound.get() != null) {
            return read(work);
        }
        return db.read(c -> {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            if (db.dialect() == Dialect.POSTGRESQL) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                if (db.dialect() == Dialect.POSTGRESQL) {
                    c.setTransactionIsolation(isolation);
                }
            }
        });
    }

    private String now() {
        return clock.instant().toString();
    }

    /** Row lock for the rest of the transaction (PostgreSQL); SQLite transactions already hold the write lock. */
    private String forUpdate() {
        return db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    }

    // ---- products -----------------------------------------------------------------------------------

    private static final String PRODUCT_COLS = "id, name, join_eui, mac_version, region, vendor_id, model_id, "
            + "programming_profile, rssi_min_dbm, snr_min_db, created_at, serial_template";

    @Override
    public Product createProduct(NewProduct p) {
        long id = write(c -> {
            // the other half of the rule that EUI blocks skip JoinEUIs: a JoinEUI already handed out as a DevEUI
            if (exists(c, "SELECT 1 FROM unit WHERE dev_eui = ?", p.joinEui().toString())) {
                throw new StoreException(ErrorCode.JOIN_EUI_IS_DEV_EUI, "JoinEUI " + p.joinEui()
                        + " is already the DevEUI of a unit; give the product another JoinEUI");
            }
            return insert(c, "INSERT INTO product (name, join_eui, mac_version, region, vendor_id, model_id, "
                + "programming_profile, rssi_min_dbm, snr_min_db, created_at, serial_template) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                p.name(), p.joinEui().toString(), p.macVersion().text(), p.region(), p.profileId().vendorId(),
                p.profileId().modelId(), p.programmingProfile(), p.rssiMinDbm(), p.snrMinDb(), now(), p.serialTemplate().text());
        });
        return product(id).orElseThrow();
    }

    @Override
    public Optional<Product> product(long id) {
        return read(c -> one(c, "SELECT " + PRODUCT_COLS + " FROM product WHERE id = ?", JdbcRegistry::product, id));
    }

    @Override
    public Optional<Product> productByName(String name) {
        return read(c -> one(c, "SELECT " + PRODUCT_COLS + " FROM product WHERE name = ?", JdbcRegistry::product, name));
    }

    @Override
    public List<Product> products() {
        return read(c -> list(c, "SELECT " + PRODUCT_COLS + " FROM product ORDER BY id", JdbcRegistry::product));
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getLong(1), rs.getString(2), Eui64.parse(rs.getString(3)), MacVersion.parse(rs.getString(4)),
                rs.getString(5), new ProfileId(rs.getInt(6), rs.getInt(7)), rs.getString(8), nullableDouble(rs, 9),
                nullableDouble(rs, 10), Instant.parse(rs.getString(11)), SerialTemplate.parse(rs.getString(12)));
    }

    // ---- Backend Interfaces NetIDs (product and device) ---------------------------------------------

    @Override
    public void setProductNetIds(long productId, AllowedNetIds netIds) {
        write(c -> {
            if (update(c, "UPDATE product SET net_ids = ? WHERE id = ?", netIds.toString(), productId) == 0) {
                throw StoreException.notFound("product " + productId);
            }
            return null;
        });
    }

    @Override
    public AllowedNetIds productNetIds(long productId) {
        return read(c -> one(c, "SELECT net_ids FROM product WHERE id = ?", rs -> AllowedNetIds.parse(rs.getString(1)), productId))
                .orElse(AllowedNetIds.none());
    }

    @Override
    public void setDeviceNetIds(Eui64 devEui, AllowedNetIds netIds) {
        write(c -> {
            if (update(c, "UPDATE unit SET net_ids = ? WHERE dev_eui = ?", netIds == null ? null : netIds.toString(),
                    devEui.toString()) == 0) {
                throw StoreException.notFound("device " + devEui);
            }
            return null;
        });
    }

    @Override
    public AllowedNetIds allowedNetIds(Eui64 devEui) {
        return read(c -> one(c, "SELECT COALESCE(u.net_ids, p.net_ids, '') FROM unit u LEFT JOIN product p ON p.id = u.product_id "
                + "WHERE u.dev_eui = ?", rs -> AllowedNetIds.parse(rs.getString(1)), devEui.toString()))
                .orElse(AllowedNetIds.none());
    }

    // ---- EUI blocks ---------------------------------------------------------------------------------

    private static final String BLOCK_COLS = "id, name, product_id, assignment, prefix, first_eui, size, next_index, created_at";

    @Override
    public EuiBlock createEuiBlock(NewEuiBlock b) {
        long id = write(c -> {
            Eui64 last = Eui64.of(b.first().value() + b.size() - 1);
            for (EuiBlock other : list(c, "SELECT " + BLOCK_COLS + " FROM eui_block", JdbcRegistry::block)) {
                if (other.first().compareTo(last) <= 0 && b.first().compareTo(other.last()) <= 0) {
                    throw new StoreException(ErrorCode.EUI_BLOCK_OVERLAP, "EUI block " + b.first() + ".." + last
                            + " overlaps block '" + other.name() + "' (" + other.first() + ".." + other.last() + ")");
                }
            }
            return insert(c, "INSERT INTO eui_block (name, product_id, assignment, prefix, first_eui, size, next_index, "
                    + "created_at) VALUES (?,?,?,?,?,?,0,?)", b.name(), b.productId(), b.assignment().name(), b.prefix(),
                    b.first().toString(), b.size(), now());
        });
        return euiBlock(id).orElseThrow();
    }

    @Override
    public Optional<EuiBlock> euiBlock(long id) {
        return read(c -> one(c, "SELECT " + BLOCK_COLS + " FROM eui_block WHERE id = ?", JdbcRegistry::block, id));
    }

    @Override
    public List<EuiBlock> euiBlocks() {
        return read(c -> list(c, "SELECT " + BLOCK_COLS + " FROM eui_block ORDER BY id", JdbcRegistry::block));
    }

    @Override
    public Optional<EuiBlock> openEuiBlockFor(long productId) {
        return read(c -> one(c, "SELECT " + BLOCK_COLS + " FROM eui_block WHERE (product_id = ? OR product_id IS NULL) "
                + "AND next_index < size ORDER BY CASE WHEN product_id IS NULL THEN 1 ELSE 0 END, id LIMIT 1",
                JdbcRegistry::block, productId));
    }

    private static EuiBlock block(ResultSet rs) throws SQLException {
        long pid = rs.getLong(3);
        Long productId = rs.wasNull() ? null : pid;
        return new EuiBlock(rs.getLong(1), rs.getString(2), productId, Assignment.valueOf(rs.getString(4)),
                rs.getString(5), Eui64.parse(rs.getString(6)), rs.getLong(7), rs.getLong(8), Instant.parse(rs.getString(9)));
    }

    // ---- work orders --------------------------------------------------------------------------------

    static final String ORDER_COLS = "id, reference, product_id, quantity, state, created_at, closed_at, closed_by, close_reason";

    @Override
    public WorkOrder createWorkOrder(String reference, long productId, int quantity) {
        if (quantity <= 0) {
            throw new StoreException(ErrorCode.INVALID_QUANTITY, "work order quantity must be positive");
        }
        String ref = io.lorafab.store.model.Names.require(reference, "work order reference");
        long id = write(c -> {
            if (!exists(c, "SELECT 1 FROM product WHERE id = ?", productId)) {
                throw StoreException.notFound("product " + productId);
            }
            return insert(c, "INSERT INTO work_order (reference, product_id, quantity, state, created_at) VALUES (?,?,?,?,?)",
                    ref, productId, quantity, WorkOrderState.OPEN.name(), now());
        });
        return workOrder(id).orElseThrow();
    }

    @Override
    public Optional<WorkOrder> workOrder(long id) {
        return read(c -> one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?", JdbcRegistry::order, id));
    }

    @Override
    public Optional<WorkOrder> workOrderByReference(String reference) {
        return read(c -> one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE reference = ?", JdbcRegistry::order, reference));
    }

    @Override
    public List<WorkOrder> workOrders() {
        return read(c -> list(c, "SELECT " + ORDER_COLS + " FROM work_order ORDER BY id", JdbcRegistry::order));
    }

    @Override
    public WorkOrder setWorkOrderState(long id, WorkOrderState state) {
        int n = write(c -> update(c, "UPDATE work_order SET state = ? WHERE id = ?", state.name(), id));
        if (n == 0) {
            throw StoreException.notFound("work order " + id);
        }
        return workOrder(id).orElseThrow();
    }

    @Override
    public WorkOrder closeWorkOrder(long id, String by, String reason) {
        return write(c -> {
            // the row lock (PostgreSQL; SQLite holds the write lock) orders the close with reservations of the
            // order: a batch that locked the order first commits its units, one that comes after sees CLOSED
            WorkOrder o = one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?" + forUpdate(), JdbcRegistry::order, id)
                    .orElseThrow(() -> StoreException.notFound("work order " + id));
            if (!o.isOpen()) {
                throw new StoreException(ErrorCode.WORK_ORDER_CLOSED, "work order " + o.reference() + " is already " + o.stateText());
            }
            update(c, "UPDATE work_order SET state = ?, closed_at = ?, closed_by = ?, close_reason = ? WHERE id = ?",
                    WorkOrderState.CLOSED.name(), now(), by, reason, id);
            return one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?", JdbcRegistry::order, id).orElseThrow();
        });
    }

    @Override
    public WorkOrder reopenWorkOrder(long id) {
        return write(c -> {
            WorkOrder o = one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?" + forUpdate(), JdbcRegistry::order, id)
                    .orElseThrow(() -> StoreException.notFound("work order " + id));
            if (o.state() != WorkOrderState.CLOSED) {
                throw new StoreException(ErrorCode.ILLEGAL_TRANSITION, "work order " + o.reference() + " is " + o.stateText()
                        + "; only a closed order can be reopened");
            }
            update(c, "UPDATE work_order SET state = ?, closed_at = NULL, closed_by = NULL, close_reason = NULL WHERE id = ?",
                    WorkOrderState.OPEN.name(), id);
            return one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?", JdbcRegistry::order, id).orElseThrow();
        });
    }

    /**
     * Three aggregate queries over the order's units and their runs (ids give the runs' order): the counts per
     * state, the per-unit run counts with each unit's first run, and each unit's latest failed run grouped by
     * reason and by station.
     */
    @Override
    public OrderYield orderYield(long workOrderId) {
        return readSnapshot(c -> {
            Map<UnitState, Long> counts = unitCounts(c, workOrderId);
            long[] runs = one(c, "SELECT COUNT(*), "
                    + "COALESCE(SUM(CASE WHEN t.runs > 1 THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(t.runs - 1), 0), "
                    + "COALESCE(SUM(CASE WHEN f.result = 'PASSED' THEN 1 ELSE 0 END), 0) "
                    + "FROM (SELECT r.unit_id, COUNT(*) AS runs, MIN(r.id) AS first_id FROM test_run r "
                    + "JOIN unit u ON u.id = r.unit_id WHERE u.work_order_id = ? AND r.result IN (?, ?) GROUP BY r.unit_id) t "
                    + "JOIN test_run f ON f.id = t.first_id",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}, workOrderId,
                    TestResult.PASSED.name(), TestResult.FAILED.name()).orElseThrow();
            // runs the test station spoiled are no verdict on their unit: counted apart
            long[] faults = one(c, "SELECT COUNT(*), COUNT(DISTINCT r.unit_id) FROM test_run r JOIN unit u ON u.id = r.unit_id "
                    + "WHERE u.work_order_id = ? AND r.result = ?", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, workOrderId,
                    TestResult.STATION_FAULT.name()).orElseThrow();
            return new OrderYield(counts, runs[0], runs[3], runs[1], runs[2], faults[0], faults[1],
                    latestFailures(c, "reason_code", workOrderId), latestFailures(c, "station_id", workOrderId));
        });
    }

    /** Most units first, ties by key in code-point order (not the database's collation), no key last. */
    private static final java.util.Comparator<OrderYield.FailureCount> FAILURE_ORDER = java.util.Comparator
            .comparingLong(OrderYield.FailureCount::units).reversed()
            .thenComparing(OrderYield.FailureCount::key, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));

    private static List<OrderYield.FailureCount> latestFailures(Connection c, String column, long workOrderId) throws SQLException {
        List<OrderYield.FailureCount> out = new ArrayList<>(list(c, "SELECT l." + column + ", COUNT(*) FROM test_run l JOIN "
                + "(SELECT r.unit_id, MAX(r.id) AS last_failed FROM test_run r JOIN unit u ON u.id = r.unit_id "
                + "WHERE u.work_order_id = ? AND r.result = ? GROUP BY r.unit_id) x ON l.id = x.last_failed "
                + "GROUP BY l." + column, rs -> new OrderYield.FailureCount(rs.getString(1), rs.getLong(2)), workOrderId,
                TestResult.FAILED.name()));
        out.sort(FAILURE_ORDER);
        return out;
    }

    @Override
    public void releaseWorkOrderSlot(long workOrderId) {
        write(c -> update(c, "UPDATE work_order SET active_units = active_units - 1 WHERE id = ? AND active_units > 0", workOrderId));
    }

    @Override
    public List<ReservationOutcome> reserveUnits(List<UnitReservation> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        return write(c -> BatchReservation.run(c, db.dialect(), clock.instant(), requests));
    }

    @Override
    public Unit reserveUnit(UnitReservation request) {
        if (bound.get() != null) {
            return reserveUnits(List.of(request)).get(0).orThrow();
        }
        return groupCommit.submit(reservations, request).orThrow();
    }

    /** A work order from the {@link #ORDER_COLS} starting at column {@code from}. */
    static WorkOrder order(ResultSet rs, int from) throws SQLException {
        String closedAt = rs.getString(from + 6);
        WorkOrder.Closure closure = closedAt == null ? null
                : new WorkOrder.Closure(Instant.parse(closedAt), rs.getString(from + 7), rs.getString(from + 8));
        return new WorkOrder(rs.getLong(from), rs.getString(from + 1), rs.getLong(from + 2), rs.getInt(from + 3),
                WorkOrderState.valueOf(rs.getString(from + 4)), Instant.parse(rs.getString(from + 5)), closure);
    }

    private static WorkOrder order(ResultSet rs) throws SQLException {
        return order(rs, 1);
    }

    // ---- units --------------------------------------------------------------------------------------

    private static final String UNIT_COLS = "id, dev_eui, join_eui, product_id, work_order_id, serial, name, mac_version, "
            + "region, kek_label, app_key_wrapped, nwk_key_wrapped, state, origin, station_id, created_at, updated_at";

    @Override
    public Unit insertUnit(NewUnit u) {
        Instant at = clock.instant();
        String ts = at.toString();
        long id = write(c -> insert(c, "INSERT INTO unit (dev_eui, join_eui, product_id, work_order_id, serial, name, "
                + "mac_version, region, kek_label, app_key_wrapped, nwk_key_wrapped, state, origin, station_id, created_at, "
                + "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                u.devEui().toString(), u.joinEui().toString(), u.productId(), u.workOrderId(), u.serial(), u.name(),
                u.macVersion().text(), u.region(), u.keys().kekLabel(), Hex.format(u.keys().appKey()),
                u.keys().nwkKey() == null ? null : Hex.format(u.keys().nwkKey()), u.state().name(), u.origin().name(),
                u.stationId(), ts, ts));
        Instant stored = Instant.parse(ts);
        return new Unit(id, u.devEui(), u.joinEui(), u.productId(), u.workOrderId(), u.serial(), u.name(), u.macVersion(),
                u.region(), u.keys(), u.state(), u.origin(), u.stationId(), stored, stored);
    }

    @Override
    public Optional<Unit> unit(Eui64 devEui) {
        return read(c -> one(c, "SELECT " + UNIT_COLS + " FROM unit WHERE dev_eui = ?", JdbcRegistry::unit, devEui.toString()));
    }

    @Override
    public int removeSimulatedUnits(java.util.Collection<Eui64> devEuis) {
        List<String> all = devEuis.stream().map(Eui64::toString).distinct().toList();
        return write(c -> {
            int removed = 0;
            for (int from = 0; from < all.size(); from += 500) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String in = "(" + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
                // only simulated units: the join-server rows of any other device stay as they are
                List<String> sim = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("SELECT dev_eui FROM unit WHERE origin = ? AND dev_eui IN " + in)) {
                    p.setString(1, UnitOrigin.SIMULATED.name());
                    for (int j = 0; j < chunk.size(); j++) {
                        p.setString(j + 2, chunk.get(j));
                    }
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            sim.add(rs.getString(1));
                        }
                    }
                }
                if (sim.isEmpty()) {
                    continue;
                }
                String simIn = "(" + String.join(",", java.util.Collections.nCopies(sim.size(), "?")) + ")";
                Object[] args = sim.toArray();
                for (String table : List.of("used_dev_nonce", "join_state", "session", "radio_event")) {
                    update(c, "DELETE FROM " + table + " WHERE dev_eui IN " + simIn, args);
                }
                update(c, "DELETE FROM test_run WHERE unit_id IN (SELECT id FROM unit WHERE dev_eui IN " + simIn + ")", args);
                removed += update(c, "DELETE FROM unit WHERE dev_eui IN " + simIn, args);
            }
            return removed;
        });
    }

    @Override
    public Optional<Unit> unitBySerial(String serial) {
        return read(c -> one(c, "SELECT " + UNIT_COLS + " FROM unit WHERE serial = ?", JdbcRegistry::unit, serial));
    }

    @Override
    public List<Unit> units(UnitQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + UNIT_COLS + " FROM unit WHERE id > ?");
        List<Object> args = new ArrayList<>();
        args.add(q.afterId());
        if (q.workOrderId() != null) {
            sql.append(" AND work_order_id = ?");
            args.add(q.workOrderId());
        }
        if (q.productId() != null) {
            sql.append(" AND product_id = ?");
            args.add(q.productId());
        }
        if (q.state() != null) {
            sql.append(" AND state = ?");
            args.add(q.state().name());
        }
        if (q.stationId() != null) {
            sql.append(" AND station_id = ?");
            args.add(q.stationId());
        }
        if (q.serial() != null && q.serial().endsWith("*")) {
            sql.append(" AND serial LIKE ? ESCAPE '!'");
            args.add(q.serial().substring(0, q.serial().length() - 1).replaceAll("([!%_])", "!$1") + "%");
        } else if (q.serial() != null) {
            sql.append(" AND serial = ?");
            args.add(q.serial());
        }
        sql.append(" ORDER BY id");
        if (q.limit() < Integer.MAX_VALUE) {
            sql.append(" LIMIT ").append(Math.max(0, q.limit()));
        }
        return read(c -> list(c, sql.toString(), JdbcRegistry::unit, args.toArray()));
    }

    @Override
    public Map<UnitState, Long> unitCounts(Long workOrderId) {
        return read(c -> unitCounts(c, workOrderId));
    }

    private static Map<UnitState, Long> unitCounts(Connection c, Long workOrderId) throws SQLException {
        Map<UnitState, Long> counts = new EnumMap<>(UnitState.class);
        for (UnitState s : UnitState.values()) {
            counts.put(s, 0L);
        }
        String sql = "SELECT state, COUNT(*) FROM unit" + (workOrderId == null ? "" : " WHERE work_order_id = ?")
                + " GROUP BY state";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (workOrderId != null) {
                p.setLong(1, workOrderId);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    counts.put(UnitState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    @Override
    public Unit updateUnit(Eui64 devEui, UnaryOperator<Unit> change) {
        return write(c -> {
            Unit before = one(c, "SELECT " + UNIT_COLS + " FROM unit WHERE dev_eui = ?" + forUpdate(), JdbcRegistry::unit,
                    devEui.toString()).orElseThrow(() -> StoreException.notFound("unit " + devEui));
            Unit after = change.apply(before);
            if (after.id() != before.id() || !after.devEui().equals(before.devEui())) {
                throw new IllegalArgumentException("updateUnit may not change a unit's identity");
            }
            update(c, "UPDATE unit SET state = ?, station_id = ?, kek_label = ?, app_key_wrapped = ?, nwk_key_wrapped = ?, "
                    + "updated_at = ? WHERE id = ?", after.state().name(), after.stationId(), after.keys().kekLabel(),
                    Hex.format(after.keys().appKey()), after.keys().nwkKey() == null ? null : Hex.format(after.keys().nwkKey()),
                    now(), after.id());
            return one(c, "SELECT " + UNIT_COLS + " FROM unit WHERE id = ?", JdbcRegistry::unit, after.id()).orElseThrow();
        });
    }

    private static Unit unit(ResultSet rs) throws SQLException {
        long pid = rs.getLong(4);
        Long productId = rs.wasNull() ? null : pid;
        long wid = rs.getLong(5);
        Long workOrderId = rs.wasNull() ? null : wid;
        String nwk = rs.getString(12);
        WrappedKeys keys = new WrappedKeys(rs.getString(10), Hex.parse(rs.getString(11), "app_key_wrapped"),
                nwk == null ? null : Hex.parse(nwk, "nwk_key_wrapped"));
        return new Unit(rs.getLong(1), Eui64.parse(rs.getString(2)), Eui64.parse(rs.getString(3)), productId, workOrderId,
                rs.getString(6), rs.getString(7), MacVersion.parse(rs.getString(8)), rs.getString(9), keys,
                UnitState.valueOf(rs.getString(13)), UnitOrigin.valueOf(rs.getString(14)), rs.getString(15),
                Instant.parse(rs.getString(16)), Instant.parse(rs.getString(17)));
    }

    // ---- test runs ----------------------------------------------------------------------------------

    private static final String RUN_COLS = "id, unit_id, station_id, result, reason_code, measurements, finished_at";

    @Override
    public TestRun appendTestRun(long unitId, String stationId, TestResult result, String reasonCode, String measurementsJson) {
        long id = write(c -> insert(c, "INSERT INTO test_run (unit_id, station_id, result, reason_code, measurements, "
                + "finished_at) VALUES (?,?,?,?,?,?)", unitId, stationId, result.name(), reasonCode,
                measurementsJson == null ? "{}" : measurementsJson, now()));
        return read(c -> one(c, "SELECT " + RUN_COLS + " FROM test_run WHERE id = ?", JdbcRegistry::run, id)).orElseThrow();
    }

    @Override
    public List<TestRun> testRuns(long unitId) {
        return read(c -> list(c, "SELECT " + RUN_COLS + " FROM test_run WHERE unit_id = ? ORDER BY id", JdbcRegistry::run, unitId));
    }

    private static TestRun run(ResultSet rs) throws SQLException {
        return new TestRun(rs.getLong(1), rs.getLong(2), rs.getString(3), TestResult.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), Instant.parse(rs.getString(7)));
    }

    // ---- audit --------------------------------------------------------------------------------------

    @Override
    public AuditEvent audit(String actor, String action, String subject, String details) {
        String at = now();
        long id = write(c -> insert(c, "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?,?,?,?,?)",
                at, actor, action, subject, details));
        return new AuditEvent(id, Instant.parse(at), actor, action, subject, details);
    }

    @Override
    public List<AuditEvent> auditLog(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, subject, details FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        matches(sql, args, "actor", q.actor());
        matches(sql, args, "action", q.action());
        if (q.subject() != null) {
            sql.append(" AND subject = ?");
            args.add(q.subject());
        }
        // 'at' is Instant.toString() text, whose fraction of a second is left out when zero: without the 'Z'
        // the text orders as the instants do ("...:09" < "...:09.5"), in both dialects
        if (q.since() != null) {
            sql.append(" AND REPLACE(at, 'Z', '') >= ?");
            args.add(timeKey(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND REPLACE(at, 'Z', '') < ?");
            args.add(timeKey(q.until()));
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(q.limit());
        return read(c -> list(c, sql.toString(), rs -> new AuditEvent(rs.getLong(1), Instant.parse(rs.getString(2)),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)), args.toArray()));
    }

    /**
     * {@code column = value}, or a prefix match when the value ends with '*'. The prefix is compared with
     * SUBSTR rather than LIKE, which ignores case on SQLite but not on PostgreSQL and has wildcards to escape.
     */
    private static void matches(StringBuilder sql, List<Object> args, String column, String value) {
        if (value == null) {
            return;
        }
        if (value.endsWith("*")) {
            String prefix = value.substring(0, value.length() - 1);
            sql.append(" AND SUBSTR(").append(column).append(", 1, ").append(prefix.length()).append(") = ?");
            args.add(prefix);
        } else {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String timeKey(Instant t) {
        String s = t.toString();
        return s.substring(0, s.length() - 1);
    }

    // ---- tokens -------------------------------------------------------------------------------------

    private static final String TOKEN_COLS = "id, name, role, created_at, revoked_at";

    @Override
    public ApiToken insertToken(String name, Role role, String tokenHash) {
        long id = write(c -> insert(c, "INSERT INTO api_token (token_hash, role, name, created_at) VALUES (?,?,?,?)",
                tokenHash, role.name(), io.lorafab.store.model.Names.require(name, "token name"), now()));
        return read(c -> one(c, "SELECT " + TOKEN_COLS + " FROM api_token WHERE id = ?", JdbcRegistry::token, id)).orElseThrow();
    }

    @Override
    public Optional<ApiToken> tokenByHash(String tokenHash) {
        return read(c -> one(c, "SELECT " + TOKEN_COLS + " FROM api_token WHERE token_hash = ?", JdbcRegistry::token, tokenHash));
    }

    @Override
    public List<ApiToken> tokens() {
        return read(c -> list(c, "SELECT " + TOKEN_COLS + " FROM api_token ORDER BY id", JdbcRegistry::token));
    }

    @Override
    public void revokeToken(long id) {
        int n = write(c -> update(c, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now(), id));
        if (n == 0) {
            throw StoreException.notFound("active token " + id);
        }
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        String revoked = rs.getString(5);
        return new ApiToken(rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3)), Instant.parse(rs.getString(4)),
                revoked == null ? null : Instant.parse(revoked));
    }

    // ---- KEK labels ---------------------------------------------------------------------------------

    @Override
    public void registerKek(String label, String checkValue) {
        write(c -> {
            Optional<String> known = one(c, "SELECT check_value FROM kek WHERE label = ?", rs -> rs.getString(1), label);
            if (known.isPresent()) {
                if (!known.get().equals(checkValue)) {
                    throw new StoreException(ErrorCode.KEK_MISMATCH, "the KEK given for label '" + label
                            + "' is not the one this database's keys are wrapped with");
                }
                return null;
            }
            update(c, "INSERT INTO kek (label, check_value, created_at) VALUES (?,?,?)", label, checkValue, now());
            return null;
        });
    }

    @Override
    public Map<String, String> keks() {
        return read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String[] row : list(c, "SELECT label, check_value FROM kek ORDER BY created_at, label",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                out.put(row[0], row[1]);
            }
            return out;
        });
    }

    /** Every table with wrapped keys: its kind, table name and wrapped-key columns (the first one never null). */
    private static final Map<WrappedKeySet.Kind, String[]> WRAPPED_KEY_TABLES = Map.of(
            WrappedKeySet.Kind.UNIT_ROOT_KEYS, new String[] {"unit", "app_key_wrapped", "nwk_key_wrapped"},
            WrappedKeySet.Kind.SESSION_KEYS, new String[] {"session", "app_s_key_wrapped", "f_nwk_s_int_key_wrapped",
                "s_nwk_s_int_key_wrapped", "nwk_s_enc_key_wrapped"});

    @Override
    public java.util.Set<String> kekLabelsInUse() {
        StringBuilder sql = new StringBuilder();
        for (String[] t : WRAPPED_KEY_TABLES.values()) {
            sql.append(sql.length() == 0 ? "" : " UNION ").append("SELECT DISTINCT kek_label FROM ").append(t[0]);
        }
        return read(c -> new java.util.TreeSet<>(list(c, sql.toString(), rs -> rs.getString(1))));
    }

    @Override
    public List<WrappedKeySet> wrappedKeysNotUnder(WrappedKeySet.Kind kind, String label, long afterId, int limit) {
        String[] t = WRAPPED_KEY_TABLES.get(kind);
        String cols = String.join(", ", java.util.Arrays.asList(t).subList(1, t.length));
        return read(c -> list(c, "SELECT id, kek_label, " + cols + " FROM " + t[0] + " WHERE kek_label <> ? AND id > ? ORDER BY id LIMIT "
                + Math.max(0, limit), rs -> {
                    List<byte[]> keys = new ArrayList<>();
                    for (int i = 1; i < t.length; i++) {
                        String h = rs.getString(2 + i);
                        keys.add(h == null ? null : Hex.parse(h, t[i]));
                    }
                    return new WrappedKeySet(kind, rs.getLong(1), rs.getString(2), keys);
                }, label, afterId));
    }

    @Override
    public boolean replaceWrappedKeys(WrappedKeySet before, WrappedKeySet after) {
        if (before.kind() != after.kind() || before.id() != after.id() || after.wrapped().size() != before.wrapped().size()) {
            throw new IllegalArgumentException("replaceWrappedKeys: 'after' must be the same row with as many keys");
        }
        String[] t = WRAPPED_KEY_TABLES.get(before.kind());
        StringBuilder sql = new StringBuilder("UPDATE " + t[0] + " SET kek_label = ?");
        List<Object> args = new ArrayList<>();
        args.add(after.kekLabel());
        for (int i = 1; i < t.length; i++) {
            sql.append(", ").append(t[i]).append(" = ?");
            byte[] k = after.wrapped().get(i - 1);
            args.add(k == null ? null : Hex.format(k));
        }
        sql.append(" WHERE id = ? AND kek_label = ? AND ").append(t[1]).append(" = ?");
        args.add(before.id());
        args.add(before.kekLabel());
        args.add(Hex.format(before.wrapped().get(0)));
        return write(c -> update(c, sql.toString(), args.toArray())) == 1;
    }

    @Override
    public void close() {
        groupCommit.close();
        db.close();
    }

    // ---- JDBC helpers -------------------------------------------------------------------------------

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                p.setNull(i + 1, Types.NULL);
            } else if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                p.setLong(i + 1, n);
            } else if (a instanceof Double d) {
                p.setDouble(i + 1, d);
            } else {
                p.setString(i + 1, a.toString());
            }
        }
    }

    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql + " RETURNING id")) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw Sql.translateInsert(e, sql, args);
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static <T> Optional<T> one(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(m.map(rs)) : Optional.empty();
            }
        }
    }

    private static <T> List<T> list(Connection c, String sql, RowMapper<T> m, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(m.map(rs));
                }
                return out;
            }
        }
    }

    private static Double nullableDouble(ResultSet rs, int col) throws SQLException {
        double d = rs.getDouble(col);
        return rs.wasNull() ? null : d;
    }
}
