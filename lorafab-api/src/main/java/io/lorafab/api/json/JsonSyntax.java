package io.lorafab.api.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * What is wrong with a JSON text that Jackson refused, in a few words and a position: "syntax error at line 3,
 * column 7". Every reader of JSON from outside (Semtech UDP datagrams, Backend Interfaces and API request bodies)
 * words its refusal with this, because Jackson's own message quotes the offending input ("Unrecognized token
 * '<an AppKey>'") and names its own features and classes: neither belongs in an answer or a log. Here, in the lowest
 * module that reads JSON, so that the rule is written once.
 */
public final class JsonSyntax {

    private JsonSyntax() {
    }

    /** "syntax error at line 1, column 5", "unexpected end of input at ...", "duplicate field at ...", ...; never the input. */
    public static String problem(JsonProcessingException e) {
        return kind(e) + where(e);
    }

    private static String kind(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "beyond the parser's limits (nesting depth, number or string length)";
        }
        if (e instanceof JsonEOFException) {
            return "unexpected end of input";
        }
        // only the start of Jackson's message is looked at, to classify it; none of it is repeated
        String original = String.valueOf(e.getOriginalMessage());
        if (e instanceof MismatchedInputException && original.startsWith("Trailing token")) {
            // what a read refuses after a complete value (FAIL_ON_TRAILING_TOKENS)
            return "content after the value";
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException) {
            // well-formed JSON that does not bind: a missing, unknown or ill-typed field
            return "not the expected fields or types";
        }
        return original.startsWith("Duplicate field") ? "duplicate field"
                : original.startsWith("Unexpected end-of-input") ? "unexpected end of input" : "syntax error";
    }

    private static String where(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
