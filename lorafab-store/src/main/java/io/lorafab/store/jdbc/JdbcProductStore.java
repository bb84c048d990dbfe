package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import static io.lorafab.store.jdbc.JdbcContext.exists;
import static io.lorafab.store.jdbc.JdbcContext.insert;
import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.nullableDouble;
import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.ProductStore;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.SerialTemplate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ProductStore} on the {@code product} table. */
final class JdbcProductStore implements ProductStore {

    private static final String PRODUCT_COLS = "id, name, join_eui, mac_version, region, vendor_id, model_id, "
            + "programming_profile, rssi_min_dbm, snr_min_db, created_at, serial_template, downlink_rssi_min_dbm, downlink_snr_min_db, "
            + "certification_profile, certification_data_rates, certification_firmware_version";

    private final JdbcContext jdbc;

    JdbcProductStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Product createProduct(NewProduct p) {
        long id = jdbc.write(c -> {
            // the other half of the rule that EUI blocks skip JoinEUIs: a JoinEUI already handed out as a DevEUI
            if (exists(c, "SELECT 1 FROM unit WHERE dev_eui = ?", p.joinEui().toString())) {
                throw new StoreException(ErrorCode.JOIN_EUI_IS_DEV_EUI, "JoinEUI " + p.joinEui()
                        + " is already the DevEUI of a unit; give the product another JoinEUI");
            }
            return insert(c, "INSERT INTO product (name, join_eui, mac_version, region, vendor_id, model_id, "
                + "programming_profile, rssi_min_dbm, snr_min_db, created_at, serial_template, downlink_rssi_min_dbm, "
                + "downlink_snr_min_db, certification_profile, certification_data_rates, certification_firmware_version) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                p.name(), p.joinEui().toString(), p.macVersion().text(), p.region().name(), p.profileId().vendorId(),
                p.profileId().modelId(), p.programmingProfile(), p.rssiMinDbm(), p.snrMinDb(), jdbc.now(),
                p.serialTemplate().text(), p.downlinkRssiMinDbm(), p.downlinkSnrMinDb(), p.certificationProfile(),
                dataRates(p.certificationDataRates()), p.certificationFirmwareVersion());
        });
        return product(id).orElseThrow();
    }

    @Override
    public Optional<Product> product(long id) {
        // every reservation looks its product up
        return jdbc.read(c -> jdbc.oneCached(c, "SELECT " + PRODUCT_COLS + " FROM product WHERE id = ?", JdbcProductStore::product, id));
    }

    @Override
    public Optional<Product> productByName(String name) {
        return jdbc.read(c -> one(c, "SELECT " + PRODUCT_COLS + " FROM product WHERE name = ?", JdbcProductStore::product, name));
    }

    @Override
    public List<Product> products() {
        return jdbc.read(c -> list(c, "SELECT " + PRODUCT_COLS + " FROM product ORDER BY id", JdbcProductStore::product));
    }

    private static Product product(ResultSet rs) throws SQLException {
        return new Product(rs.getLong(1), rs.getString(2), Eui64.parse(rs.getString(3)), MacVersion.parse(rs.getString(4)),
                Region.byName(rs.getString(5)), new ProfileId(rs.getInt(6), rs.getInt(7)), rs.getString(8),
                nullableDouble(rs, 9), nullableDouble(rs, 10), Timestamps.parse(rs.getString(11)),
                SerialTemplate.parse(rs.getString(12)), nullableDouble(rs, 13), nullableDouble(rs, 14),
                rs.getBoolean(15), dataRates(rs.getString(16)), rs.getString(17));
    }

    /** The data rates as the column holds them: "5,4,3", or NULL for none. */
    private static String dataRates(List<Integer> drs) {
        return drs.isEmpty() ? null : drs.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    private static List<Integer> dataRates(String column) {
        return column == null || column.isBlank() ? List.of()
                : java.util.Arrays.stream(column.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }

    // ---- Backend Interfaces NetIDs of the product -----------------------------------------------------

    @Override
    public void setProductNetIds(long productId, AllowedNetIds netIds) {
        jdbc.write(c -> {
            if (update(c, "UPDATE product SET net_ids = ? WHERE id = ?", netIds.toString(), productId) == 0) {
                throw StoreException.notFound("product " + productId);
            }
            return null;
        });
    }

    @Override
    public AllowedNetIds productNetIds(long productId) {
        return jdbc.read(c -> one(c, "SELECT net_ids FROM product WHERE id = ?", rs -> AllowedNetIds.parse(rs.getString(1)),
                productId)).orElse(AllowedNetIds.none());
    }
}
