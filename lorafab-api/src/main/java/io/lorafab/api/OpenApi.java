package io.lorafab.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.api.model.ApiError;
import io.lorafab.api.model.Required;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.0 description of the HTTP API, made from {@link ApiRoutes} and the records by reflection, so that
 * it cannot describe a field or route the code does not have. Written by hand rather than with a generator
 * library: the records are plain (strings, numbers, lists, maps, nested records), a hundred lines cover them, and
 * the libraries that do this read JAX-RS or Spring annotations this project does not use.
 *
 * <p>Each record is a schema under {@code components/schemas}, named after its class (a nested record after its
 * enclosing one too: {@code ApiErrorDetail}). A property is required unless the record leaves it out when null
 * ({@code @JsonInclude(NON_NULL)}) and it is not marked {@link Required}; a non-primitive property the record
 * writes even when null is {@code nullable}. The role a route needs is in {@code x-lorafab-role} and the
 * operation's description; the token goes in {@code Authorization: Bearer}.
 */
public final class OpenApi {
    public static final String VERSION = "3.0.3";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String SCHEMAS = "#/components/schemas/";

    private OpenApi() {
    }

    /** The description of every route in {@link ApiRoutes}, {@code apiVersion} as the document's version. */
    public static ObjectNode document(String apiVersion) {
        return document(ApiRoutes.byName(), apiVersion);
    }

    /**
     * As {@link #document(String)} with the version of the jar it is in ("development" when run from classes), as
     * JSON bytes, to serve.
     */
    public static byte[] bytes() {
        String v = OpenApi.class.getPackage().getImplementationVersion();
        return bytes(v == null ? "development" : v);
    }

    /** As {@link #document(String)}, as JSON bytes, to serve. */
    public static byte[] bytes(String apiVersion) {
        try {
            return new ObjectMapper().writeValueAsBytes(document(apiVersion));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document does not serialise", e);
        }
    }

    static ObjectNode document(Map<String, Endpoint<?, ?>> routes, String apiVersion) {
        ObjectNode doc = F.objectNode();
        doc.put("openapi", VERSION);
        ObjectNode info = doc.putObject("info");
        info.put("title", "lorafab API");
        info.put("version", apiVersion);
        info.put("description", "Provisioning, end-of-line test and join server. Every refusal is {\"error\":{\"code\",\"message\"}} "
                + "with a stable snake_case code. Roles include the lesser ones: an engineer may do what an operator may, "
                + "an admin everything.");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        components.putObject("securitySchemes").putObject("bearerAuth").put("type", "http").put("scheme", "bearer")
                .put("description", "An API token: Authorization: Bearer <token>");
        ObjectNode error = components.putObject("responses").putObject("Error");
        error.put("description", "Refused: {\"error\":{\"code\",\"message\"}}");
        error.putObject("content").putObject(Endpoint.JSON).set("schema", schema(ApiError.class, false, schemas));

        for (Map.Entry<String, Endpoint<?, ?>> e : routes.entrySet()) {
            Endpoint<?, ?> ep = e.getValue();
            ObjectNode item = paths.has(ep.path()) ? (ObjectNode) paths.get(ep.path()) : paths.putObject(ep.path());
            item.set(ep.method().toLowerCase(Locale.ROOT), operation(e.getKey(), ep, schemas));
        }
        return doc;
    }

    private static ObjectNode operation(String name, Endpoint<?, ?> ep, ObjectNode schemas) {
        ObjectNode op = F.objectNode();
        op.put("operationId", camel(name));
        op.put("summary", ep.summary());
        // the segment after /api ("/api/orders/..." is tagged orders); a route outside /api (/metrics) by its own first
        String[] segments = ep.path().split("/");
        String tag = segments.length > 2 && segments[1].equals("api") ? segments[2] : segments[1];
        op.putArray("tags").add(tag);
        ArrayNode security = op.putArray("security");
        if (ep.role() == null) {
            op.put("description", "No token needed.");
        } else {
            security.addObject().putArray("bearerAuth");
            op.put("description", "Needs a token of role " + ep.role() + " (or one that includes it).");
            op.put("x-lorafab-role", ep.role());
        }
        ArrayNode params = F.arrayNode();
        for (String p : ep.pathParameters()) {
            ObjectNode n = params.addObject().put("name", p).put("in", "path").put("required", true);
            n.putObject("schema").put("type", "string");
        }
        for (String q : ep.query()) {
            ObjectNode n = params.addObject().put("name", q).put("in", "query").put("required", false);
            n.putObject("schema").put("type", "string");
        }
        if (!params.isEmpty()) {
            op.set("parameters", params);
        }
        if (ep.requestMediaType() != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", !ep.requestOptional());
            body.putObject("content").putObject(ep.requestMediaType()).set("schema", schema(ep.request(), false, schemas));
        }
        ObjectNode responses = op.putObject("responses");
        for (int status : ep.statuses()) {
            ObjectNode ok = responses.putObject(Integer.toString(status));
            ok.put("description", status == 201 ? "Created" : "OK");
            JsonNode s = schema(ep.response(), false, schemas);
            if (ep.responseIsList()) {
                s = F.objectNode().put("type", "array").set("items", s);
            }
            ok.putObject("content").putObject(ep.responseMediaType()).set("schema", s);
        }
        if (ep.refusal() == ApiError.class) {
            responses.putObject("default").put("$ref", "#/components/responses/Error");
        } else {
            ObjectNode refused = responses.putObject("default");
            refused.put("description", "Refused: {\"error\":{\"code\",\"message\"}}, with more detail for some codes");
            ArrayNode oneOf = refused.putObject("content").putObject(Endpoint.JSON).putObject("schema").putArray("oneOf");
            oneOf.add(schema(ep.refusal(), false, schemas));
            oneOf.add(schema(ApiError.class, false, schemas));
        }
        return op;
    }

