package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.insert;
import static io.lorafab.store.jdbc.JdbcContext.list;
import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.store.StoreException;
import io.lorafab.store.TokenStore;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Names;
import io.lorafab.store.model.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TokenStore} on the {@code api_token} table. */
final class JdbcTokenStore implements TokenStore {

    private static final String TOKEN_COLS = "id, name, role, created_at, revoked_at";

    private final JdbcContext jdbc;

    JdbcTokenStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public ApiToken insertToken(String name, Role role, String tokenHash) {
        long id = jdbc.write(c -> insert(c, "INSERT INTO api_token (token_hash, role, name, created_at) VALUES (?,?,?,?)",
                tokenHash, role.name(), Names.require(name, "token name"), jdbc.now()));
        return jdbc.read(c -> one(c, "SELECT " + TOKEN_COLS + " FROM api_token WHERE id = ?", JdbcTokenStore::token, id))
                .orElseThrow();
    }

    @Override
    public Optional<ApiToken> tokenByHash(String tokenHash) {
        // every API request (a reservation, a network server's JoinReq) is authenticated by this look-up
        return jdbc.read(c -> jdbc.oneCached(c, "SELECT " + TOKEN_COLS + " FROM api_token WHERE token_hash = ?", JdbcTokenStore::token,
                tokenHash));
    }

    @Override
    public Optional<ApiToken> token(long id) {
        return jdbc.read(c -> one(c, "SELECT " + TOKEN_COLS + " FROM api_token WHERE id = ?", JdbcTokenStore::token, id));
    }

    @Override
    public List<ApiToken> tokens() {
        return jdbc.read(c -> list(c, "SELECT " + TOKEN_COLS + " FROM api_token ORDER BY id", JdbcTokenStore::token));
    }

    @Override
    public void revokeToken(long id) {
        int n = jdbc.write(c -> update(c, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                jdbc.now(), id));
        if (n == 0) {
            throw StoreException.notFound("active token " + id);
        }
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        String revoked = rs.getString(5);
        return new ApiToken(rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3)), Timestamps.parse(rs.getString(4)),
                revoked == null ? null : Timestamps.parse(revoked));
    }
}
