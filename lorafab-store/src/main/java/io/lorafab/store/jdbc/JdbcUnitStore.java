package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.store.StoreException;
import io.lorafab.store.UnitStore;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.WrappedKeys;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link UnitStore} on the {@code unit} table, its rows mapped by {@link UnitRows}. */
final class JdbcUnitStore implements UnitStore, AutoCloseable {

    private final JdbcContext jdbc;
    private final GroupCommit groupCommit;
    /** Concurrent reservations waiting for the writer are served by one {@link BatchReservation}. */
    private final GroupCommit.BatchWork<UnitReservation, ReservationOutcome> reservations;

    JdbcUnitStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
        this.groupCommit = new GroupCommit(jdbc.db, 64, "lorafab-registry-commit");
        this.reservations = (c, requests) -> BatchReservation.run(c, jdbc.db, jdbc.clock.instant(), requests);
    }

    long[] groupCommitStats() {
        return groupCommit.stats();
    }

    @Override
    public void close() {
        groupCommit.close();
    }

    // ---- reservation --------------------------------------------------------------------------------

    @Override
    public List<ReservationOutcome> reserveUnits(List<UnitReservation> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        return jdbc.write(c -> BatchReservation.run(c, jdbc.db, jdbc.clock.instant(), requests));
    }

    @Override
    public Unit reserveUnit(UnitReservation request) {
        if (jdbc.inTransaction()) {
            return reserveUnits(List.of(request)).get(0).orThrow();
        }
        return groupCommit.submit(reservations, request).orThrow();
    }

    // ---- units --------------------------------------------------------------------------------------

    @Override
    public Unit insertUnit(NewUnit u) {
        Instant at = Timestamps.parse(jdbc.now());
        Unit row = new Unit(0, u.devEui(), u.joinEui(), u.productId(), u.workOrderId(), u.serial(), u.name(), u.macVersion(),
                u.region(), u.keys(), u.state(), u.origin(), u.stationId(), at, at, u.secureElement());
        long id = jdbc.write(c -> JdbcContext.insert(c, UnitRows.INSERT + UnitRows.ROW, UnitRows.values(row)));
        return row.withId(id);
    }

    @Override
    public Optional<Unit> unit(Eui64 devEui) {
        // the join server's look-up of every join-request's device
        return jdbc.read(c -> jdbc.oneCached(c, "SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE dev_eui = ?", UnitRows::map,
                devEui.toString()));
    }

    @Override
    public Optional<Unit> unitBySerial(String serial) {
        return jdbc.read(c -> one(c, "SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE serial = ?", UnitRows::map, serial));
    }

    @Override
    public int removeSimulatedUnits(Collection<Eui64> devEuis) {
        List<String> all = devEuis.stream().map(Eui64::toString).distinct().toList();
        return jdbc.write(c -> {
            int removed = 0;
            for (int from = 0; from < all.size(); from += 500) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String in = "(" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")";
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
                String simIn = "(" + String.join(",", Collections.nCopies(sim.size(), "?")) + ")";
                Object[] args = sim.toArray();
                for (String table : List.of("used_dev_nonce", "join_state", "session", "radio_event")) {
                    update(c, "DELETE FROM " + table + " WHERE dev_eui IN " + simIn, args);
                }
                update(c, "DELETE FROM test_run WHERE unit_id IN (SELECT id FROM unit WHERE dev_eui IN " + simIn + ")", args);
                update(c, "DELETE FROM chip_identity WHERE unit_id IN (SELECT id FROM unit WHERE dev_eui IN " + simIn + ")", args);
                removed += update(c, "DELETE FROM unit WHERE dev_eui IN " + simIn, args);
            }
            return removed;
        });
    }

    @Override
    public List<Unit> units(UnitQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE id > ?");
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
        return jdbc.read(c -> list(c, sql.toString(), UnitRows::map, args.toArray()));
    }

    @Override
    public Map<UnitState, Long> unitCounts(Long workOrderId) {
        return jdbc.read(c -> unitCounts(c, workOrderId));
    }

    static Map<UnitState, Long> unitCounts(Connection c, Long workOrderId) throws SQLException {
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
        return jdbc.write(c -> {
            Unit before = one(c, "SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE dev_eui = ?" + jdbc.forUpdate(),
                    UnitRows::map, devEui.toString()).orElseThrow(() -> StoreException.notFound("unit " + devEui));
            Unit after = change.apply(before);
            if (after.id() != before.id() || !after.devEui().equals(before.devEui())) {
                throw new IllegalArgumentException("updateUnit may not change a unit's identity");
            }
            if (!java.util.Objects.equals(after.secureElement(), before.secureElement())) {
                throw new IllegalArgumentException("updateUnit may not change who holds a unit's keys");
            }
            WrappedKeys k = after.keys(); // null: the secure element holds them, and the row keeps none
            update(c, "UPDATE unit SET state = ?, station_id = ?, kek_label = ?, app_key_wrapped = ?, nwk_key_wrapped = ?, "
                    + "updated_at = ? WHERE id = ?", after.state().name(), after.stationId(), k == null ? null : k.kekLabel(),
                    k == null ? null : Hex.format(k.appKey()),
                    k == null || k.nwkKey() == null ? null : Hex.format(k.nwkKey()),
                    jdbc.now(), after.id());
            return one(c, "SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE id = ?", UnitRows::map, after.id()).orElseThrow();
        });
    }

    @Override
    public Unit adoptSecureElementUnit(Eui64 devEui, io.lorafab.store.model.WorkOrder order, String stationId) {
        return jdbc.write(c -> {
            Unit u = one(c, "SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE dev_eui = ?" + jdbc.forUpdate(),
                    UnitRows::map, devEui.toString()).orElseThrow(() -> StoreException.notFound("unit " + devEui));
            if (!u.keysHeldBySecureElement() || u.workOrderId() != null || u.state() != io.lorafab.store.model.UnitState.PROGRAMMED) {
                throw new StoreException(io.lorafab.api.ErrorCode.ILLEGAL_TRANSITION, "unit " + devEui
                        + " is not an imported secure-element unit waiting for a work order");
            }
            // the order's row first, as a reservation takes it: counted among its units only while it has room and is open
            if (update(c, "UPDATE work_order SET active_units = active_units + 1 WHERE id = ? AND active_units < quantity "
                    + "AND state = 'OPEN'", order.id()) != 1) {
                io.lorafab.store.model.WorkOrder now = one(c, "SELECT " + JdbcWorkOrderStore.ORDER_COLS + " FROM work_order WHERE id = ?",
                        rs -> JdbcWorkOrderStore.order(rs, 1), order.id()).orElseThrow();
                throw now.isOpen() ? new StoreException(io.lorafab.api.ErrorCode.WORK_ORDER_FULL, "work order " + now.reference()
                        + " has all its " + now.quantity() + " units") : now.notOpen();
            }
            update(c, "UPDATE unit SET work_order_id = ?, product_id = ?, state = 'RESERVED', station_id = ?, updated_at = ? "
                    + "WHERE id = ?", order.id(), order.productId(), stationId, jdbc.now(), u.id());
            return one(c, "SELECT " + UnitRows.SELECT_COLUMNS + " FROM unit WHERE id = ?", UnitRows::map, u.id()).orElseThrow();
        });
    }

    // ---- Backend Interfaces NetIDs of the device ------------------------------------------------------

    @Override
    public void setDeviceNetIds(Eui64 devEui, AllowedNetIds netIds) {
        jdbc.write(c -> {
            if (update(c, "UPDATE unit SET net_ids = ? WHERE dev_eui = ?", netIds == null ? null : netIds.toString(),
                    devEui.toString()) == 0) {
                throw StoreException.notFound("device " + devEui);
            }
            return null;
        });
    }

    @Override
    public AllowedNetIds allowedNetIds(Eui64 devEui) {
        return jdbc.read(c -> jdbc.oneCached(c, "SELECT COALESCE(u.net_ids, p.net_ids, '') FROM unit u LEFT JOIN product p ON p.id = u.product_id "
                + "WHERE u.dev_eui = ?", rs -> AllowedNetIds.parse(rs.getString(1)), devEui.toString()))
                .orElse(AllowedNetIds.none());
    }
}
