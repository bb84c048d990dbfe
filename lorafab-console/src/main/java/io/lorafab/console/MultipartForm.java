package io.lorafab.console;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} upload read into memory, here rather than by the servlet container: Javalin's
 * parser would spill any file part to a temporary file on disk, and an import file holds root keys in the clear.
 * The body is read up to the route's limit (a longer one is refused whatever its {@code Content-Length} said). Read
 * once per request; the console's CSRF check and the page share it.
 */
final class MultipartForm {
    private static final String ATTRIBUTE = "lorafab.console.multipart";

    /** A body longer than the route allows. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("upload too large");
        }
    }

    private final Map<String, byte[]> parts = new HashMap<>();
    private final Map<String, String> fileNames = new HashMap<>();

    static boolean is(Context ctx) {
        String t = ctx.contentType();
        return t != null && t.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The request's form, read on first use. */
    static MultipartForm of(Context ctx, int maxBytes) throws IOException {
        MultipartForm f = ctx.attribute(ATTRIBUTE);
        if (f == null) {
            f = parse(ctx.contentType(), read(ctx.req().getInputStream(), maxBytes));
            ctx.attribute(ATTRIBUTE, f);
        }
        return f;
    }

    /** Overwrites the request's upload if one was read: whatever way the request ended, its file is not left behind. */
    static void clearIfRead(Context ctx) {
        MultipartForm f = ctx.attribute(ATTRIBUTE);
        if (f != null) {
            f.clear();
        }
    }

    /** A text field (UTF-8), or null. */
    String field(String name) {
        byte[] b = parts.get(name);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A part's bytes (the caller clears them when done), or null. */
    byte[] bytes(String name) {
        return parts.get(name);
    }

    /** The file name the browser sent for a part, or null. */
    String fileName(String name) {
        return fileNames.get(name);
    }

    /** Overwrites every part's bytes: an uploaded file may hold keys. */
    void clear() {
        parts.values().forEach(b -> Arrays.fill(b, (byte) 0));
    }

    private static byte[] read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > maxBytes) {
                throw new TooLarge();
            }
        }
        return out.toByteArray();
    }

    static MultipartForm parse(String contentType, byte[] body) {
        MultipartForm f = new MultipartForm();
        String boundary = null;
        for (String p : contentType.split(";")) {
            String s = p.strip();
            if (s.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = s.substring(9).replace("\"", "");
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            return f;
        }
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delim, 0);
        while (at >= 0) {
            int start = at + delim.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // the closing delimiter
            }
            start += 2; // CRLF after the delimiter
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headersEnd < 0) {
                break;
            }
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd + 4);
            if (next < 0) {
                break;
            }
            String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
            String name = param(headers, "name");
            if (name != null) {
                f.parts.put(name, Arrays.copyOfRange(body, headersEnd + 4, next));
                String file = param(headers, "filename");
                if (file != null) {
                    f.fileNames.put(name, file);
                }
            }
            at = next + 2;
        }
        Arrays.fill(body, (byte) 0);
        return f;
    }

    /** {@code name="x"} of the Content-Disposition header, or null. */
    private static String param(String headers, String key) {
        for (String line : headers.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                continue;
            }
            for (String p : line.split(";")) {
                String s = p.strip();
                if (s.startsWith(key + "=")) {
                    return s.substring(key.length() + 1).replace("\"", "");
                }
            }
        }
        return null;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
