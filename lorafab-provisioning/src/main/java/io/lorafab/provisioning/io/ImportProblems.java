package io.lorafab.provisioning.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The problems of one import, gathered from every source in one pass — the file's syntax and content, then its
 * clashes with the registry — so that a user fixes the whole file at once. Counts the rejected rows: a row with two
 * problems is one rejected row; a problem of the file itself (not UTF-8, its header) rejects no particular row.
 * Not thread-safe.
 */
public final class ImportProblems {

    private final List<ImportError> errors = new ArrayList<>();
    private final Set<Integer> rejectedLines = new HashSet<>();

    /** A problem of the data row that starts on {@code line}; {@code column} may be null (the whole row). */
    public void row(int line, String column, String message) {
        errors.add(new ImportError(line, column, message));
        rejectedLines.add(line);
    }

    /** A problem of the file as a whole (encoding, header, no rows), found at {@code line}. */
    public void file(int line, String column, String message) {
        errors.add(new ImportError(line, column, message));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** How many problems there are. */
    public int count() {
        return errors.size();
    }

    /** Distinct data rows with at least one problem. */
    public int rejectedRows() {
        return rejectedLines.size();
    }

    /** A copy, to which more problems may be added without changing this one. */
    public ImportProblems copy() {
        ImportProblems c = new ImportProblems();
        c.errors.addAll(errors);
        c.rejectedLines.addAll(rejectedLines);
        return c;
    }

    /**
     * The refusal: the first {@link DeviceCsvImport#MAX_ERRORS} problems in line order (a row's own problems before
     * its clashes with the registry), with the full count of rejected rows.
     *
     * @throws IllegalStateException if there is no problem
     */
    public ImportException toException() {
        if (errors.isEmpty()) {
            throw new IllegalStateException("no import problem to report");
        }
        List<ImportError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(ImportError::line)); // stable: keeps each line's problems in the order found
        boolean truncated = sorted.size() > DeviceCsvImport.MAX_ERRORS;
        return new ImportException(truncated ? sorted.subList(0, DeviceCsvImport.MAX_ERRORS) : sorted, truncated, rejectedRows());
    }

    /** Throws {@link #toException()} if there is any problem. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw toException();
        }
    }
}
