package io.lorafab.provisioning.io;

import java.util.List;

/** One CSV record: its fields and the line on which it starts (a quoted field may span lines). */
record CsvRecord(int line, List<String> fields) {

    CsvRecord {
        fields = List.copyOf(fields);
    }

    /** True for an empty line, a line of blanks, or a record whose every field is blank. */
    boolean isBlank() {
        for (String f : fields) {
            if (!f.isBlank()) {
                return false;
            }
        }
        return true;
    }
}
