package io.lorafab.console;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportException;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.Keys;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.vault.KeyRotation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The security officer's pages (admin role): the audit log, API tokens, the key-encryption keys, and exports of
 * devices with their keys. Each calls the service the HTTP API calls for the same act, so the audit records are the
 * API's. Keys never appear in these pages: an export's keys leave only in the downloaded file.
 */
public final class AdminPages implements ConsolePages {
    /** Rows per audit page. */
    static final int AUDIT_PAGE = 50;
    /** How long a created token's secret waits for its one showing (the redirect right after the POST). */
    static final Duration SECRET_WAIT = Duration.ofMinutes(5);

    private final Console.Services services;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * Secrets of tokens just created, under a random one-time id, until the page after the POST shows them once:
     * a reload or a back button then finds nothing and no second token is made. Memory only (a restart loses a secret
     * not yet shown, which is the safe way to lose it); the id is not the secret, so it may travel in a URL.
     */
    private final Map<String, PendingSecret> pending = new ConcurrentHashMap<>();

    AdminPages(Console.Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    @Override
    public void register(ConsoleRoutes r) {
        r.get(Nav.AUDIT.path(), Role.ADMIN, this::audit);

        r.get(Nav.TOKENS.path(), Role.ADMIN, c -> tokens(c, 200, null, "", "operator"));
        r.post(Nav.TOKENS.path(), Role.ADMIN, this::createToken);
        r.get(Nav.TOKENS.path() + "/created/{once}", Role.ADMIN, this::createdToken);
        r.get(Nav.TOKENS.path() + "/{id}/revoke", Role.ADMIN, this::revokeConfirm);
        r.post(Nav.TOKENS.path() + "/{id}/revoke", Role.ADMIN, this::revoke);

        r.get(Nav.KEYS.path(), Role.ADMIN, c -> c.render("keys.jte", "Keys", services.keys().status()));
        r.get(Nav.KEYS.path() + "/rotate", Role.ADMIN, c -> rotateConfirm(c, 200, "", null));
        r.post(Nav.KEYS.path() + "/rotate", Role.ADMIN, this::rotate);

        r.get(Nav.EXPORTS.path(), Role.ADMIN, c -> exportForm(c, 200, ExportChoice.empty(), null));
        r.get(Nav.EXPORTS.path() + "/confirm", Role.ADMIN, this::exportConfirm);
        r.post(Nav.EXPORTS.path() + "/download", Role.ADMIN, this::exportDownload);
    }

    /** The one-line message of a refusal meant for a person, or null for anything else (which becomes the 500 page). */
    static String personMessage(RuntimeException e) {
        if (e instanceof StoreException || e instanceof LorawanFormatException || e instanceof ExportException) {
            return e.getMessage();
        }
        return null;
    }

    static int statusOf(RuntimeException e) {
        if (e instanceof StoreException s) {
            int st = s.code().httpStatus();
            return st >= 400 && st < 500 ? st : 400;
        }
        return 400;
    }

    // ---- audit -----------------------------------------------------------------------------------------------

    /** The filters as typed (shown back in the form). */
    public record AuditForm(String actor, String action, String unit, String since, String until) {
        /** The query string of these filters (without a leading '?'), for the next-page link. */
        String query() {
            StringBuilder q = new StringBuilder();
            add(q, "actor", actor);
            add(q, "action", action);
            add(q, "unit", unit);
            add(q, "since", since);
            add(q, "until", until);
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (!value.isBlank()) {
                q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }

        public boolean any() {
            return !query().isEmpty();
        }
    }

    /**
     * The audit page: the filters, this page's records (newest first), the link to the older ones (null: none), the
     * link back to the newest when this is a later page (null: this is the first), and the error of a filter.
     */
    public record AuditModel(AuditForm form, List<AuditEvent> rows, String olderHref, String newestHref, String error) {
    }

    private void audit(ConsoleContext c) {
        AuditForm form = new AuditForm(text(c.queryParam("actor")), text(c.queryParam("action")), text(c.queryParam("unit")),
                text(c.queryParam("since")), text(c.queryParam("until")));
        String before = c.queryParam("before");
        List<AuditEvent> rows;
        try {
            Eui64 unit = form.unit().isBlank() ? null : parseUnit(form.unit());
            rows = services.auditTrail().find(new AuditTrail.Filter(form.actor(), form.action(), unit, form.since(), form.until(),
                    AUDIT_PAGE + 1, before), name -> name);
        } catch (RuntimeException e) {
            String m = personMessage(e);
            if (m == null) {
                throw e;
            }
            c.render(400, "audit.jte", "Audit", new AuditModel(form, List.of(), null, null, m));
            return;
        }
        String older = null;
        if (rows.size() > AUDIT_PAGE) {
            rows = rows.subList(0, AUDIT_PAGE);
            String q = form.query();
            older = Nav.AUDIT.path() + "?" + q + (q.isEmpty() ? "" : "&") + "before=" + rows.get(rows.size() - 1).id();
        }
        String newest = before == null || before.isBlank() ? null
                : Nav.AUDIT.path() + (form.query().isEmpty() ? "" : "?" + form.query());
        c.render("audit.jte", "Audit", new AuditModel(form, rows, older, newest, null));
    }

    private static Eui64 parseUnit(String text) {
        try {
            return Eui64.parse(text);
        } catch (LorawanFormatException e) {
            throw new LorawanFormatException("unit: '" + (text.length() > 30 ? text.substring(0, 30) + "..." : text)
                    + "' is not a DevEUI (16 hex digits)");
        }
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }

    // ---- tokens ----------------------------------------------------------------------------------------------

    /** The tokens page: every token, the create form (with what was typed and its error), and the viewer's own token. */
    public record TokensModel(List<ApiToken> tokens, long ownTokenId, List<String> roles, String name, String role, String error) {
    }

    private void tokens(ConsoleContext c, int status, String error, String name, String role) {
        List<ApiToken> all = new ArrayList<>(services.tokens().all());
        // the active ones first, newest first; the revoked after them
        all.sort((a, b) -> a.revokedAt() == null && b.revokedAt() != null ? -1
                : a.revokedAt() != null && b.revokedAt() == null ? 1 : Long.compare(b.id(), a.id()));
        List<String> roles = Arrays.stream(Role.values()).map(Role::display).toList();
        c.render(status, "tokens.jte", "Tokens", new TokensModel(all, c.principal().tokenId(), roles, name, role, error));
    }

    private record PendingSecret(long forTokenId, Instant until, ApiTokens.Created created) {
        @Override
        public String toString() {
            return "PendingSecret[" + created + "]";
        }
    }

    private void createToken(ConsoleContext c) {
        String name = text(c.formParam("name"));
        String role = text(c.formParam("role"));
        ApiTokens.Created created;
        try {
            created = services.tokens().create(name.isEmpty() ? null : name, Role.parse(role.isEmpty() ? "?" : role),
                    c.principal().actor());
        } catch (RuntimeException e) {
            String m = personMessage(e);
            if (m == null) {
                throw e;
            }
            tokens(c, statusOf(e), m, name, role);
            return;
        }
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.until().isBefore(now));
        byte[] b = new byte[24];
        random.nextBytes(b);
        String once = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        pending.put(once, new PendingSecret(c.principal().tokenId(), now.plus(SECRET_WAIT), created));
        c.redirect(Nav.TOKENS.path() + "/created/" + once);
    }

    /** The page after a token is created: its secret, this once (null: already shown, or waited too long). */
    public record CreatedModel(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "CreatedModel[" + token + ", secret=redacted]";
        }
    }

