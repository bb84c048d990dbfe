package io.lorafab.provisioning.io;

import java.util.List;

/**
 * The KEKs shared with network servers that an export may wrap root keys under, by label. Where they come from
 * (environment, a file in the data folder) is the application's business; the HTTP API and the console ask the
 * same source, so both offer and accept the same labels.
 */
public interface WrapKeks {

    /** The labels known now, in the order configured (read anew: a KEK added to the file shows without a restart). */
    List<String> labels();

    /**
     * The KEK labelled {@code label}.
     *
     * @throws io.lorafab.store.StoreException {@code kek_unknown} when no KEK carries that label
     */
    WrapKek byLabel(String label);

    /** No export KEKs: exports are in the clear only. */
    static WrapKeks none() {
        return new WrapKeks() {
            @Override
            public List<String> labels() {
                return List.of();
            }

            @Override
            public WrapKek byLabel(String label) {
                throw new io.lorafab.store.StoreException(io.lorafab.api.ErrorCode.KEK_UNKNOWN, "no export KEK labelled '"
                        + label + "'");
            }
        };
    }
}
