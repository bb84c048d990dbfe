package io.lorafab.console;

import java.util.List;

/**
 * One form page, drawn by {@code form.jte}: its heading, where it posts, its fields (each named as the request
 * record's component it fills) and the {@link FormView} with the values and the refusal to show.
 */
public record FormPage(String heading, String intro, String action, String submit, List<Field> fields, FormView form) {

    /**
     * A field: {@code options} null for a text input, else a select whose first option is {@code ""} (none) when
     * the field may be left out; {@code checkbox} a box that sends {@code true} when ticked and nothing otherwise.
     */
    public record Field(String name, String label, String hint, boolean required, List<String> options, boolean checkbox) {
        static Field text(String name, String label, String hint, boolean required) {
            return new Field(name, label, hint, required, null, false);
        }

        static Field choice(String name, String label, String hint, boolean required, List<String> options) {
            return new Field(name, label, hint, required, options, false);
        }

        static Field checkbox(String name, String label, String hint) {
            return new Field(name, label, hint, false, null, true);
        }
    }
}
