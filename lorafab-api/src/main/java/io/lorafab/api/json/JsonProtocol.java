package io.lorafab.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What one protocol decides about the refusals of {@link JsonFields}; the reading rules themselves are the same for
 * every protocol and live there. A protocol chooses its own exception (so that a Semtech datagram is refused with
 * the gateway's exception and a Backend Interfaces body with the join server's), how a message names the whole
 * document, and how much of a refused value a message may repeat: a protocol that carries key material describes an
 * ill-typed value by its type alone ({@link JsonFields#kind}), one that does not may quote it
 * ({@link JsonFields#kindAndValue}).
 *
 * @param documentName what a message calls the document when it is not an object ("JSON", "body")
 * @param refusal the protocol's exception for the value at a path ({@code rxpk[2].freq}, {@code AppSKey.AESKey})
 *     and a message that does not repeat the path ("missing", "out of range 0..15: 16")
 * @param describe what a message says it found instead of the expected type
 * @param shorten a number or a repeatable text cut to the length a one-line message allows
 * @param <E> the protocol's exception
 */
public record JsonProtocol<E extends RuntimeException>(String documentName, BiFunction<String, String, E> refusal,
        Function<JsonNode, String> describe, UnaryOperator<String> shorten) {

    public JsonProtocol {
        Objects.requireNonNull(documentName, "documentName");
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(describe, "describe");
        Objects.requireNonNull(shorten, "shorten");
    }

    /** The protocol's exception for {@code path}. */
    public E refuse(String path, String message) {
        return refusal.apply(path, message);
    }
}
