/**
 * The request and response bodies of the HTTP API as records, with the field names and value shapes on the wire:
 * EUIs, keys and profile ids as hex strings, times as ISO-8601 strings, enums by their names. A field the server
 * writes as null is a boxed or object component (written as null too); one it leaves out when absent is marked
 * {@code @JsonInclude(NON_NULL)}. Request records leave out their null fields, as the server reads an absent field and
 * a null one alike. Plain types only: no dependency on the other lorafab modules.
 */
package io.lorafab.api.model;
