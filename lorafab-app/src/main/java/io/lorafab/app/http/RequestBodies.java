package io.lorafab.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.Required;
import io.lorafab.api.json.JsonSyntax;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Request bodies read into the API's request records ({@code io.lorafab.api.model}), in one place for every route:
 * malformed JSON or a body that is not an object is {@code bad_json}; a {@link Required} field absent or null, or a
 * field of the wrong JSON type, is {@code invalid_input} naming the field. Every message is a line for a person,
 * with no class of Jackson's or ours. Fields the record does not know are ignored, so that a newer client's extra
 * fields do not break an older server. What a value means (an EUI, a key, a region) is for the route to read.
 */
final class RequestBodies {
    /**
     * Strict about JSON types, where Jackson by default converts: a number is not taken for a string, nor a string
     * for a number, nor 1.5 for an integer.
     */
    private static final ObjectMapper READER = strict();

    private RequestBodies() {
    }

    private static ObjectMapper strict() {
        ObjectMapper m = new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Collection,
                LogicalType.Map, LogicalType.POJO)) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    /**
     * {@code body} as a {@code type}: null for {@link Void}, the bytes for {@code byte[]}, the tree for {@link JsonNode},
     * else the record. An empty body is an empty object where the route's body is {@code optional}.
     */
    static <Q> Q read(byte[] body, Class<Q> type, boolean optional) {
        if (type == Void.class) {
            return null;
        }
        if (type == byte[].class) {
            return type.cast(body);
        }
        if (type != JsonNode.class && body.length > 0) {
            Q direct = direct(body, type);
            if (direct != null) {
                return direct;
            }
        }
        JsonNode tree = body.length == 0 && optional ? READER.createObjectNode() : object(body);
        if (type == JsonNode.class) {
            return type.cast(tree);
        }
        for (RecordComponent c : components(type)) {
            JsonNode v = tree.get(c.getName());
            if (c.isAnnotationPresent(Required.class) && (v == null || v.isNull())) {
                throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "missing field '" + c.getName() + "'");
            }
        }
        try {
            return READER.treeToValue(tree, type);
        } catch (MismatchedInputException e) {
            throw wrongType(path(e), e.getTargetType());
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof InputCoercionException range) {
                // a number out of the field's range (99999999999 for an int)
                throw wrongType(path(e), range.getTargetType());
            }
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, path(e) == null ? "the request body does not fit this route"
                    : "field '" + path(e) + "' is not valid here");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "the request body does not fit this route");
        }
    }

    /**
     * The record read straight from the bytes, or null when anything is wrong with them: the request is then read
     * again as a tree below, only to word the fault. A well-formed body, nearly every one, is parsed once instead of
     * into a tree and then from it (a profile of reservations through the API put that second pass at 4 % of the
     * server's CPU). A {@link Required} component that came out null was absent or null in the body, the
     * same test the tree reading makes (only reference types are required).
     */
    private static <Q> Q direct(byte[] body, Class<Q> type) {
        Q value;
        try {
            value = READER.readValue(body, type);
        } catch (IOException | RuntimeException fault) {
            return null;
        }
        if (value == null) {
            return null;
        }
        for (java.lang.reflect.Method accessor : REQUIRED.get(type)) {
            try {
                if (accessor.invoke(value) == null) {
                    return null;
                }
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
        return value;
    }

    /** Per request type, the accessors of its {@link Required} components: looked up once, not per request. */
    private static final ClassValue<List<java.lang.reflect.Method>> REQUIRED = new ClassValue<>() {
        @Override
        protected List<java.lang.reflect.Method> computeValue(Class<?> type) {
            return java.util.Arrays.stream(components(type)).filter(c -> c.isAnnotationPresent(Required.class))
                    .map(RecordComponent::getAccessor).toList();
        }
    };

    private static RecordComponent[] components(Class<?> type) {
        RecordComponent[] c = type.getRecordComponents();
        return c == null ? new RecordComponent[0] : c;
    }

    /** The body as a JSON object; anything else is a 400 {@code bad_json}. */
    private static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest(ErrorCode.BAD_JSON, "request body must be a JSON object");
        }
        try {
            JsonNode n = READER.readTree(body);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest(ErrorCode.BAD_JSON, "request body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCode.BAD_JSON, "the body is not valid JSON: " + JsonSyntax.problem(e));
        } catch (IOException e) {
            throw ApiException.badRequest(ErrorCode.BAD_JSON, "unreadable request body");
        }
    }

    private static ApiException wrongType(String field, Class<?> target) {
        String what = field == null ? "a field" : "field '" + field + "'";
        return ApiException.badRequest(ErrorCode.INVALID_INPUT, what + " must be " + expected(target));
    }

    /** What a JSON value of a record component's type is, in words. */
    static String expected(Class<?> t) {
        if (t == null) {
            return "of another type";
        }
        if (t == String.class || t.isEnum()) {
            return "a string";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class || t == Short.class || t == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(t) || t == double.class || t == float.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        return "of another type";
    }

    /** {@code netIds[0]}, {@code measurements.x}: where in the body the fault is; null when nowhere in particular. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? null : b.toString();
    }
}
