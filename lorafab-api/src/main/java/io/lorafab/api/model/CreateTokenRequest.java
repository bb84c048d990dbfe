package io.lorafab.api.model;

/** {@code POST /api/tokens}: {@code role} operator, engineer, admin or network-server. */
public record CreateTokenRequest(@Required String name, @Required String role) {
}
