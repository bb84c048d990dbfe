package io.lorafab.console;

import io.lorafab.store.model.Role;

/**
 * Where page groups add routes. Every route needs a signed-in session whose role allows {@code role}; a POST
 * must carry the session's CSRF token (form field {@code _csrf}, or header {@code X-CSRF-Token} from htmx), else
 * it is refused with 403 before the handler runs. Paths are under {@code /console/}.
 */
public interface ConsoleRoutes {
    void get(String path, Role role, ConsolePage page);

    void post(String path, Role role, ConsolePage page);

    /**
     * A POST taking a {@code multipart/form-data} upload of at most {@code maxBytes}, read into memory (never to a
     * temporary file); its CSRF token is the form's {@code _csrf} part. The page reads it with
     * {@code ConsoleContext.upload}.
     */
    default void upload(String path, Role role, int maxBytes, ConsolePage page) {
        throw new UnsupportedOperationException("uploads are registered by the console");
    }

    /**
     * A stream of server-sent events at {@code path} for a signed-in session whose role allows {@code role} (checked
     * when the browser connects, and again now and then by the stream's owner through {@link ConsoleEvents#stillAllowed}).
     * Refused with a bare 401 or 403, which an EventSource understands.
     */
    default void sse(String path, Role role, ConsoleStream stream) {
        throw new UnsupportedOperationException("this route collector takes no streams");
    }
}
