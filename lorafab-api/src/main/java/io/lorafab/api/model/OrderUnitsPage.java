package io.lorafab.api.model;

import java.util.List;

/**
 * {@code GET /api/orders/{ref}/units}: a page of the order's units that match the filters, by id; {@code matching}
 * how many match in all; {@code next} the {@code after} of the next page, null on the last one.
 */
public record OrderUnitsPage(String order, List<OrderUnitRow> units, long matching, Long next) {
}
