package io.lorafab.console;

import io.javalin.http.Context;
import io.lorafab.provisioning.service.ConsoleSessions.Principal;
import io.lorafab.store.model.Role;

/**
 * One console request as a page sees it: who is signed in, the CSRF token its forms carry, the request's
 * parameters, and how to answer (render a template inside the layout, redirect, leave a flash message for the
 * next page). Pages read application services only; no SQL here.
 */
public final class ConsoleContext {
    private final Console console;
    private final Context http;
    private final Principal principal;
    private final String csrf;

    ConsoleContext(Console console, Context http, Principal principal, String csrf) {
        this.console = console;
        this.http = http;
        this.principal = principal;
        this.csrf = csrf;
    }

    /** Who is signed in (never null on a page registered through {@link ConsoleRoutes}). */
    public Principal principal() {
        return principal;
    }

    /** The value forms carry in their hidden {@code _csrf} field. */
    public String csrf() {
        return csrf;
    }

    /** The Javalin request, for what this class does not cover (headers, uploads). */
    public Context http() {
        return http;
    }

    public String pathParam(String name) {
        return http.pathParam(name);
    }

    public String queryParam(String name) {
        return http.queryParam(name);
    }

    public String formParam(String name) {
        return http.formParam(name);
    }

    /**
     * The {@code multipart/form-data} body of a route registered with {@link ConsoleRoutes#upload}, read into memory
     * (already read by the CSRF check).
     */
    MultipartForm upload(int maxBytes) throws java.io.IOException {
        return MultipartForm.of(http, maxBytes);
    }

    /** Whether the request came from htmx (answer with a fragment rather than a whole page). */
    public boolean htmx() {
        return "true".equals(http.header("HX-Request"));
    }

    /** Refuses (403 page) unless the signed-in role allows {@code role}: for a part of a page stricter than its route. */
    public void requireRole(Role role) {
        if (principal == null || !principal.role().allows(role)) {
            throw new Forbidden("this needs the " + role.display() + " role; you are signed in as "
                    + (principal == null ? "nobody" : principal.role().display()));
        }
    }

    /** Whether the signed-in role allows {@code role}: for showing a button only to those who may press it. */
    public boolean allows(Role role) {
        return principal != null && principal.role().allows(role);
    }

    /**
     * Renders {@code template} (a file under {@code src/main/jte}, e.g. {@code "products.jte"}) inside the layout,
     * with 200. The template declares {@code @param PageFrame page} and {@code @param <its model type> model}.
     */
    public void render(String template, String title, Object model) {
        render(200, template, title, model);
    }

    public void render(int status, String template, String title, Object model) {
        console.render(http, status, template, console.frame(http, title, principal, csrf), model);
    }

    /** Renders a template without the layout (an htmx fragment): it declares the same two params. */
    public void fragment(String template, Object model) {
        console.fragment(http, template, console.frame(http, "", principal, csrf), model);
    }

    /** Redirects (303 after a POST, so the browser follows with a GET; 302 otherwise). */
    public void redirect(String path) {
        console.redirect(http, path);
    }

    /** A one-line message shown once, on the next page rendered for this browser (after a redirect). */
    public void flash(String message) {
        console.flash(http, message);
    }
}
