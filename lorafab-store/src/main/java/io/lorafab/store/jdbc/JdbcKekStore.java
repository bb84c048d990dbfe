package io.lorafab.store.jdbc;

import io.lorafab.api.ErrorCode;
import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.lorawan.types.Hex;
import io.lorafab.store.KekStore;
import io.lorafab.store.StoreException;
import io.lorafab.store.WrappedKeyStore;
import io.lorafab.store.model.WrappedKeySet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link KekStore} on the {@code kek} table, and {@link WrappedKeyStore} over every table that holds wrapped keys
 * (units' root keys, join server sessions' keys): both are about which KEK the stored keys are wrapped under.
 */
final class JdbcKekStore implements KekStore, WrappedKeyStore {

    /** Every table with wrapped keys: its kind, table name and wrapped-key columns (the first one never null). */
    private static final Map<WrappedKeySet.Kind, String[]> WRAPPED_KEY_TABLES = Map.of(
            WrappedKeySet.Kind.UNIT_ROOT_KEYS, new String[] {"unit", "app_key_wrapped", "nwk_key_wrapped"},
            WrappedKeySet.Kind.SESSION_KEYS, new String[] {"session", "app_s_key_wrapped", "f_nwk_s_int_key_wrapped",
                "s_nwk_s_int_key_wrapped", "nwk_s_enc_key_wrapped"});

    private final JdbcContext jdbc;

    JdbcKekStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void registerKek(String label, String checkValue) {
        jdbc.write(c -> {
            Optional<String> known = one(c, "SELECT check_value FROM kek WHERE label = ?", rs -> rs.getString(1), label);
            if (known.isPresent()) {
                if (!known.get().equals(checkValue)) {
                    throw new StoreException(ErrorCode.KEK_MISMATCH, "the KEK given for label '" + label
                            + "' is not the one this database's keys are wrapped with");
                }
                return null;
            }
            update(c, "INSERT INTO kek (label, check_value, created_at) VALUES (?,?,?)", label, checkValue, jdbc.now());
            return null;
        });
    }

    @Override
    public Map<String, String> keks() {
        return jdbc.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String[] row : list(c, "SELECT label, check_value FROM kek ORDER BY created_at, label",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                out.put(row[0], row[1]);
            }
            return out;
        });
    }

    @Override
    public Set<String> kekLabelsInUse() {
        StringBuilder sql = new StringBuilder();
        for (String[] t : WRAPPED_KEY_TABLES.values()) {
            sql.append(sql.length() == 0 ? "" : " UNION ").append("SELECT DISTINCT kek_label FROM ").append(t[0])
                    .append(" WHERE kek_label IS NOT NULL"); // a unit whose secure element holds its keys has none
        }
        return jdbc.read(c -> new TreeSet<>(list(c, sql.toString(), rs -> rs.getString(1))));
    }

    @Override
    public List<WrappedKeySet> wrappedKeysNotUnder(WrappedKeySet.Kind kind, String label, long afterId, int limit) {
        String[] t = WRAPPED_KEY_TABLES.get(kind);
        String cols = String.join(", ", Arrays.asList(t).subList(1, t.length));
        return jdbc.read(c -> list(c, "SELECT id, kek_label, " + cols + " FROM " + t[0]
                + " WHERE kek_label <> ? AND id > ? ORDER BY id LIMIT " + Math.max(0, limit), rs -> {
                    List<byte[]> keys = new ArrayList<>();
                    for (int i = 1; i < t.length; i++) {
                        String h = rs.getString(2 + i);
                        keys.add(h == null ? null : Hex.parse(h, t[i]));
                    }
                    return new WrappedKeySet(kind, rs.getLong(1), rs.getString(2), keys);
                }, label, afterId));
    }

    @Override
    public Map<String, Long> wrappedKeyCounts(WrappedKeySet.Kind kind) {
        String table = WRAPPED_KEY_TABLES.get(kind)[0];
        return jdbc.read(c -> {
            Map<String, Long> out = new java.util.TreeMap<>();
            for (Object[] row : list(c, "SELECT kek_label, COUNT(*) FROM " + table
                    + " WHERE kek_label IS NOT NULL GROUP BY kek_label",
                    rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
                out.put((String) row[0], (Long) row[1]);
            }
            return out;
        });
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
        return jdbc.write(c -> update(c, sql.toString(), args.toArray())) == 1;
    }
}
