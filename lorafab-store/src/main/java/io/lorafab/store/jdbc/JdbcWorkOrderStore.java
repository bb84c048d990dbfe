package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import static io.lorafab.store.jdbc.JdbcContext.exists;
import static io.lorafab.store.jdbc.JdbcContext.insert;
import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.store.StoreException;
import io.lorafab.store.WorkOrderStore;
import io.lorafab.store.model.Names;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link WorkOrderStore} on the {@code work_order} table (its slot counter is written by {@link BatchReservation}). */
final class JdbcWorkOrderStore implements WorkOrderStore {

    static final String ORDER_COLS = "id, reference, product_id, quantity, state, created_at, closed_at, closed_by, close_reason";

    private final JdbcContext jdbc;

    JdbcWorkOrderStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public WorkOrder createWorkOrder(String reference, long productId, int quantity) {
        if (quantity <= 0) {
            throw new StoreException(ErrorCode.INVALID_QUANTITY, "work order quantity must be positive");
        }
        String ref = Names.require(reference, "work order reference");
        long id = jdbc.write(c -> {
            if (!exists(c, "SELECT 1 FROM product WHERE id = ?", productId)) {
                throw StoreException.notFound("product " + productId);
            }
            return insert(c, "INSERT INTO work_order (reference, product_id, quantity, state, created_at) VALUES (?,?,?,?,?)",
                    ref, productId, quantity, WorkOrderState.OPEN.name(), jdbc.now());
        });
        return workOrder(id).orElseThrow();
    }

    @Override
    public Optional<WorkOrder> workOrder(long id) {
        return jdbc.read(c -> one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?", JdbcWorkOrderStore::order, id));
    }

    @Override
    public Optional<WorkOrder> workOrderByReference(String reference) {
        // every reservation looks its order up by reference
        return jdbc.read(c -> jdbc.oneCached(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE reference = ?", JdbcWorkOrderStore::order,
                reference));
    }

    @Override
    public List<WorkOrder> workOrders() {
        return jdbc.read(c -> list(c, "SELECT " + ORDER_COLS + " FROM work_order ORDER BY id", JdbcWorkOrderStore::order));
    }

    @Override
    public WorkOrder setWorkOrderState(long id, WorkOrderState state) {
        int n = jdbc.write(c -> update(c, "UPDATE work_order SET state = ? WHERE id = ?", state.name(), id));
        if (n == 0) {
            throw StoreException.notFound("work order " + id);
        }
        return workOrder(id).orElseThrow();
    }

    @Override
    public WorkOrder updateWorkOrder(long id, UnaryOperator<WorkOrder> change) {
        return jdbc.write(c -> {
            // the row lock (PostgreSQL; SQLite holds the write lock) orders the change with reservations of the
            // order: a batch that locked the order first commits its units, one that comes after sees the new state
            WorkOrder before = one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?" + jdbc.forUpdate(),
                    JdbcWorkOrderStore::order, id).orElseThrow(() -> StoreException.notFound("work order " + id));
            WorkOrder after = change.apply(before);
            if (after.id() != before.id() || !after.reference().equals(before.reference())
                    || after.productId() != before.productId() || after.quantity() != before.quantity()
                    || !Objects.equals(after.createdAt(), before.createdAt())) {
                throw new IllegalArgumentException("updateWorkOrder may change only a work order's state and closure");
            }
            WorkOrder.Closure closure = after.closure();
            update(c, "UPDATE work_order SET state = ?, closed_at = ?, closed_by = ?, close_reason = ? WHERE id = ?",
                    after.state().name(), closure == null ? null : closure.at().toString(), closure == null ? null : closure.by(),
                    closure == null ? null : closure.reason(), id);
            return one(c, "SELECT " + ORDER_COLS + " FROM work_order WHERE id = ?", JdbcWorkOrderStore::order, id).orElseThrow();
        });
    }

    @Override
    public WorkOrder closeWorkOrder(long id, String by, String reason) {
        return updateWorkOrder(id, o -> {
            if (!o.isOpen()) {
                throw new StoreException(ErrorCode.WORK_ORDER_CLOSED, "work order " + o.reference() + " is already " + o.stateText());
            }
            return new WorkOrder(o.id(), o.reference(), o.productId(), o.quantity(), WorkOrderState.CLOSED, o.createdAt(),
                    new WorkOrder.Closure(jdbc.clock.instant(), by, reason));
        });
    }

    @Override
    public WorkOrder reopenWorkOrder(long id) {
        return updateWorkOrder(id, o -> {
            if (o.state() != WorkOrderState.CLOSED) {
                throw new StoreException(ErrorCode.ILLEGAL_TRANSITION, "work order " + o.reference() + " is " + o.stateText()
                        + "; only a closed order can be reopened");
            }
            return new WorkOrder(o.id(), o.reference(), o.productId(), o.quantity(), WorkOrderState.OPEN, o.createdAt(), null);
        });
    }

    /**
     * Three aggregate queries over the order's units and their runs (ids give the runs' order): the counts per
     * state, the per-unit run counts with each unit's first run, and each unit's latest failed run grouped by
     * reason and by station.
     */
    @Override
    public OrderYield orderYield(long workOrderId) {
        return jdbc.readSnapshot(c -> {
            Map<UnitState, Long> counts = JdbcUnitStore.unitCounts(c, workOrderId);
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

    private static List<OrderYield.FailureCount> latestFailures(Connection c, String column, long workOrderId) throws SQLException {
        List<OrderYield.FailureCount> out = new ArrayList<>(list(c, "SELECT l." + column + ", COUNT(*) FROM test_run l JOIN "
                + "(SELECT r.unit_id, MAX(r.id) AS last_failed FROM test_run r JOIN unit u ON u.id = r.unit_id "
                + "WHERE u.work_order_id = ? AND r.result = ? GROUP BY r.unit_id) x ON l.id = x.last_failed "
                + "GROUP BY l." + column, rs -> new OrderYield.FailureCount(rs.getString(1), rs.getLong(2)), workOrderId,
                TestResult.FAILED.name()));
        out.sort(OrderYield.FAILURE_ORDER);
        return out;
    }

    @Override
    public void releaseWorkOrderSlot(long workOrderId) {
        jdbc.write(c -> update(c, "UPDATE work_order SET active_units = active_units - 1 WHERE id = ? AND active_units > 0",
                workOrderId));
    }

    /** A work order from the {@link #ORDER_COLS} starting at column {@code from}. */
    static WorkOrder order(ResultSet rs, int from) throws SQLException {
        String closedAt = rs.getString(from + 6);
        WorkOrder.Closure closure = closedAt == null ? null
                : new WorkOrder.Closure(Timestamps.parse(closedAt), rs.getString(from + 7), rs.getString(from + 8));
        return new WorkOrder(rs.getLong(from), rs.getString(from + 1), rs.getLong(from + 2), rs.getInt(from + 3),
                WorkOrderState.valueOf(rs.getString(from + 4)), Timestamps.parse(rs.getString(from + 5)), closure);
    }

    private static WorkOrder order(ResultSet rs) throws SQLException {
        return order(rs, 1);
    }
}
