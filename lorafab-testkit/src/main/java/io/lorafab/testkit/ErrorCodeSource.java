package io.lorafab.testkit;

/**
 * The source of {@code io.lorafab.api.ErrorCode} as it is in this repository, and as it would be with a code added
 * by someone who forgot a mapping: for the tests that every switch over ErrorCode refuses to compile without it.
 */
public final class ErrorCodeSource {

    /** Where {@code ErrorCode} is declared, as a path inside a source tree (what {@link Javac#compile} takes). */
    public static final String PATH = "io/lorafab/api/ErrorCode.java";
    /** The constant the tests add. */
    public static final String ADDED = "ADDED_BY_A_TEST";

    private ErrorCodeSource() {
    }

    /** ErrorCode.java as written. */
    public static String asWritten() {
        return Javac.repoFile("lorafab-api/src/main/java/" + PATH);
    }

    /** ErrorCode.java with one more constant and nothing else: its own HTTP status switch misses it. */
    public static String withNewCode() {
        return insertAfter(asWritten(), "public enum ErrorCode {\n",
                "    " + ADDED + "(\"added_by_a_test\", \"a code added without its mappings\"),\n");
    }

    /**
     * ErrorCode.java with one more constant that has its HTTP status, so that ErrorCode itself compiles and only the
     * mappings elsewhere (the Backend Interfaces ResultCode, the station's decision) can miss it.
     */
    public static String withNewCodeAndItsStatus() {
        return insertAfter(withNewCode(), "return switch (this) {\n", "            case " + ADDED + " -> 400;\n");
    }

    private static String insertAfter(String text, String marker, String insert) {
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("ErrorCode.java no longer has '" + marker.strip() + "'; update " + ErrorCodeSource.class.getName());
        }
        return text.substring(0, at + marker.length()) + insert + text.substring(at + marker.length());
    }
}
