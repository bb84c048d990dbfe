package io.lorafab.api.model;

import java.util.List;

/** A refused device import: the error with every row at fault (at most a page of them; {@code truncated} says more were). */
public record ImportRefusal(Detail error) {

    public record Detail(String code, String message, int rejectedRows, boolean truncated, List<Row> rows) {
    }

    /** {@code column} is the CSV column's name, null when the fault is the row as a whole. */
    public record Row(int line, String column, String message) {
    }
}
