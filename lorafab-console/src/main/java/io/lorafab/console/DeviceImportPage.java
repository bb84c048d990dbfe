package io.lorafab.console;

import io.lorafab.provisioning.io.ImportError;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.io.ImportFile;
import io.lorafab.provisioning.service.Products;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /console/devices/import}: a device CSV uploaded, checked as a dry run that lists every problem of the file
 * by line (the service's {@link Provisioning#checkImport}, the same checks {@code POST /api/devices/import} runs),
 * then committed with one button through the same {@link Provisioning#importRows} call as the API, audited alike.
 *
 * <p>Between the check and the commit the file waits in memory only (never on disk, never in the page), under a
 * random id bound to the browser's session, for {@link #KEPT} at most; the commit takes it away and overwrites it.
 * The problems shown are the importer's, which never quote a key.
 */
public final class DeviceImportPage implements ConsolePages {
    static final String PATH = "/console/devices/import";
    /** The API's import limit ({@code ApiServer.Body.UPLOAD}), so that a file the API takes the console takes too. */
    static final int MAX_UPLOAD_BYTES = 16 << 20;
    static final Duration KEPT = Duration.ofMinutes(10);
    /** Files waiting for their commit, over every session: an old one makes room for a new one. */
    private static final int MAX_PENDING = 8;

    private final Products products;
    private final Provisioning provisioning;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    DeviceImportPage(Products products, Provisioning provisioning, Clock clock, SecureRandom random) {
        this.products = products;
        this.provisioning = provisioning;
        this.clock = clock;
        this.random = random;
    }

    /** A checked file waiting for its commit, with the options it was checked with. */
    private record Pending(String owner, byte[] csv, Map<String, String> options, String fileName, Instant until) {
    }

    /** The upload form: the options of {@code POST /api/devices/import} and the file. */
    public record Form(FormView form) {
    }

    /**
     * What the check found: {@code problems} (in line order; {@code truncated} when there were more) or, when there
     * are none, how many devices the file would import and where to commit it.
     */
    public record Outcome(String fileName, String summary, List<ImportError> problems, boolean truncated, int devices,
            String product, String commitPath) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final List<String> OPTIONS = List.of("product", "macVersion", "region", "netIds");

    @Override
    public void register(ConsoleRoutes routes) {
        routes.get(PATH, Role.ENGINEER, c -> c.render("import.jte", "Import devices", form(Map.of(), null)));
        routes.upload(PATH, Role.ENGINEER, MAX_UPLOAD_BYTES, this::check);
        routes.post(PATH + "/{id}/commit", Role.ENGINEER, this::commit);
    }

    private Form form(Map<String, String> values, RuntimeException refusal) {
        List<String> names = products.all().stream().map(Product::name).toList();
        return new Form(refusal == null ? FormView.empty(values, names) : FormView.refused(values, refusal, names));
    }

    private void check(ConsoleContext c) throws Exception {
        MultipartForm upload = c.upload(MAX_UPLOAD_BYTES);
        Map<String, String> options = new LinkedHashMap<>();
        for (String o : OPTIONS) {
            String v = upload.field(o);
            options.put(o, v == null || v.isBlank() ? null : v.strip());
        }
        byte[] csv = upload.bytes("file");
        String fileName = upload.fileName("file");
        try {
            if (csv == null || fileName == null || fileName.isEmpty()) {
                c.render(422, "import.jte", "Import devices", form(shown(options),
                        new io.lorafab.store.StoreException(io.lorafab.api.ErrorCode.INVALID_INPUT, "choose a CSV file to import")));
                return;
            }
            Outcome outcome;
            try {
                ImportFile file = read(csv, options);
                provisioning.checkImport(file);
                String id = keep(c, csv, options, fileName);
                outcome = new Outcome(fileName, file.devices().size() + " devices, no problem found: nothing is imported until "
                        + "you commit.", List.of(), false, file.devices().size(), options.get("product"),
                        PATH + "/" + id + "/commit");
            } catch (ImportException e) {
                outcome = refused(fileName, e);
            }
            c.render(outcome.ok() ? 200 : 422, "import_result.jte", outcome.ok() ? "Import checked" : "Import problems", outcome);
        } catch (RuntimeException e) {
            if (!FormView.isRefusal(e)) {
                throw e;
            }
            c.render(422, "import.jte", "Import devices", form(shown(options), e));
        } finally {
            upload.clear();
        }
    }

    private void commit(ConsoleContext c) {
        Pending p = take(c.pathParam("id"), owner(c));
        if (p == null) {
            c.flash("That checked file is no longer kept (it is kept " + KEPT.toMinutes() + " minutes, for the session that "
                    + "uploaded it): upload it again.");
            c.redirect(PATH);
            return;
        }
        try {
            ImportFile file = read(p.csv(), p.options());
            Product product = p.options().get("product") == null ? null : products.byName(p.options().get("product"));
            String ids = p.options().get("netIds");
            int n = provisioning.importRows(file, product == null ? null : product.id(),
                    ids == null ? null : AllowedNetIds.parse(ids), c.principal().actor()).size();
            c.flash("Imported " + n + " devices from " + p.fileName() + ".");
            c.redirect(PATH);
        } catch (ImportException e) {
            // the registry changed since the check (another import took a DevEUI): the same report, nothing imported
            c.render(422, "import_result.jte", "Import problems", refused(p.fileName(), e));
        } finally {
            Arrays.fill(p.csv(), (byte) 0);
        }
    }

    /** The file read with the API's options: the product by name, the MAC version and region of rows without one. */
    private ImportFile read(byte[] csv, Map<String, String> options) {
        Product product = options.get("product") == null ? null : products.byName(options.get("product"));
        if (options.get("netIds") != null) {
            AllowedNetIds.parse(options.get("netIds")); // refused before the file is read, as the API would at the import
        }
        return Provisioning.readImport(csv, product, options.get("macVersion"), options.get("region"));
    }

    private static Outcome refused(String fileName, ImportException e) {
        return new Outcome(fileName, e.rowSummary() + ", nothing imported: fix the file and upload it again.", e.errors(),
                e.truncated(), 0, null, null);
    }

    private static Map<String, String> shown(Map<String, String> options) {
        Map<String, String> m = new LinkedHashMap<>();
        options.forEach((k, v) -> m.put(k, v == null ? "" : v));
        return m;
    }

    // ---- files waiting for their commit ----------------------------------------------------------------------

    private synchronized String keep(ConsoleContext c, byte[] csv, Map<String, String> options, String fileName) {
        purge();
        while (pending.size() >= MAX_PENDING) {
            String oldest = pending.keySet().iterator().next();
            Arrays.fill(pending.remove(oldest).csv(), (byte) 0);
        }
        byte[] b = new byte[16];
        random.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        pending.put(id, new Pending(owner(c), csv.clone(), options, fileName, clock.instant().plus(KEPT)));
        return id;
    }

    private synchronized Pending take(String id, String owner) {
        purge();
        Pending p = pending.get(id);
        if (p == null || !MessageDigest.isEqual(p.owner().getBytes(StandardCharsets.UTF_8), owner.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return pending.remove(id);
    }

    private void purge() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> {
            boolean old = !now.isBefore(p.until());
            if (old) {
                Arrays.fill(p.csv(), (byte) 0);
            }
            return old;
        });
    }

    /** The session's identity for binding a kept file: a digest of its cookie, never the cookie itself. */
    private static String owner(ConsoleContext c) {
        String cookie = c.http().cookie(Console.SESSION_COOKIE);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((cookie == null ? "" : cookie).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
