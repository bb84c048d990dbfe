package io.lorafab.app.http;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Content-Disposition} of a download (RFC 6266): {@code attachment; filename="<ASCII>";
 * filename*=UTF-8''<percent-encoded>} (RFC 8187, formerly 5987). File names come from records (a serial, a work
 * order reference), some of them older than the rule that checks those now, so the name is made safe here whatever
 * it holds: anything but letters, digits, '.', '_' and '-' becomes '_' (no quote, semicolon or CR/LF can end the
 * parameter or the header, no '/' or '\' can make it a path), and a leading dot is dropped (no hidden or ".."
 * names). The quoted {@code filename} is the ASCII fallback for clients that do not read {@code filename*}.
 */
final class ContentDisposition {

    private ContentDisposition() {
    }

    static String attachment(String fileName) {
        String safe = safeName(fileName);
        StringBuilder ascii = new StringBuilder();
        safe.codePoints().forEach(c -> ascii.append(c < 0x80 ? (char) c : '_'));
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncoded(safe);
    }

    /** Letters and digits of any script, '.', '_' and '-'; everything else '_'; no leading dots; never empty. */
    static String safeName(String name) {
        StringBuilder b = new StringBuilder();
        (name == null ? "" : name).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') {
                b.appendCodePoint(c);
            } else {
                b.append('_');
            }
        });
        int start = 0;
        while (start < b.length() && b.charAt(start) == '.') {
            start++;
        }
        String s = b.substring(start);
        return s.isEmpty() ? "download" : s;
    }

    /** RFC 8187 value-chars: attr-char as it is, every other UTF-8 byte as %XX. */
    private static String percentEncoded(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
