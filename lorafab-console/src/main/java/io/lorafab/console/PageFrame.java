package io.lorafab.console;

import io.lorafab.provisioning.service.ConsoleSessions.Principal;
import java.util.List;

/**
 * What the layout template needs besides the page's own model: the title, who is signed in (null on the
 * sign-in and error pages before a session), the CSRF token for forms and htmx, the menu, a flash message.
 */
public record PageFrame(String title, Principal principal, String csrf, List<Nav.Link> nav, String flash,
        ConsoleAssets assets) {

    public String asset(String name) {
        return assets.url(name);
    }

    public boolean signedIn() {
        return principal != null;
    }

    @Override
    public String toString() {
        return "PageFrame[" + title + ", " + principal + "]";
    }
}
