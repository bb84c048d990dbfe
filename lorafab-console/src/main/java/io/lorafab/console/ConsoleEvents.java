package io.lorafab.console;

import io.javalin.http.sse.SseClient;
import io.lorafab.provisioning.service.ConsoleSessions.Principal;
import io.lorafab.store.model.Role;
import java.util.List;
import java.util.Map;

/**
 * One browser's open event stream ({@link ConsoleRoutes#sse}): who opened it, the request's parameters, and how to
 * send to it. An event's data is one line of HTML (a fragment rendered from a template), so that it arrives as one
 * {@code data:} field whatever the template's line breaks.
 */
public final class ConsoleEvents {
    /** The request that opened a stream. */
    public record Request(Principal principal, Map<String, String> pathParams, Map<String, List<String>> queryParams,
            String sessionCookie) {

        public String pathParam(String name) {
            return pathParams.get(name);
        }

        public String queryParam(String name) {
            List<String> v = queryParams.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final Console console;
    private final SseClient client;
    private final Request request;

    ConsoleEvents(Console console, SseClient client, Request request) {
        this.console = console;
        this.client = client;
        this.request = request;
    }

    public Request request() {
        return request;
    }

    /** Renders {@code template} (no layout) with these params, as the one-line data of an event. */
    public String render(String template, Map<String, Object> params) {
        return console.renderToString(template, params).replace("\r", "").replace('\n', ' ');
    }

    /** Sends an event named {@code event}; false when the browser has gone (the stream is then closed). */
    public boolean send(String event, String data) {
        if (client.terminated()) {
            return false;
        }
        client.sendEvent(event, data);
        return !client.terminated();
    }

    /** A comment line: keeps the connection busy within the server's idle timeout; false when the browser has gone. */
    public boolean heartbeat() {
        if (client.terminated()) {
            return false;
        }
        client.sendComment("");
        return !client.terminated();
    }

    /** Whether the session that opened the stream is still open and allows {@code role} (a revoked token ends it). */
    public boolean stillAllowed(Role role) {
        return console.sessionAllows(request.sessionCookie(), role);
    }

    public boolean closed() {
        return client.terminated();
    }

    public void close() {
        client.close();
    }

    /** Runs {@code r} once the browser has gone. */
    public void onClose(Runnable r) {
        client.onClose(r);
    }
}
