package io.github.pgreplication.host;

/**
 * What a finished program returned.
 *
 * @param exitCode its exit code
 * @param stdout   its standard output
 * @param stderr   its error output
 */
public record CommandResult(int exitCode, String stdout, String stderr) {
    /** @return whether the exit code is 0 */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * @param maxLines how many lines to keep
     * @return the last lines of the error output, or of standard output when the error output is empty
     */
    public String tail(int maxLines) {
        String text = stderr == null || stderr.isBlank() ? stdout : stderr;
        if (text == null) {
            return "";
        }
        String[] lines = text.strip().split("\\R");
        int from = Math.max(0, lines.length - maxLines);
        return String.join(System.lineSeparator(), java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
