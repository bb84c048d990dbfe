package io.lorafab.store.jdbc;

import java.time.Instant;

/**
 * Reads the timestamps the store writes. Every time column holds {@link Instant#toString()} of a UTC instant
 * ({@code 2026-12-07T05:28:03.818Z}, with 0, 3, 6 or 9 fraction digits), and every row read turns one or two
 * back into an {@code Instant}. {@link Instant#parse} goes through the general {@code DateTimeFormatter}
 * machinery (a parse context, a field map, a resolver), which a profile of reservations through the API put at
 * about 5 % of the server's CPU; this reads that one shape directly. Anything else (a year past 9999, a text
 * written by hand into the database) still goes to {@code Instant.parse}, which keeps its errors.
 */
final class Timestamps {

    private Timestamps() {
    }

    /**
     * {@link Instant#toString()} of {@code at}, written directly for years 0 to 9999 (the only ones a join or a reservation
     * stamps); anything else goes to {@code toString}. The same digits: the fraction in groups of three, none when zero.
     * A batch of joins stamps each join's session, event, join state and audit row, and the general formatter cost the
     * join commit thread about 8 % of its time.
     */
    static String text(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds < MIN_FAST || seconds >= MAX_FAST) {
            return at.toString();
        }
        long epochDay = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // civil-from-days (the inverse of epochDay below)
        long z = epochDay + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        int dayOfEra = (int) (z - era * 146_097L);
        int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        int nanos = at.getNano();
        char[] b = new char[30];
        put(b, 0, year, 4);
        b[4] = '-';
        put(b, 5, month, 2);
        b[7] = '-';
        put(b, 8, day, 2);
        b[10] = 'T';
        put(b, 11, secondOfDay / 3_600, 2);
        b[13] = ':';
        put(b, 14, secondOfDay / 60 % 60, 2);
        b[16] = ':';
        put(b, 17, secondOfDay % 60, 2);
        int n = 19;
        if (nanos != 0) {
            b[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                put(b, n, nanos / 1_000_000, 3);
                n += 3;
            } else if (nanos % 1_000 == 0) {
                put(b, n, nanos / 1_000, 6);
                n += 6;
            } else {
                put(b, n, nanos, 9);
                n += 9;
            }
        }
        b[n++] = 'Z';
        return new String(b, 0, n);
    }

    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds since the epoch. */
    private static final long MIN_FAST = -62_167_219_200L;
    private static final long MAX_FAST = 253_402_300_800L;

    private static void put(char[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    static Instant parse(String s) {
        Instant fast = s == null ? null : fast(s);
        return fast != null ? fast : Instant.parse(s);
    }

    /** The instant, or null when {@code s} is not exactly {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}. */
    private static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int digits = n - 21;
            if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
                return null;
            }
            int f = digits(s, 20, digits);
            if (f < 0) {
                return null;
            }
            for (int k = digits; k < 9; k++) {
                f *= 10;
            }
            nanos = f;
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean leap(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse, years 0 to 9999). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
