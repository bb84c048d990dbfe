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
    private final int rejectedRows;

    /**
     * @param errors the problems to report, in line order (at least one)
     * @param truncated whether there were more problems than {@code errors}
     * @param rejectedRows how many distinct data rows have a problem (0 when only the file as a whole is at fault)
     */
    public ImportException(List<ImportError> errors, boolean truncated, int rejectedRows) {
        super(summary(errors, truncated, rejectedRows));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an ImportException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.truncated = truncated;
        this.rejectedRows = rejectedRows;
    }

    /** The problems found, in file order. */
    public List<ImportError> errors() {
        return errors;
    }

    /** True if there were more problems than {@link #errors()} holds. */
    public boolean truncated() {
        return truncated;
    }

    /** Distinct data rows with at least one problem, all of them (also beyond {@link #errors()}); a row with two problems counts once. */
    public int rejectedRows() {
        return rejectedRows;
    }

    /** "3 rejected rows" or, when only the file as a whole is at fault, "the file is refused". */
    public String rowSummary() {
        return rejectedRows == 0 ? "the file is refused" : rejectedRows + (rejectedRows == 1 ? " rejected row" : " rejected rows");
    }

    private static String summary(List<ImportError> errors, boolean truncated, int rejectedRows) {
        String count = (truncated ? "more than " : "") + errors.size() + (errors.size() == 1 && !truncated
                ? " error" : " errors");
        String rows = rejectedRows == 0 ? "" : rejectedRows + (rejectedRows == 1 ? " rejected row, " : " rejected rows, ");
        String shown = errors.stream().limit(ERRORS_IN_MESSAGE).map(ImportError::toString)
                .collect(Collectors.joining("; "));
        String more = errors.size() > ERRORS_IN_MESSAGE || truncated ? "; ..." : "";
        return "device import refused, nothing imported: " + rows + count + ": " + shown + more;
    }
}
