package io.lorafab.station.at;

/**
 * The one failure type of the AT drivers. The message names the command or field involved and never
 * contains key material (key commands are shown with their value replaced by {@code <redacted>}).
 */
public final class AtException extends RuntimeException {

    /** Machine-readable failure code. */
    public enum Code {
        MODULE_ERROR("module_error"),
        TIMEOUT("timeout"),
        UNEXPECTED_RESPONSE("unexpected_response"),
        READBACK_MISMATCH("readback_mismatch"),
        UNSUPPORTED("unsupported"),
        PORT_UNAVAILABLE("port_unavailable");

        private final String text;

        Code(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final Code code;

    public AtException(Code code, String message) {
        super(code.text() + ": " + message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
