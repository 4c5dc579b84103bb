package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's quick-start code is the sample's compiled code, character for character. */
class ReadmeSnippetTest {
    @Test
    void theReadmeQuotesTheSeed1SampleExactly() throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/github/pgreplication/samples/"
                + "StreamingReplicationSample.java"));
        Matcher m = Pattern.compile("// snippet:seed1\\n(.*?)\\n\\s*// end-snippet:seed1", Pattern.DOTALL)
                .matcher(source);
        assertThat(m.find()).as("snippet markers in the sample").isTrue();
        String snippet = m.group(1).stripIndent().strip();
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README quick start must match the sample; copy it from the sample").contains(snippet);
    }
}
