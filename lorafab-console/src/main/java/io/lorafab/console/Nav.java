package io.lorafab.console;

import io.lorafab.store.model.Role;
import java.util.List;

/**
 * The console's menu: one list, in the order shown, each entry with the least role that sees it. A page that is
 * not built yet is served as a "not built yet" page at its path; a helper that builds it registers its route
 * (see {@link ConsolePages}) and the placeholder steps aside. The server enforces the role again on every route.
 */
public enum Nav {
    STATIONS("Stations", "/console/stations", Role.OPERATOR),
    LINE("Line", "/console/line", Role.ENGINEER),
    ORDERS("Orders", "/console/orders", Role.ENGINEER),
    PRODUCTS("Products", "/console/products", Role.ENGINEER),
    EUI_BLOCKS("EUI blocks", "/console/eui-blocks", Role.ENGINEER),
    GATEWAYS("Gateways", "/console/gateways", Role.ENGINEER),
    AUDIT("Audit", "/console/audit", Role.ADMIN),
    TOKENS("Tokens", "/console/tokens", Role.ADMIN),
    KEYS("Keys", "/console/keys", Role.ADMIN),
    EXPORTS("Exports", "/console/exports", Role.ADMIN);

    private final String label;
    private final String path;
    private final Role role;

    Nav(String label, String path, Role role) {
        this.label = label;
        this.path = path;
        this.role = role;
    }

    public String label() {
        return label;
    }

    public String path() {
        return path;
    }

    /** The least role that sees the entry and may open its page. */
    public Role role() {
        return role;
    }

    /** An entry as the layout shows it. */
    public record Link(String label, String path, boolean active) {
    }

    /** The entries {@code role} sees, the one whose section {@code currentPath} is in marked active. */
    public static List<Link> visibleTo(Role role, String currentPath) {
        return java.util.Arrays.stream(values()).filter(n -> role.allows(n.role))
                .map(n -> new Link(n.label, n.path, currentPath.equals(n.path) || currentPath.startsWith(n.path + "/")))
                .toList();
    }
}
