package io.lorafab.api.model;

/** {@code POST /api/devices/import}: how many devices the file added (all of them, or none and a refusal). */
public record ImportResult(int imported) {
}
