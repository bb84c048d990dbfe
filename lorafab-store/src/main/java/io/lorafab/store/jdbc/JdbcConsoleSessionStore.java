package io.lorafab.store.jdbc;

import static io.lorafab.store.jdbc.JdbcContext.one;
import static io.lorafab.store.jdbc.JdbcContext.update;

import io.lorafab.store.ConsoleSessionStore;
import io.lorafab.store.model.ConsoleSession;
import io.lorafab.store.model.SignInCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link ConsoleSessionStore} on the {@code console_session} and {@code console_sign_in_code} tables (V7). */
final class JdbcConsoleSessionStore implements ConsoleSessionStore {

    private static final String SESSION_COLS = "id_hash, token_id, csrf_secret, created_ms, last_seen_ms, expires_ms";
    private static final String CODE_COLS = "code_hash, token_id, created_ms, expires_ms, used_ms";

    private final JdbcContext jdbc;

    JdbcConsoleSessionStore(JdbcContext jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insertConsoleSession(ConsoleSession s) {
        jdbc.write(c -> update(c, "INSERT INTO console_session (" + SESSION_COLS + ") VALUES (?,?,?,?,?,?)", s.idHash(),
                s.tokenId(), s.csrfSecret(), ms(s.createdAt()), ms(s.lastSeenAt()), ms(s.expiresAt())));
    }

    @Override
    public Optional<ConsoleSession> consoleSession(String idHash) {
        return jdbc.read(c -> one(c, "SELECT " + SESSION_COLS + " FROM console_session WHERE id_hash = ?",
                JdbcConsoleSessionStore::session, idHash));
    }

    @Override
    public boolean touchConsoleSession(String idHash, Instant lastSeen) {
        return jdbc.write(c -> update(c, "UPDATE console_session SET last_seen_ms = ? WHERE id_hash = ?", ms(lastSeen),
                idHash)) > 0;
    }

    @Override
    public boolean deleteConsoleSession(String idHash) {
        return jdbc.write(c -> update(c, "DELETE FROM console_session WHERE id_hash = ?", idHash)) > 0;
    }

    @Override
    public int deleteConsoleSessionsOfToken(long tokenId) {
        return jdbc.write(c -> update(c, "DELETE FROM console_session WHERE token_id = ?", tokenId));
    }

    @Override
    public int purgeConsoleSessions(Instant now, Instant idleBefore) {
        return jdbc.write(c -> update(c, "DELETE FROM console_session WHERE expires_ms <= ? OR last_seen_ms < ?", ms(now),
                ms(idleBefore)) + update(c, "DELETE FROM console_sign_in_code WHERE expires_ms <= ?", ms(now)));
    }

    @Override
    public void insertSignInCode(SignInCode s) {
        jdbc.write(c -> update(c, "INSERT INTO console_sign_in_code (" + CODE_COLS + ") VALUES (?,?,?,?,?)", s.codeHash(),
                s.tokenId(), ms(s.createdAt()), ms(s.expiresAt()), s.usedAt() == null ? null : ms(s.usedAt())));
    }

    @Override
    public Optional<SignInCode> signInCode(String codeHash) {
        return jdbc.read(c -> one(c, "SELECT " + CODE_COLS + " FROM console_sign_in_code WHERE code_hash = ?",
                JdbcConsoleSessionStore::code, codeHash));
    }

    @Override
    public boolean useSignInCode(String codeHash, Instant at) {
        // the condition on used_ms makes the second of two racing uses change nothing
        return jdbc.write(c -> update(c, "UPDATE console_sign_in_code SET used_ms = ? WHERE code_hash = ? AND used_ms IS NULL",
                ms(at), codeHash)) == 1;
    }

    private static Long ms(Instant t) {
        return t.toEpochMilli();
    }

    private static ConsoleSession session(ResultSet rs) throws SQLException {
        return new ConsoleSession(rs.getString(1), rs.getLong(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)));
    }

    private static SignInCode code(ResultSet rs) throws SQLException {
        long used = rs.getLong(5);
        Instant usedAt = rs.wasNull() ? null : Instant.ofEpochMilli(used);
        return new SignInCode(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                Instant.ofEpochMilli(rs.getLong(4)), usedAt);
    }
}
