package io.lorafab.app.cli;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reading option values into value types. A bad value becomes one line naming the option; the parsers
 * below never repeat the value given, so a mistyped key is not echoed.
 */
final class Args {
    private Args() {
    }

    /** Runs {@code parse}; a {@link LorawanFormatException} becomes a user error prefixed with the option name. */
    static <T> T option(String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (LorawanFormatException e) {
            throw new LorafabCommand.UserException(option + ": " + e.getMessage());
        }
    }

    static Eui64 eui(String option, String value) {
        return value == null ? null : option(option, () -> Eui64.parse(value));
    }

    static AesKey key(String option, String value) {
        return value == null ? null : option(option, () -> AesKey.parse(value));
    }

    static MacVersion macVersion(String option, String value) {
        return value == null ? null : option(option, () -> MacVersion.parse(value));
    }

    /** The canonical name of a region (EU868, US915, ...). */
    static String region(String option, String value) {
        return value == null ? null : option(option, () -> Region.byName(value.strip()).name());
    }

    /** A 32-bit memory address in hex, with or without {@code 0x} ({@code 0x0803F800}). */
    static long address(String option, String value) {
        String v = value.strip();
        String digits = v.regionMatches(true, 0, "0x", 0, 2) ? v.substring(2) : v;
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
            throw new LorafabCommand.UserException(option + ": expected a 32-bit hex address such as 0x0803F800");
        }
        return Long.parseLong(digits, 16);
    }

    static UnitState unitState(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return UnitState.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LorafabCommand.UserException(option + ": unknown state '" + value.strip()
                    + "' (expected reserved, programmed, passed, failed or void)");
        }
    }

    static Product product(Registry registry, String name) {
        return registry.productByName(name.strip()).orElseThrow(() -> StoreException.notFound("product '" + name.strip() + "'"));
    }

    static WorkOrder workOrder(Registry registry, String reference) {
        return registry.workOrderByReference(reference.strip())
                .orElseThrow(() -> StoreException.notFound("work order '" + reference.strip() + "'"));
    }
    /** "cannot read FILE: no such file" (or "is a directory", "permission denied", ...), for a failed read of {@code file}. */
    static String cannotRead(String file, java.io.IOException e) {
        return "cannot read " + file + ": " + readFailure(java.nio.file.Path.of(file), e);
    }

    /** Why {@code file} cannot be read, in a few words; {@code e} is the failure of reading it (or null before trying). */
    static String readFailure(java.nio.file.Path file, java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException || !java.nio.file.Files.exists(file)) {
            return "no such file";
        }
        if (java.nio.file.Files.isDirectory(file)) {
            return "is a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException || !java.nio.file.Files.isReadable(file)) {
            return "permission denied";
        }
        return e == null ? "not a regular file" : e.getClass().getSimpleName();
    }

    /** Throws "OPTION: cannot read FILE: REASON" unless {@code file} is a readable regular file. */
    static void requireReadableFile(String option, java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
            throw new LorafabCommand.UserException(option + ": cannot read " + file + ": " + readFailure(file, null));
        }
    }
}
