package io.lorafab.provisioning.secureelement;

/**
 * A manifest refused as a whole: the first entry that does not verify, by its 0-based index in the manifest's JSON
 * list ({@code -1} for the file itself), and why. No unit of a refused manifest is registered.
 */
public final class ManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int entry;
    private final ManifestProblem problem;

    public ManifestException(int entry, ManifestProblem problem, String detail) {
        super(message(entry, problem, detail));
        this.entry = entry;
        this.problem = problem;
    }

    /** The 0-based index of the entry at fault, or -1 when the file as a whole is. */
    public int entry() {
        return entry;
    }

    public ManifestProblem problem() {
        return problem;
    }

    private static String message(int entry, ManifestProblem problem, String detail) {
        return "manifest refused, nothing imported: " + (entry < 0 ? "" : "entry [" + entry + "]: ") + problem.text()
                + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
    }
}
