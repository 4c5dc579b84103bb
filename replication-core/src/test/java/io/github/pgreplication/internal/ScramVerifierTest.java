package io.github.pgreplication.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramVerifierTest {
    /**
     * The verifier PostgreSQL would store for password {@code pencil} with the salt and iteration count of the
     * SCRAM-SHA-256 example in RFC 7677 section 3. Checked independently: with these keys, the RFC's exchange
     * yields its ClientProof {@code dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=} and ServerSignature
     * {@code 6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=}.
     */
    private static final String RFC7677_PENCIL = "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
            + "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

    /** Builds a verifier in pg_authid's format, the way PostgreSQL's scram_build_secret does. */
    private static String verifier(String password, byte[] salt, int iterations) throws Exception {
        SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                .getEncoded();
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] serverKey = hmac.doFinal("Server Key".getBytes(StandardCharsets.US_ASCII));
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
                + ":" + b64.encodeToString(serverKey);
    }

    private static byte[] salt() {
        return "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void matchesTheFixedRfc7677Verifier() {
        assertThat(ScramVerifier.matches(RFC7677_PENCIL, "pencil")).as("RFC 7677's password").isTrue();
        assertThat(ScramVerifier.matches(RFC7677_PENCIL, "Pencil")).as("passwords are case-sensitive").isFalse();
    }

    @Test
    void testVerifierBuilderReproducesTheRfc7677Verifier() throws Exception {
        assertThat(verifier("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096))
                .as("the test's own builder is right, so the tests below test ScramVerifier")
                .isEqualTo(RFC7677_PENCIL);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"correct horse", "s3cr'et\\;x", "dq\"$HOME`id`", "co:lon$dollar", "x"})
    void matchesTheRightPassword(String password) throws Exception {
        assertThat(ScramVerifier.matches(verifier(password, salt(), 4096), password)).isTrue();
    }

    @Test
    void rejectsAWrongPassword() throws Exception {
        String v = verifier("correct horse", salt(), 4096);

        assertThat(ScramVerifier.matches(v, "correct horsE")).isFalse();
        assertThat(ScramVerifier.matches(v, "correct horse ")).as("trailing space matters").isFalse();
        assertThat(ScramVerifier.matches(v, "")).isFalse();
    }

    @Test
    void usesTheVerifiersIterationCount() throws Exception {
        assertThat(ScramVerifier.matches(verifier("pw", salt(), 1000), "pw")).isTrue();
    }

    @Test
    void noVerifierMatchesNothing() {
        assertThat(ScramVerifier.matches(null, "pencil")).as("role without password").isFalse();
    }

    @Test
    void md5HashIsNotAScramVerifier() {
        // the format of an md5 password in pg_authid: "md5" + 32 hex digits
        assertThat(ScramVerifier.matches("md5a3556571e93b0d20722ba62be61e8c2d", "pencil")).isFalse();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "garbage", "SCRAM-SHA-256$", "SCRAM-SHA-256$abc:def$ghi:jkl",
            "SCRAM-SHA-256$4096:!!notbase64$x:y", "SCRAM-SHA-256$4096:c2FsdA==", "SCRAM-SHA-256$0:c2FsdA==$a:b",
            "SCRAM-SHA-1$4096:W22ZaJ0SNY7soEsUEjb6gQ==$x:y"})
    void malformedVerifiersDoNotMatchAndDoNotThrow(String verifier) {
        assertThat(ScramVerifier.matches(verifier, "pencil")).isFalse();
    }

    @Test
    void nullPasswordDoesNotMatchAndDoesNotThrow() {
        assertThat(ScramVerifier.matches(RFC7677_PENCIL, null)).isFalse();
    }
}
