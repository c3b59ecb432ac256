package dev.custos.ledger;

import java.util.Objects;

/**
 * The outcome of parsing untrusted text: either the value or the name of the offending field and
 * what is wrong with it. Parsing MUST NOT throw for bad input; callers switch on the result.
 *
 * @param <T> the parsed type
 */
public sealed interface Parsed<T> {

    /**
     * The text was well-formed.
     *
     * @param value the parsed value
     */
    record Ok<T>(T value) implements Parsed<T> {
        /** Requires a value. */
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The text was not well-formed.
     *
     * @param field the part of the input that is wrong, for example {@code "size"} or {@code "line 3"}
     * @param problem what is wrong, in words a user can act on; never contains secret material
     */
    record Invalid<T>(String field, String problem) implements Parsed<T> {
        /** Requires both parts. */
        public Invalid {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(problem, "problem");
        }

        @Override
        public String toString() {
            return field + ": " + problem;
        }
    }

    /**
     * Returns the value or throws for invalid input.
     *
     * @throws IllegalArgumentException naming the field and the problem
     */
    default T orThrow() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Invalid<T> bad -> throw new IllegalArgumentException(bad.toString());
        };
    }

    /** Returns whether parsing succeeded. */
    default boolean isOk() {
        return this instanceof Ok<T>;
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> invalid(String field, String problem) {
        return new Invalid<>(field, problem);
    }

    /** Re-types an invalid result. */
    @SuppressWarnings("unchecked")
    static <T> Parsed<T> relay(Invalid<?> bad) {
        return (Parsed<T>) (Parsed<?>) new Invalid<>(bad.field(), bad.problem());
    }
}
