package io.lorafab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode doc = OpenApi.document("test");

    /** The keywords an OpenAPI 3.0 Schema Object may hold (3.1-only ones such as const or type arrays are not here). */
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "format", "properties", "required", "items",
            "additionalProperties", "nullable", "allOf", "oneOf", "anyOf", "$ref", "description", "enum");

    @Test
    void isAnOpenApi30DocumentWithTitleAndVersion() {
        assertThat(doc.path("openapi").asText()).startsWith("3.0.");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isEqualTo("test");
        assertThat(doc.path("paths").isObject()).isTrue();
    }

    @Test
    void everyCatalogueRouteIsAnOperationOfItsPath() {
        for (Endpoint<?, ?> e : ApiRoutes.all()) {
            JsonNode op = doc.path("paths").path(e.path()).path(e.method().toLowerCase(Locale.ROOT));
            assertThat(op.isObject()).as(e.key()).isTrue();
            assertThat(op.path("operationId").asText()).as(e.key()).isNotBlank();
            for (int status : e.statuses()) {
                assertThat(op.path("responses").path(Integer.toString(status)).path("content").path(e.responseMediaType()).has("schema"))
                        .as(e.key() + " " + status).isTrue();
            }
            assertThat(op.path("responses").has("default")).as(e.key() + " refusal").isTrue();
            assertThat(op.has("requestBody")).as(e.key() + " body").isEqualTo(e.requestMediaType() != null);
        }
    }

    @Test
    void documentHoldsNoOperationOutsideTheCatalogue() {
        int operations = 0;
        for (Iterator<JsonNode> it = doc.path("paths").elements(); it.hasNext();) {
            operations += it.next().size();
        }
        assertThat(operations).isEqualTo(ApiRoutes.all().size());
        Set<String> keys = new HashSet<>();
        ApiRoutes.all().forEach(e -> assertThat(keys.add(e.key())).as("twice: " + e.key()).isTrue());
    }

    @Test
    void operationIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        forEachOperation((key, op) -> assertThat(ids.add(op.path("operationId").asText())).as(key).isTrue());
    }

    @Test
    void everyPathSegmentIsADeclaredRequiredParameter() {
        for (Endpoint<?, ?> e : ApiRoutes.all()) {
            JsonNode op = doc.path("paths").path(e.path()).path(e.method().toLowerCase(Locale.ROOT));
            List<String> declared = new ArrayList<>();
            for (JsonNode p : op.path("parameters")) {
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean()).as(e.key()).isTrue();
                    declared.add(p.path("name").asText());
                }
            }
            assertThat(declared).as(e.key()).isEqualTo(e.pathParameters());
        }
    }

    @Test
    void routesWithARoleNeedTheBearerTokenAndNameTheRole() {
        for (Endpoint<?, ?> e : ApiRoutes.all()) {
            JsonNode op = doc.path("paths").path(e.path()).path(e.method().toLowerCase(Locale.ROOT));
            if (e.role() == null) {
                assertThat(op.path("security").isArray() && op.path("security").isEmpty()).as(e.key()).isTrue();
                assertThat(op.has("x-lorafab-role")).as(e.key()).isFalse();
            } else {
                assertThat(op.path("security").get(0).has("bearerAuth")).as(e.key()).isTrue();
                assertThat(op.path("x-lorafab-role").asText()).as(e.key()).isEqualTo(e.role());
            }
        }
        assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void everyRefResolvesInTheDocument() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            assertThat(doc.at(ref.substring(1)).isEmpty()).as(ref + " is empty").isFalse();
        }
    }

    @Test
    void everySchemaIsUsed() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        doc.at("/components/schemas").fieldNames()
                .forEachRemaining(name -> assertThat(refs).as(name).contains("#/components/schemas/" + name));
    }

    @Test
    void schemasUseOnlyOpenApi30Keywords() {
        doc.at("/components/schemas").elements().forEachRemaining(this::checkSchema);
        forEachOperation((key, op) -> op.path("responses").elements().forEachRemaining(r -> r.path("content").elements()
                .forEachRemaining(c -> checkSchema(c.path("schema")))));
    }

    private void checkSchema(JsonNode s) {
        s.fieldNames().forEachRemaining(k -> assertThat(SCHEMA_KEYWORDS).as(s.toString()).contains(k));
        if (s.has("$ref")) {
            assertThat(s.size()).as("a $ref with siblings: " + s).isEqualTo(1);
        }
        if (s.has("nullable")) {
            assertThat(s.has("type") || s.has("allOf") || s.has("description")).as(s.toString()).isTrue();
        }
        s.path("properties").elements().forEachRemaining(this::checkSchema);
        if (s.has("items")) {
            checkSchema(s.get("items"));
        }
        if (s.path("additionalProperties").isObject()) {
            checkSchema(s.get("additionalProperties"));
        }
        s.path("allOf").elements().forEachRemaining(this::checkSchema);
        s.path("oneOf").elements().forEachRemaining(this::checkSchema);
        for (JsonNode r : s.path("required")) {
            assertThat(s.path("properties").has(r.asText())).as("required but not a property: " + r).isTrue();
        }
    }

    /** The schema's property names are the ones Jackson writes for the record (renames such as GatewayStat's "long" included). */
    @Test
    void schemaPropertiesAreTheNamesJacksonWrites() {
        Map<String, Class<?>> records = new LinkedHashMap<>();
        for (Endpoint<?, ?> e : ApiRoutes.all()) {
            reachable(e.request(), records);
            reachable(e.response(), records);
            reachable(e.refusal(), records);
        }
        assertThat(records).hasSizeGreaterThan(30);
        for (Map.Entry<String, Class<?>> r : records.entrySet()) {
            Set<String> written = new HashSet<>();
            for (BeanPropertyDefinition p : JSON.getSerializationConfig().introspect(JSON.constructType(r.getValue())).findProperties()) {
                written.add(p.getName());
            }
            Set<String> described = new HashSet<>();
            doc.at("/components/schemas/" + r.getKey() + "/properties").fieldNames().forEachRemaining(described::add);
            assertThat(described).as(r.getKey()).isEqualTo(written);
        }
    }

    @Test
    void nullableFieldsAreTheOnesWrittenAsNull() {
        JsonNode unit = doc.at("/components/schemas/UnitView");
        assertThat(unit.at("/properties/serial/nullable").asBoolean()).isTrue();
        assertThat(unit.at("/properties/id/nullable").asBoolean()).isFalse();
        assertThat(iterable(unit.path("required"))).contains("serial", "id");
        // left out when absent, never null
        JsonNode stat = doc.at("/components/schemas/GatewayStat");
        assertThat(stat.has("required")).isFalse();
        assertThat(stat.at("/properties/long/nullable").asBoolean()).isFalse();
        JsonNode gateways = doc.at("/components/schemas/GatewaysView");
        assertThat(iterable(gateways.path("required"))).doesNotContain("mqtt");
        // a nullable record is wrapped, as 3.0 ignores a $ref's siblings
        assertThat(doc.at("/components/schemas/GatewayView/properties/lastStat/allOf/0/$ref").asText())
                .isEqualTo("#/components/schemas/GatewayStat");
        // a request's optional fields are optional, its required ones required
        assertThat(iterable(doc.at("/components/schemas/CreateProductRequest/required")))
                .containsExactlyInAnyOrder("name", "joinEui", "macVersion", "region");
    }

    @Test
    void listRoutesAnswerArraysOfTheirRecord() {
        JsonNode s = doc.at("/paths/~1api~1products/get/responses/200/content/application~1json/schema");
        assertThat(s.path("type").asText()).isEqualTo("array");
        assertThat(s.at("/items/$ref").asText()).isEqualTo("#/components/schemas/ProductView");
    }

    @Test
    void servedBytesAreTheDocument() throws Exception {
        assertThat(JSON.readTree(OpenApi.bytes("test"))).isEqualTo(doc);
    }

    private static List<String> iterable(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void reachable(Type t, Map<String, Class<?>> out) {
        if (t instanceof ParameterizedType p) {
            for (Type a : p.getActualTypeArguments()) {
                reachable(a, out);
            }
            return;
        }
        if (t instanceof Class<?> c && c.isRecord() && out.putIfAbsent(OpenApi.schemaName(c), c) == null) {
            for (RecordComponent rc : c.getRecordComponents()) {
                reachable(rc.getGenericType(), out);
            }
        }
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> f) {
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields()
                .forEachRemaining(m -> f.accept(m.getKey() + " " + p.getKey(), m.getValue())));
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }
}
