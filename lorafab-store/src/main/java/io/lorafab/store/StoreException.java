package io.lorafab.store;

/**
 * A refusal or failure of the registry, with a stable snake_case {@link #code()} that the HTTP API and the
 * command line pass on (for example {@code not_found}, {@code duplicate}, {@code eui_block_exhausted},
 * {@code illegal_transition}). Messages never contain key material.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public StoreException(String code, String message) {
        super(message);
        this.code = code;
    }

    public StoreException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static StoreException notFound(String what) {
        return new StoreException("not_found", what + " not found");
    }
}
