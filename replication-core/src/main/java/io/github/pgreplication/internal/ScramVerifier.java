package io.github.pgreplication.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a password against a stored {@code SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey} verifier
 * (RFC 5802/7677), so that setting the same password again is recognised as "already done" without storing or
 * comparing clear text. Passwords are used as given (no SASLprep): for non-ASCII passwords a false "differs" only
 * costs one needless, harmless password update.
 */
public final class ScramVerifier {
    private ScramVerifier() {
    }

    /**
     * @param verifier {@code pg_authid.rolpassword}, may be null
     * @param password the candidate password
     * @return whether the verifier was made from this password
     */
    public static boolean matches(String verifier, String password) {
        if (verifier == null || !verifier.startsWith("SCRAM-SHA-256$")) {
            return false;
        }
        try {
            String[] parts = verifier.substring("SCRAM-SHA-256$".length()).split("[$:]");
            int iterations = Integer.parseInt(parts[0]);
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] storedKey = Base64.getDecoder().decode(parts[2]);
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
            byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] computed = MessageDigest.getInstance("SHA-256").digest(clientKey);
            return MessageDigest.isEqual(computed, storedKey);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
