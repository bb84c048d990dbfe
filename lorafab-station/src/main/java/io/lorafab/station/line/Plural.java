package io.lorafab.station.line;

/** A count with its noun in the right number: "1 station", "4 stations", "0 units". */
public final class Plural {

    private Plural() {
    }

    /** {@code n} and {@code noun}, with an "s" unless {@code n} is 1 (the demo's nouns are all regular). */
    public static String count(long n, String noun) {
        return n + " " + noun(n, noun);
    }

    /** {@code noun} alone, in the number that goes with {@code n}. */
    public static String noun(long n, String noun) {
        return n == 1 ? noun : noun + "s";
    }
}
