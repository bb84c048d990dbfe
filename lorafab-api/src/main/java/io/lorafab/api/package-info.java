/**
 * What the lorafab server and its clients (the station, the console, scripts) agree on, defined once: the
 * {@code ErrorCode} every refusal carries, the records that are the JSON bodies of the HTTP API
 * ({@code io.lorafab.api.model}), the catalogue of its routes ({@link io.lorafab.api.ApiRoutes}) and the OpenAPI
 * description made from both ({@link io.lorafab.api.OpenApi}). A field or path renamed here breaks the compilation
 * of both sides, not a production line at run time.
 */
package io.lorafab.api;
