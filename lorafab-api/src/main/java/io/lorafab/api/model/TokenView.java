package io.lorafab.api.model;

/** An API token, without its secret: {@code role} operator, engineer, admin or network-server. */
public record TokenView(long id, String name, String role, boolean active, String createdAt, String revokedAt) {
}
