package io.lorafab.api.model;

/**
 * An EUI block: {@code first}/{@code last} hex EUIs, {@code used} the EUIs handed out, {@code product} the owner's
 * name where the answer knows it (only on create), {@code assignment} as written ("MA-L", "MA-M", "MA-S", "test"...).
 */
public record EuiBlockView(long id, String name, Long productId, String product, String assignment, String prefix, String first,
        String last, long size, long used, long remaining, String createdAt) {
}
