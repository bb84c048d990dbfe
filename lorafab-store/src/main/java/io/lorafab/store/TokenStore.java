package io.lorafab.store;

import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Role;
import java.util.List;
import java.util.Optional;

/**
 * API tokens, held by the hash of their secret only.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface TokenStore {

    ApiToken insertToken(String name, Role role, String tokenHash);

    Optional<ApiToken> tokenByHash(String tokenHash);

    /** The token with this id, revoked or not. */
    Optional<ApiToken> token(long id);

    List<ApiToken> tokens();

    void revokeToken(long id);
}
