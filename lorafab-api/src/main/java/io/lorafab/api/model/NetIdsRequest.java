package io.lorafab.api.model;

import java.util.List;

/** {@code PUT /api/products/{name}/net-ids}: the NetIDs (6 hex digits each) allowed to join; empty: any. */
public record NetIdsRequest(@Required List<String> netIds) {
}
