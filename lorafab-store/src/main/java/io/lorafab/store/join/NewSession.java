package io.lorafab.store.join;

/**
 * The wrapped session keys a join produced (built once the JoinNonce and DevAddr are known) and the application
 * server authorised for the session ({@code asId}, null for none).
 */
public record NewSession(String sessionKeyId, String kekLabel, byte[] fNwkSIntKey, byte[] sNwkSIntKey, byte[] nwkSEncKey,
        byte[] appSKey, boolean lorawan11, String asId) {

    @Override
    public String toString() {
        return "NewSession[" + sessionKeyId + ", keys=wrapped]";
    }
}