    private void createdToken(ConsoleContext c) {
        PendingSecret p = pending.remove(c.pathParam("once"));
        if (p == null || p.forTokenId() != c.principal().tokenId() || p.until().isBefore(clock.instant())) {
            c.render(410, "token_created.jte", "Token secret gone", new CreatedModel(null, null));
            return;
        }
        c.render("token_created.jte", "Token created", new CreatedModel(p.created().token(), p.created().secret()));
    }

    /** The revoke confirmation: the token, and whether it is the one this session was opened with. */
    public record RevokeModel(ApiToken token, boolean own) {
    }

    private ApiToken tokenOf(ConsoleContext c) {
        long id;
        try {
            id = Long.parseLong(c.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFound("There is no token with this id.");
        }
        return services.tokens().all().stream().filter(t -> t.id() == id).findFirst()
                .orElseThrow(() -> new NotFound("There is no token with this id."));
    }

    private void revokeConfirm(ConsoleContext c) {
        ApiToken t = tokenOf(c);
        if (t.revokedAt() != null) {
            c.flash("Token " + t.name() + " was already revoked.");
            c.redirect(Nav.TOKENS.path());
            return;
        }
        c.render("token_revoke.jte", "Revoke token", new RevokeModel(t, t.id() == c.principal().tokenId()));
    }

    private void revoke(ConsoleContext c) {
        ApiToken t = tokenOf(c);
        if (t.revokedAt() == null) {
            services.tokens().revoke(t.id(), c.principal().actor());
        }
        // revoking this session's own token ends the session: the next page is the sign-in page, which says why
        c.flash("Token " + t.name() + " is revoked: its sessions end at their next page.");
        c.redirect(Nav.TOKENS.path());
    }

    // ---- keys ------------------------------------------------------------------------------------------------

    /** The rotation confirmation: the status, the label typed, the error of a refused rotation. */
    public record RotateModel(Keys.Status status, String label, String error) {
    }

    private void rotateConfirm(ConsoleContext c, int status, String label, String error) {
        c.render(status, "keys_rotate.jte", "Rotate the KEK", new RotateModel(services.keys().status(), label, error));
    }

    private void rotate(ConsoleContext c) {
        String label = text(c.formParam("label"));
        KeyRotation.Result r;
        try {
            r = services.keys().rotate(label, c.principal().actor());
        } catch (RuntimeException e) {
            String m = personMessage(e);
            if (m == null) {
                throw e;
            }
            rotateConfirm(c, statusOf(e), label, m);
            return;
        }
        c.flash("KEK " + r.newLabel() + " is active (it replaces " + r.previousLabel() + "): " + r.rewrapped()
                + " key sets re-wrapped (" + r.units() + " units, " + r.sessions() + " sessions).");
        c.redirect(Nav.KEYS.path());
    }

    // ---- exports ---------------------------------------------------------------------------------------------

    /** An export as chosen on the form (texts as given; blank: not chosen). */
    public record ExportChoice(String format, String order, boolean allStates, String kek, String applicationId,
            String deviceProfileId, String frequencyPlan) {
        static ExportChoice empty() {
            return new ExportChoice("tts-json", "", false, "", "", "", "");
        }

        static ExportChoice of(java.util.function.UnaryOperator<String> param) {
            return new ExportChoice(text(param.apply("format")), text(param.apply("order")), "true".equals(param.apply("allStates")),
                    text(param.apply("kek")), text(param.apply("applicationId")), text(param.apply("deviceProfileId")),
                    text(param.apply("frequencyPlan")));
        }
    }

    /** The export form: the choice, the formats, the open work orders' references, the export KEK labels, an error. */
    public record ExportFormModel(ExportChoice choice, Map<String, String> formats, List<String> orders, List<String> keks,
            String error) {
    }

    /** The confirmation: the choice, its work order (null: all), how many devices, and whether keys leave wrapped. */
    public record ExportConfirmModel(ExportChoice choice, String formatName, String orderRef, int devices) {
        public boolean wrapped() {
            return !choice.kek().isEmpty();
        }
    }

    private record Checked(DeviceExportFormat format, ExportOptions options, WorkOrder order) {
    }

    private static final Map<String, String> FORMAT_NAMES = formatNames();

    private static Map<String, String> formatNames() {
        Map<String, String> m = new LinkedHashMap<>();
        for (DeviceExportFormat f : DeviceExportFormat.values()) {
            m.put(f.id(), switch (f) {
                case TTS_JSON -> "The Things Stack JSON (tts-json)";
                case TTS_CSV -> "The Things Stack CSV (tts-csv)";
                case CHIRPSTACK_CSV -> "ChirpStack v4 CSV (chirpstack-csv)";
                case CSV -> "lorafab CSV (csv)";
            });
        }
        return m;
    }

    private void exportForm(ConsoleContext c, int status, ExportChoice choice, String error) {
        List<String> orders = services.workOrders().all().stream().map(WorkOrder::reference).toList();
        c.render(status, "exports.jte", "Exports", new ExportFormModel(choice, FORMAT_NAMES, orders,
                services.exportKeks().labels(), error));
    }

    /** The choice checked as the API checks its query: format, work order, KEK label, options. */
    private Checked check(ExportChoice ch) {
        DeviceExportFormat format = DeviceExportFormat.byId(ch.format());
        ExportOptions o = ExportOptions.defaults();
        if (!ch.kek().isEmpty()) {
            if (!format.carriesWrappedKeys()) {
                throw new ExportException("the " + format.id() + " format cannot carry wrapped keys: choose no KEK, or "
                        + "a format that can (tts-json, csv)");
            }
            o = o.withWrapKek(services.exportKeks().byLabel(ch.kek()));
        }
        if (!ch.applicationId().isEmpty()) {
            o = o.withApplicationId(ch.applicationId());
        }
        if (!ch.deviceProfileId().isEmpty()) {
            o = o.withDeviceProfileId(ch.deviceProfileId());
        }
        if (!ch.frequencyPlan().isEmpty()) {
            o = o.withFrequencyPlanId(ch.frequencyPlan());
        }
        WorkOrder order = ch.order().isEmpty() ? null : services.workOrders().byReference(ch.order());
        return new Checked(format, o, order);
    }

    private void exportConfirm(ConsoleContext c) {
        ExportChoice ch = ExportChoice.of(c::queryParam);
        try {
            Checked k = check(ch);
            int n = services.exports().count(k.order() == null ? null : k.order().id(), ch.allStates());
            if (n == 0) {
                exportForm(c, 422, ch, "no devices to export" + (ch.allStates() ? ""
                        : " (only PROGRAMMED and PASSED units are exported unless all states are asked for)"));
                return;
            }
            c.render("export_confirm.jte", "Confirm the export", new ExportConfirmModel(ch, FORMAT_NAMES.get(k.format().id()),
                    k.order() == null ? null : k.order().reference(), n));
        } catch (RuntimeException e) {
            String m = personMessage(e);
            if (m == null) {
                throw e;
            }
            exportForm(c, statusOf(e), ch, m);
        }
    }

    private void exportDownload(ConsoleContext c) {
        ExportChoice ch = ExportChoice.of(c::formParam);
        byte[] body;
        Checked k;
        try {
            k = check(ch);
            // the API's own call: the same audit record (keys.export) for the same export
            body = services.exports().export(k.format(), k.options(), k.order() == null ? null : k.order().id(), ch.allStates(),
                    c.principal().actor());
        } catch (RuntimeException e) {
            String m = personMessage(e);
            if (m == null) {
                throw e;
            }
            exportForm(c, statusOf(e), ch, m);
            return;
        }
        String type = k.format().id().endsWith("json") ? "application/x-ndjson" : "text/csv";
        String name = (k.order() == null ? "devices" : safeFileName(k.order().reference()) + "-devices") + "." + k.format().fileExtension();
        c.http().status(200);
        c.http().contentType(type + "; charset=utf-8");
        c.http().header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        c.http().result(body);
    }

    /** A work-order reference as a file name: letters, digits, '.', '_' and '-' kept, anything else '_'. */
    static String safeFileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