    /** The schema of {@code type}; a record is added to {@code schemas} (once) and referred to. */
    static ObjectNode schema(Type type, boolean nullable, ObjectNode schemas) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            ObjectNode n;
            if (List.class.isAssignableFrom(raw)) {
                n = F.objectNode().put("type", "array");
                n.set("items", schema(args[0], false, schemas));
            } else if (Map.class.isAssignableFrom(raw)) {
                n = F.objectNode().put("type", "object");
                n.set("additionalProperties", args[1] == Object.class ? F.booleanNode(true) : schema(args[1], false, schemas));
            } else {
                throw new IllegalArgumentException("no schema for " + type);
            }
            return nullable ? n.put("nullable", true) : n;
        }
        Class<?> c = (Class<?>) type;
        ObjectNode n = F.objectNode();
        if (c == String.class) {
            n.put("type", "string");
        } else if (c == Long.class || c == long.class) {
            n.put("type", "integer").put("format", "int64");
        } else if (c == Integer.class || c == int.class) {
            n.put("type", "integer").put("format", "int32");
        } else if (c == Double.class || c == double.class) {
            n.put("type", "number").put("format", "double");
        } else if (c == Boolean.class || c == boolean.class) {
            n.put("type", "boolean");
        } else if (c == byte[].class) {
            n.put("type", "string").put("format", "binary");
        } else if (c == JsonNode.class || c == Object.class) {
            n.put("description", "any JSON value");
        } else if (c.isRecord()) {
            String name = schemaName(c);
            if (!schemas.has(name)) {
                schemas.putObject(name); // placeholder first: a record that refers to itself ends here
                schemas.set(name, recordSchema(c, schemas));
            }
            ObjectNode ref = F.objectNode().put("$ref", SCHEMAS + name);
            if (!nullable) {
                return ref;
            }
            // a $ref takes no sibling keywords in OpenAPI 3.0: a nullable one is wrapped
            n.putArray("allOf").add(ref);
        } else {
            throw new IllegalArgumentException("no schema for " + c.getName() + ": API records hold strings, numbers, lists, maps and records");
        }
        return nullable ? n.put("nullable", true) : n;
    }

    private static ObjectNode recordSchema(Class<?> c, ObjectNode schemas) {
        ObjectNode s = F.objectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        boolean classOmitsNulls = omitsNulls(c.getAnnotation(JsonInclude.class));
        for (RecordComponent rc : c.getRecordComponents()) {
            // Jackson's annotations do not target record components: Java puts them on the field, the accessor and the
            // constructor parameter, where Jackson reads them too
            JsonProperty renamed = rc.getAccessor().getAnnotation(JsonProperty.class);
            String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : rc.getName();
            JsonInclude own = rc.getAccessor().getAnnotation(JsonInclude.class);
            boolean omitsNulls = own != null ? omitsNulls(own) : classOmitsNulls;
            boolean marked = rc.isAnnotationPresent(Required.class);
            boolean primitive = rc.getType().isPrimitive();
            props.set(name, schema(rc.getGenericType(), !primitive && !omitsNulls && !marked, schemas));
            if (marked || !omitsNulls) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        // the server refuses nothing for an unknown field, but no record has one: said, for generated clients
        s.put("additionalProperties", false);
        return s;
    }

    private static boolean omitsNulls(JsonInclude inc) {
        return inc != null && inc.value() != JsonInclude.Include.ALWAYS && inc.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    /** {@code UnitView}; a nested record with its enclosing one's name first ({@code ApiErrorDetail}). */
    static String schemaName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : schemaName(c.getEnclosingClass()) + c.getSimpleName();
    }

    /** {@code CREATE_PRODUCT} → {@code createProduct}. */
    static String camel(String constant) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : constant.toLowerCase(Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }
}
