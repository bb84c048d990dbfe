package io.lorafab.console;

import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.Required;
import io.lorafab.store.StoreException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A console form read into the API's own request record ({@code io.lorafab.api.model.*Request}), so that the page
 * hands the service exactly what the API would: a blank field is an absent one, a {@link Required} field absent is
 * "missing field 'x'" and a number that is not one is "field 'x' must be an integer", in the API's words. What a
 * value means (an EUI, a region) is read by the service, never here.
 */
final class FormRecords {
    private FormRecords() {
    }

    /** The fields of {@code type} as the form sent them (null where absent), for re-showing the form. */
    static Map<String, String> values(Class<? extends Record> type, Function<String, String> param) {
        Map<String, String> v = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String raw = param.apply(c.getName());
            v.put(c.getName(), raw == null ? "" : raw);
        }
        return v;
    }

    /** The record the form describes; a refusal is a {@link StoreException} with the API's code and message. */
    static <R extends Record> R bind(Class<R> type, Map<String, String> values) {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            RecordComponent c = cs[i];
            String raw = values.get(c.getName());
            String text = raw == null || raw.isBlank() ? null : raw.strip();
            if (text == null && c.isAnnotationPresent(Required.class)) {
                throw invalid("missing field '" + c.getName() + "'");
            }
            args[i] = text == null ? null : value(c, text);
        }
        try {
            return type.getDeclaredConstructor(Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new))
                    .newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static Object value(RecordComponent c, String text) {
        Class<?> t = c.getType();
        String field = "field '" + c.getName() + "'";
        try {
            if (t == String.class) {
                return text;
            }
            if (t == Integer.class) {
                return Integer.valueOf(text);
            }
            if (t == Boolean.class) {
                // a ticked checkbox sends "true" (a browser without a value would send "on"); an unticked one nothing
                return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("on");
            }
            if (t == Long.class) {
                return Long.valueOf(text);
            }
            if (t == Double.class) {
                double d = Double.parseDouble(text);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw invalid(field + " must be " + (t == Double.class ? "a number" : "an integer"));
        }
        if (t == List.class && c.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            // a list is typed as its items separated by commas or blanks ("000013, 000042")
            List<String> items = Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
            return items.isEmpty() ? null : items;
        }
        if (t == List.class && c.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == Integer.class) {
            // numbers separated by commas or blanks ("5, 4, 3")
            try {
                List<Integer> items = Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
                return items.isEmpty() ? null : items;
            } catch (NumberFormatException e) {
                throw invalid(field + " must be whole numbers separated by commas");
            }
        }
        throw new IllegalStateException("a form cannot carry " + c.getName() + " of " + t.getSimpleName());
    }

    private static StoreException invalid(String message) {
        return new StoreException(ErrorCode.INVALID_INPUT, message);
    }
}
