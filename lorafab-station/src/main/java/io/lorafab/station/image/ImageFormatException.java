package io.lorafab.station.image;

/** A firmware image that cannot be read (bad Intel HEX record, checksum, address) — with the line it is on. */
public final class ImageFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageFormatException(String message) {
        super(message);
    }
}
