package io.github.pgreplication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void jdbcUrlForHostName() {
        assertThat(Endpoint.of("eshua.ghelew.ch", 5432).jdbcUrl("postgres"))
                .isEqualTo("jdbc:postgresql://eshua.ghelew.ch:5432/postgres");
    }

    @Test
    void jdbcUrlBracketsIpv6Addresses() {
        assertThat(Endpoint.of("::1", 5433).jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://[::1]:5433/postgres");
        assertThat(Endpoint.of("fd00::10", 5432).jdbcUrl("app")).isEqualTo("jdbc:postgresql://[fd00::10]:5432/app");
    }

    @Test
    void jdbcUrlKeepsAlreadyBracketedIpv6() {
        assertThat(Endpoint.of("[::1]", 5432).jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://[::1]:5432/postgres");
    }

    @Test
    void jdbcUrlForIpv4() {
        assertThat(Endpoint.of("10.0.0.5", 6543).jdbcUrl("postgres"))
                .isEqualTo("jdbc:postgresql://10.0.0.5:6543/postgres");
    }

    @Test
    void defaultPortIs5432() {
        assertThat(Endpoint.of("db")).isEqualTo(Endpoint.of("db", 5432));
        assertThat(Endpoint.of("db")).hasToString("db:5432");
    }
}
