/**
 * Reading JSON that comes from outside (gateway datagrams, Backend Interfaces bodies, API requests) with refusals a
 * person can act on: one line that names the field by its path ({@code rxpk[0].freq: out of range 1..10000: 0})
 * and never quotes library internals. {@link io.lorafab.api.json.JsonFields} reads typed, range-checked fields of one
 * object; each protocol brings its own exception and wording as a {@link io.lorafab.api.json.JsonProtocol} and
 * keeps its own rules (frequencies, hex, enumerations) in its codec. {@link io.lorafab.api.json.JsonSyntax} words a
 * text that is not JSON at all.
 */
package io.lorafab.api.json;
