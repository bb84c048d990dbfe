/**
 * What the lorafab server and its clients (the station, the console, scripts) agree on, defined once: the
 * {@code ErrorCode} every refusal carries, and the records that are the JSON bodies of the HTTP API. A field
 * renamed here breaks the compilation of both sides, not a production line at run time.
 */
package io.lorafab.api;
