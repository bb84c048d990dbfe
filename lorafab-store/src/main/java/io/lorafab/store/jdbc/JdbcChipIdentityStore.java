package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.ChipIdentityStore;
import io.lorafab.store.model.ChipIdentity;
import io.lorafab.store.model.ClaimPin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link ChipIdentityStore} on the {@code chip_identity} table (V13). */
final class JdbcChipIdentityStore implements ChipIdentityStore {

    private static final String COLS = "unit_id, chip_eui, join_eui, claim_pin, station_id, recorded_at";

    private final JdbcContext jdbc;

    JdbcChipIdentityStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public ChipIdentity recordChipIdentity(long unitId, ChipIdentity identity) {
        jdbc.write(c -> {
            // delete + insert rather than a dialect's upsert: the same statements on SQLite and PostgreSQL, in one transaction
            update(c, "DELETE FROM chip_identity WHERE unit_id = ?", unitId);
            String sql = "INSERT INTO chip_identity (" + COLS + ") VALUES (?,?,?,?,?,?)";
            Object[] args = {unitId, identity.chipEui().toString(), identity.joinEui() == null ? null : identity.joinEui().toString(),
                    identity.pin().hex(), identity.stationId(), jdbc.now()};
            try {
                return update(c, sql, args);
            } catch (SQLException e) {
                throw Sql.translateInsert(e, sql, args); // names the ChipEUI another unit carries; never the PIN
            }
        });
        return chipIdentity(unitId).orElseThrow();
    }

    @Override
    public Optional<ChipIdentity> chipIdentity(long unitId) {
        return jdbc.read(c -> one(c, "SELECT " + COLS + " FROM chip_identity WHERE unit_id = ?", JdbcChipIdentityStore::row, unitId))
                .map(Map.Entry::getValue);
    }

    @Override
    public Map<Long, ChipIdentity> chipIdentities(Long workOrderId) {
        var rows = jdbc.read(c -> workOrderId == null
                ? list(c, "SELECT " + COLS + " FROM chip_identity ORDER BY unit_id", JdbcChipIdentityStore::row)
                : list(c, "SELECT " + prefixed() + " FROM chip_identity ci JOIN unit u ON u.id = ci.unit_id "
                        + "WHERE u.work_order_id = ? ORDER BY ci.unit_id", JdbcChipIdentityStore::row, workOrderId));
        Map<Long, ChipIdentity> out = new LinkedHashMap<>();
        rows.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public Optional<Long> unitOfChip(Eui64 chipEui) {
        return jdbc.read(c -> one(c, "SELECT unit_id FROM chip_identity WHERE chip_eui = ?", rs -> rs.getLong(1), chipEui.toString()));
    }

    private static String prefixed() {
        return "ci." + COLS.replace(", ", ", ci.");
    }

    private static Map.Entry<Long, ChipIdentity> row(ResultSet rs) throws SQLException {
        String join = rs.getString(3);
        return Map.entry(rs.getLong(1), new ChipIdentity(Eui64.parse(rs.getString(2)), join == null ? null : Eui64.parse(join),
                ClaimPin.parse(rs.getString(4)), rs.getString(5), Timestamps.parse(rs.getString(6))));
    }
}
