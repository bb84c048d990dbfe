package io.lorafab.station.client;

/** The server refused a station call (its stable error code and message), or could not be reached. */
public final class StationApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public StationApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** HTTP status, or 0 when the server could not be reached. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
