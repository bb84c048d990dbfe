package io.lorafab.station.at;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Shared plumbing of the dialects: sends a command, classifies the final line as success or module error,
 * and builds exception messages from a command <em>label</em> (e.g. {@code AT+APPKEY}) rather than the
 * full line, so a key value never reaches a message.
 */
final class AtSession {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final AtTransport transport;
    private final Predicate<String> isOk;
    private final Predicate<String> isError;

    AtSession(AtTransport transport, Predicate<String> isOk, Predicate<String> isError) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.isOk = isOk;
        this.isError = isError;
    }

    AtTransport transport() {
        return transport;
    }

    /** Sends {@code line}; returns the response lines before the final OK line. */
    List<String> exec(String label, String line) {
        return check(label, transport.command(line, COMMAND_TIMEOUT));
    }

    List<String> execWithData(String label, String line, byte[] data) {
        return check(label, transport.commandWithData(line, data, COMMAND_TIMEOUT));
    }

    /** Sends {@code line} and returns all response lines, without classifying them. */
    List<String> raw(String line) {
        List<String> lines = transport.command(line, COMMAND_TIMEOUT);
        if (lines.isEmpty()) {
            throw new AtException(AtException.Code.TIMEOUT, "no response to " + labelOf(line));
        }
        return lines;
    }

    private List<String> check(String label, List<String> lines) {
        if (lines.isEmpty()) {
            throw new AtException(AtException.Code.TIMEOUT, "no response to " + label);
        }
        String last = lines.get(lines.size() - 1);
        if (isError.test(last)) {
            throw new AtException(AtException.Code.MODULE_ERROR, label + " answered " + last);
        }
        if (!isOk.test(last)) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, label + " did not end with a success status");
        }
        return lines.subList(0, lines.size() - 1);
    }

    /** The single value line of a query response. */
    static String single(String label, List<String> lines) {
        if (lines.size() != 1) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE,
                    label + " returned " + lines.size() + " value lines, expected 1");
        }
        return lines.get(0).strip();
    }

    /** Command word of a line, for messages: {@code AT+APPKEY=...} gives {@code AT+APPKEY}. */
    static String labelOf(String line) {
        int end = line.length();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || c == '?' || c == ',' ) {
                end = i;
                break;
            }
        }
        String head = line.substring(0, end);
        if (!head.startsWith("AT")) {
            // RN2483 style: "mac set appkey <hex>" -> first three words at most, never a hex value
            String[] words = head.split(" ");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(3, words.length); i++) {
                if (words[i].length() >= 16 && words[i].matches("[0-9A-Fa-f]+")) {
                    break;
                }
                sb.append(i == 0 ? "" : " ").append(words[i]);
            }
            return sb.toString();
        }
        int space = head.indexOf(' ');
        return space < 0 ? head : head.substring(0, space);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    static String colonHex(byte[] bytes) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
    }

    static byte[] parseHex(String label, String text) {
        String s = text.strip().replace(":", "").replace(" ", "");
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, label + " returned a value that is not hex");
        }
    }

    static void checkUplink(int port, byte[] payload) {
        if (port < 1 || port > 223) {
            throw new IllegalArgumentException("port must be 1..223, got " + port);
        }
        Objects.requireNonNull(payload, "payload");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
