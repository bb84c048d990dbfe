package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import static io.lorafab.store.jdbc.JdbcContext.insert;
import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.EuiBlockStore;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link EuiBlockStore} on the {@code eui_block} table (its counters are written by {@link BatchReservation}). */
final class JdbcEuiBlockStore implements EuiBlockStore {

    private static final String BLOCK_COLS = "id, name, product_id, assignment, prefix, first_eui, size, next_index, created_at";

    private final JdbcContext jdbc;

    JdbcEuiBlockStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public EuiBlock createEuiBlock(NewEuiBlock b) {
        long id = jdbc.write(c -> {
            Eui64 last = Eui64.of(b.first().value() + b.size() - 1);
            for (EuiBlock other : list(c, "SELECT " + BLOCK_COLS + " FROM eui_block", JdbcEuiBlockStore::block)) {
                if (other.first().compareTo(last) <= 0 && b.first().compareTo(other.last()) <= 0) {
                    throw new StoreException(ErrorCode.EUI_BLOCK_OVERLAP, "EUI block " + b.first() + ".." + last
                            + " overlaps block '" + other.name() + "' (" + other.first() + ".." + other.last() + ")");
                }
            }
            return insert(c, "INSERT INTO eui_block (name, product_id, assignment, prefix, first_eui, size, next_index, "
                    + "created_at) VALUES (?,?,?,?,?,?,0,?)", b.name(), b.productId(), b.assignment().name(), b.prefix(),
                    b.first().toString(), b.size(), jdbc.now());
        });
        return euiBlock(id).orElseThrow();
    }

    @Override
    public Optional<EuiBlock> euiBlock(long id) {
        return jdbc.read(c -> one(c, "SELECT " + BLOCK_COLS + " FROM eui_block WHERE id = ?", JdbcEuiBlockStore::block, id));
    }

    @Override
    public List<EuiBlock> euiBlocks() {
        return jdbc.read(c -> list(c, "SELECT " + BLOCK_COLS + " FROM eui_block ORDER BY id", JdbcEuiBlockStore::block));
    }

    @Override
    public Optional<EuiBlock> openEuiBlockFor(long productId) {
        return jdbc.read(c -> one(c, "SELECT " + BLOCK_COLS + " FROM eui_block WHERE (product_id = ? OR product_id IS NULL) "
                + "AND next_index < size ORDER BY CASE WHEN product_id IS NULL THEN 1 ELSE 0 END, id LIMIT 1",
                JdbcEuiBlockStore::block, productId));
    }

    private static EuiBlock block(ResultSet rs) throws SQLException {
        long pid = rs.getLong(3);
        Long productId = rs.wasNull() ? null : pid;
        return new EuiBlock(rs.getLong(1), rs.getString(2), productId, Assignment.valueOf(rs.getString(4)),
                rs.getString(5), Eui64.parse(rs.getString(6)), rs.getLong(7), rs.getLong(8), Timestamps.parse(rs.getString(9)));
    }
}
