package io.lorafab.api.model;

import java.util.List;

/** {@code GET /api/units}: a page of units by id; {@code next} the {@code after} of the next page, null on the last one. */
public record UnitPage(List<UnitView> units, Long next) {
}
