package io.lorafab.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every file a console page loads, served from the jar: htmx and uPlot from their webjars (Maven Central; versions
 * written once, in the parent pom, and read here from {@code versions.properties}), and the console's own CSS and
 * JS. A factory network has no internet: nothing comes from a CDN, and the build needs no npm.
 *
 * <p>Each file is served at {@code /console/assets/<first 12 hex of its SHA-256>/<name>}, so it can be cached for a
 * year: a new version has a new address.
 */
public final class ConsoleAssets {
    /** What a browser may cache, for how long: a year, the address changing with the content. */
    static final String CACHE = "public, max-age=31536000, immutable";

    /** One file: its bytes, content type and address. */
    public record Asset(String name, byte[] bytes, String contentType, String url) {
    }

    private final Map<String, Asset> byName = new LinkedHashMap<>();

    public ConsoleAssets() {
        Properties v = new Properties();
        try (InputStream in = resource("/io/lorafab/console/versions.properties")) {
            v.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String htmx = "/META-INF/resources/webjars/htmx.org/" + v.getProperty("htmx") + "/";
        String uplot = "/META-INF/resources/webjars/uplot/" + v.getProperty("uplot") + "/";
        add("htmx.min.js", htmx + "dist/htmx.min.js");
        add("htmx-LICENSE.txt", htmx + "LICENSE");
        add("uPlot.iife.min.js", uplot + "dist/uPlot.iife.min.js");
        add("uPlot.min.css", uplot + "dist/uPlot.min.css");
        add("uPlot-LICENSE.txt", uplot + "LICENSE");
        add("console.css", "/io/lorafab/console/assets/console.css");
        add("console.js", "/io/lorafab/console/assets/console.js");
        add("station.js", "/io/lorafab/console/assets/station.js");
        add("station.css", "/io/lorafab/console/assets/station.css");
        add("charts.js", "/io/lorafab/console/assets/charts.js");
    }

    private void add(String name, String path) {
        byte[] bytes;
        try (InputStream in = resource(path)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8";
        String hash = HexFormat.of().formatHex(sha256(bytes)).substring(0, 12);
        byName.put(name, new Asset(name, bytes, type, "/console/assets/" + hash + "/" + name));
    }

    private static InputStream resource(String path) {
        InputStream in = ConsoleAssets.class.getResourceAsStream(path);
        if (in == null) {
            // a build that left a webjar or the console's own file out: fail at start, not with a broken page
            throw new IllegalStateException("console asset missing from the class path: " + path);
        }
        return in;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address of asset {@code name}; an unknown name is a programming error. */
    public String url(String name) {
        Asset a = byName.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no console asset " + name);
        }
        return a.url();
    }

    /** The asset at this address (hash and name), if it is one. */
    Optional<Asset> at(String hash, String name) {
        Asset a = byName.get(name);
        return a != null && a.url().equals("/console/assets/" + hash + "/" + name) ? Optional.of(a) : Optional.empty();
    }

    public Map<String, Asset> all() {
        return Map.copyOf(byName);
    }
}
