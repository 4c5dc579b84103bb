package io.github.pgreplication.host;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file's text and its permission bits, read together by {@link Host#readFileWithMode(String)}: what a step needs
 * to rewrite a file it does not own (pg_hba.conf) with the mode it already had.
 *
 * @param text its text (UTF-8)
 * @param mode its permission bits in octal as {@code stat -c %a} prints them (no leading zero), e.g. {@code 640},
 *             {@code 4751}, or {@code 0} for none
 */
public record FileWithMode(String text, String mode) {
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");

    /**
     * Checks for nulls and the mode's form.
     *
     * @throws IllegalArgumentException when the mode is not 1 to 4 octal digits
     * @param text its text (UTF-8)
     * @param mode its permission bits in octal as {@code stat -c %a} prints them (no leading zero), e.g. {@code 640},
     *             {@code 4751}, or {@code 0} for none
     */
    public FileWithMode {
        Objects.requireNonNull(text, "text must not be null: give the file's text, \"\" for an empty file");
        Objects.requireNonNull(mode, "mode must not be null: give the permission bits, e.g. \"640\"");
        if (!OCTAL.matcher(mode).matches()) {
            throw new IllegalArgumentException("file mode '" + mode + "' is not 1 to 4 octal digits as stat -c %a"
                    + " prints them: give e.g. \"640\" or \"4751\"");
        }
    }
}
