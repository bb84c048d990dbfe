package io.lorafab.provisioning.io;

import java.util.List;

/**
 * An import file read to its end: the devices of its good rows, what identifies every data row (also the rejected
 * ones), and every problem found in the file. The import commits only if, after the checks against the registry,
 * there is no problem at all.
 */
public record ImportFile(List<ImportedDevice> devices, List<ImportedRow> rows, ImportProblems problems) {

    public ImportFile {
        devices = List.copyOf(devices);
        rows = List.copyOf(rows);
        problems = problems.copy();
    }

    @Override
    public ImportProblems problems() {
        return problems.copy();
    }
}
