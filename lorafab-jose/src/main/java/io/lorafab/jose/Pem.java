package io.lorafab.jose;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The blocks of a PEM text (RFC 7468): label and DER bytes, in order. Text around the blocks is ignored, as openssl does. */
record Pem(String label, byte[] der) {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

    static List<Pem> blocks(String text) {
        List<Pem> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new JweException("the PEM block '" + m.group(1) + "' is not valid base64");
            }
            out.add(new Pem(m.group(1), der));
        }
        return out;
    }

    /** The labels of every BEGIN line, matched or not: a private key is refused even when its block is malformed. */
    static List<String> labels(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = BEGIN.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static boolean isPrivateKeyLabel(String label) {
        return label.endsWith("PRIVATE KEY");
    }
}
