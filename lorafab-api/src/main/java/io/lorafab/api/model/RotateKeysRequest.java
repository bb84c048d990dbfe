package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/keys/rotate} (the body may be left out): the new KEK's label, null: one made from the time; and
 * where it is made, {@code to}: {@code hsm} (the PKCS#11 token), {@code file} (the key file), null: where the active
 * KEK is (as {@code lorafab keys rotate --to-hsm / --to-file}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotateKeysRequest(String label, String to) {

    public RotateKeysRequest(String label) {
        this(label, null);
    }
}
