package io.lorafab.provisioning.io;

/** CSV text that is not RFC 4180: an unterminated quoted field, or a quote where none may be. */
final class CsvSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    CsvSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    int line() {
        return line;
    }
}
