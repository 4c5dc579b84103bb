package io.github.pgreplication.pgbackrest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pgreplication.pgbackrest.PgBackRestException.Kind;
import org.assertj.core.api.ThrowingConsumer;

/** The check that replaced {@code isInstanceOf(SomePgBackRestException.class)}: the exception's kind. */
final class Kinds {
    private Kinds() {
    }

    /**
     * @param kind the kind expected
     * @return for {@code assertThatThrownBy(...).satisfies(kind(Kind.X))}: a PgBackRestException of that kind
     */
    static ThrowingConsumer<Throwable> kind(Kind kind) {
        return t -> assertThat(t).as("a PgBackRestException of kind %s", kind)
                .isInstanceOfSatisfying(PgBackRestException.class, e -> assertThat(e.kind()).as("kind")
                        .isEqualTo(kind));
    }
}
