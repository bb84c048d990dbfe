package io.lorafab.app.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded view of one PHYPayload: named fields in a stable order (the JSON keys of
 * {@code lorafab decode --json}) and notes that explain what could not be checked and why.
 */
public final class FrameReport {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    FrameReport put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    FrameReport note(String note) {
        notes.add(note);
        return this;
    }

    /** Field values: String, Number, Boolean, null, or a nested Map for sessionKeys and fCtrl. */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }
}
