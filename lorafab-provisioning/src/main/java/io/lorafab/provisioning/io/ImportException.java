package io.lorafab.provisioning.io;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An import that was refused: every problem found (up to {@link DeviceCsvImport#MAX_ERRORS}), each with its
 * line and column. An import is all-or-nothing, so when this is thrown no device was imported. Neither the
 * message nor the errors contain key material.
 */
public final class ImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int ERRORS_IN_MESSAGE = 5;

    private final transient List<ImportError> errors;
    private final boolean truncated;

    public ImportException(List<ImportError> errors, boolean truncated) {
        super(summary(errors, truncated));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an ImportException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.truncated = truncated;
    }

    /** The problems found, in file order. */
    public List<ImportError> errors() {
        return errors;
    }

    /** True if there were more problems than {@link #errors()} holds and reading stopped at the cap. */
    public boolean truncated() {
        return truncated;
    }

    private static String summary(List<ImportError> errors, boolean truncated) {
        String count = (truncated ? "more than " : "") + errors.size() + (errors.size() == 1 && !truncated
                ? " error" : " errors");
        String shown = errors.stream().limit(ERRORS_IN_MESSAGE).map(ImportError::toString)
                .collect(Collectors.joining("; "));
        String more = errors.size() > ERRORS_IN_MESSAGE || truncated ? "; ..." : "";
        return "device import refused, nothing imported: " + count + ": " + shown + more;
    }
}
