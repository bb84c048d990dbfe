package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.model.Role;
import java.util.Locale;
import java.util.Optional;

/**
 * The one identity a Backend Interfaces caller speaks for, named by its {@code network-server} token: a network
 * server's NetID (a token named with six hex digits, e.g. {@code 000013}) or an application server's AS-ID (a
 * token named {@code as:<AS-ID>}). A network-server token named otherwise speaks for no one and is refused.
 *
 * @param netId the network server's NetID, or null for an application server
 * @param asId the application server's AS-ID, or null for a network server
 */
public record BiIdentity(NetId netId, String asId) {

    public static final String AS_PREFIX = "as:";

    /** What to name a token instead, for error messages. */
    public static final String HOW = "name a network-server token after the NetID it speaks for (--name 000013), or as:<AS-ID> "
            + "for an application server (--name as:my-as)";

    /** The identity a token of this name speaks for, if it names one. */
    public static Optional<BiIdentity> of(String tokenName) {
        String n = tokenName == null ? "" : tokenName.strip();
        if (n.matches("[0-9A-Fa-f]{6}")) {
            return Optional.of(new BiIdentity(NetId.parse(n.toLowerCase(Locale.ROOT)), null));
        }
        if (n.startsWith(AS_PREFIX) && n.length() > AS_PREFIX.length()) {
            return Optional.of(new BiIdentity(null, n.substring(AS_PREFIX.length())));
        }
        return Optional.empty();
    }

    /** Refuses a network-server token whose name speaks for no NetID or AS-ID; other roles may be named freely. */
    public static void checkTokenName(Role role, String name) {
        if (role == Role.NETWORK_SERVER && of(name).isEmpty()) {
            throw new LorawanFormatException("a network-server token must carry the identity it speaks for, not '" + name + "': " + HOW);
        }
    }

    public boolean isNetworkServer() {
        return netId != null;
    }

    /** The actor written to the audit log. */
    public String actor() {
        return isNetworkServer() ? "bi:" + netId : "bi:" + AS_PREFIX + asId;
    }

    @Override
    public String toString() {
        return isNetworkServer() ? "network server " + netId : "application server " + asId;
    }
}
