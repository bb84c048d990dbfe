package io.lorafab.api.model;

/**
 * The body of every refusal: {@code {"error":{"code","message"}}}, {@code code} a stable snake_case word. A
 * refused device import says more ({@link ImportRefusal}).
 */
public record ApiError(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ApiError of(String code, String message) {
        return new ApiError(new Detail(code, message));
    }
}
