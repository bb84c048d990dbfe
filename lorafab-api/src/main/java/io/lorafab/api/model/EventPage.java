package io.lorafab.api.model;

import java.util.List;

/** {@code GET /api/events}: events oldest first; {@code last} the {@code after} to ask with next (unchanged when none came). */
public record EventPage(List<RadioEventView> events, long last) {
}
