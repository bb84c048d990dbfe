package io.lorafab.console;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A form as a template shows it: the values typed (kept when the service refused them), the service's one-line
 * message if it refused them, and the field that message names (marked on the form), plus the choices a page
 * offers (product names). The message is the service's own, so it is the one the API gives for the same input.
 */
public record FormView(Map<String, String> values, String error, String errorField, List<String> choices) {

    private static final Pattern FIELD = Pattern.compile("^(?:missing )?field '([A-Za-z]+)'");
    /** Refusals that name their value in words rather than by the field: the words, and the field. */
    private static final Map<String, String> WORDS = Map.of("MAC version", "macVersion", "unknown LoRaWAN region", "region",
            "serial template", "serialTemplate", "ProfileID", "profileId", "EUI block: size", "size", "assignment", "assignment",
            "EUI block: prefix", "prefix");

    static FormView empty(Map<String, String> values, List<String> choices) {
        return new FormView(values, null, null, choices);
    }

    /** The form re-shown with the refusal of {@code e} (a {@link StoreException} or a value type's own). */
    static FormView refused(Map<String, String> values, RuntimeException e, List<String> choices) {
        String m = e.getMessage();
        Matcher f = FIELD.matcher(m);
        String field = f.find() ? f.group(1) : null;
        for (Map.Entry<String, String> w : WORDS.entrySet()) {
            if (field == null && m.startsWith(w.getKey()) && values.containsKey(w.getValue())) {
                field = w.getValue();
            }
        }
        if (field == null) {
            int colon = m.indexOf(':');
            String head = colon > 0 ? m.substring(0, colon) : "";
            field = values.containsKey(head) ? head : null; // "quantity: must be positive"
        }
        return new FormView(values, m, field, choices);
    }

    /** Whether {@code e} is a refusal of the input, shown on the form, rather than a fault (the error page). */
    static boolean isRefusal(RuntimeException e) {
        return e instanceof StoreException || e instanceof LorawanFormatException;
    }

    public String value(String field) {
        String v = values.get(field);
        return v == null ? "" : v;
    }

    public boolean marked(String field) {
        return field.equals(errorField);
    }

    /** The CSS class of a field's input: marked when the refusal names it. */
    public String cls(String field) {
        return marked(field) ? "invalid" : "";
    }
}
