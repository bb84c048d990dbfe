package io.lorafab.store.jdbc;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.model.SecureElement;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WrappedKeys;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The one mapping between a {@link Unit} and a row of the {@code unit} table: the columns, the statement binder and
 * the row mapper that a single insert ({@link JdbcUnitStore#insertUnit}), the batch reservation
 * ({@link BatchReservation}) and every read share, so that a column added to the table is added here once.
 */
final class UnitRows {

    /** {@code key_custody}: lorafab holds the unit's keys (wrapped), or its secure element does. */
    static final String LORAFAB = "LORAFAB";
    static final String SECURE_ELEMENT = "SECURE_ELEMENT";

    private UnitRows() {
    }

    /** The columns a unit is written with, in binding order ({@code id} is given by the database). */
    static final String INSERT_COLUMNS = "dev_eui, join_eui, product_id, work_order_id, serial, name, mac_version, region, "
            + "kek_label, app_key_wrapped, nwk_key_wrapped, state, origin, station_id, created_at, updated_at, key_custody, "
            + "secure_element_id, join_server";

    /** Parameters per row of {@link #INSERT_COLUMNS}. */
    static final int PARAMETERS = 19;

    /** {@code INSERT INTO unit (...) VALUES }, to be followed by one or more {@link #ROW}s. */
    static final String INSERT = "INSERT INTO unit (" + INSERT_COLUMNS + ") VALUES ";

    /** The placeholders of one row. */
    static final String ROW = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** The columns {@link #map} reads, in its order. */
    static final String SELECT_COLUMNS = "id, " + INSERT_COLUMNS;

    /** The values of {@code u}'s {@link #INSERT_COLUMNS} (all but its id), in their order. */
    static Object[] values(Unit u) {
        WrappedKeys k = u.keys();
        SecureElement se = u.secureElement();
        return new Object[] {u.devEui().toString(), u.joinEui().toString(), u.productId(), u.workOrderId(), u.serial(),
            u.name(), u.macVersion().text(), u.region() == null ? null : u.region().name(), k == null ? null : k.kekLabel(),
            k == null ? null : Hex.format(k.appKey()), k == null || k.nwkKey() == null ? null : Hex.format(k.nwkKey()),
            u.state().name(), u.origin().name(), u.stationId(), u.createdAt().toString(), u.updatedAt().toString(),
            se == null ? LORAFAB : SECURE_ELEMENT, se == null ? null : se.elementId(), se == null ? null : se.joinServer()};
    }

    /** Binds {@code u} (all but its id) to the {@link #PARAMETERS} parameters after the first {@code offset}. */
    static void bind(PreparedStatement p, int offset, Unit u) throws SQLException {
        JdbcContext.bind(p, offset, values(u));
    }

    /** The unit of the current row, selected with {@link #SELECT_COLUMNS}. */
    static Unit map(ResultSet rs) throws SQLException {
        long pid = rs.getLong(4);
        Long productId = rs.wasNull() ? null : pid;
        long wid = rs.getLong(5);
        Long workOrderId = rs.wasNull() ? null : wid;
        String region = rs.getString(9);
        String nwk = rs.getString(12);
        boolean onElement = SECURE_ELEMENT.equals(rs.getString(18));
        WrappedKeys keys = onElement ? null : new WrappedKeys(rs.getString(10), Hex.parse(rs.getString(11), "app_key_wrapped"),
                nwk == null ? null : Hex.parse(nwk, "nwk_key_wrapped"));
        SecureElement se = onElement ? new SecureElement(rs.getString(19), rs.getString(20)) : null;
        return new Unit(rs.getLong(1), Eui64.parse(rs.getString(2)), Eui64.parse(rs.getString(3)), productId, workOrderId,
                rs.getString(6), rs.getString(7), MacVersion.parse(rs.getString(8)), region == null ? null : Region.byName(region),
                keys, UnitState.valueOf(rs.getString(13)), UnitOrigin.valueOf(rs.getString(14)), rs.getString(15),
                Timestamps.parse(rs.getString(16)), Timestamps.parse(rs.getString(17)), se);
    }
}
