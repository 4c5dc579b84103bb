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
        assertReadmeQuotes("StreamingReplicationSample.java", "seed1");
    }

    @Test
    void theReadmeQuotesTheSeed2SampleExactly() throws IOException {
        assertReadmeQuotes("PgBackRestSample.java", "seed2");
    }

    @Test
    void theReadmeQuotesTheOperationsSampleExactly() throws IOException {
        assertReadmeQuotes("OperationsSample.java", "operations");
    }

    @Test
    void theReadmeQuotesTheStandbyContainersJoinExactly() throws IOException {
        assertReadmeQuotes("standby/StandbyContainer.java", "standby-join");
    }

    @Test
    void theDocsQuoteTheDurabilitySamplesExactly() throws IOException {
        assertReadmeQuotes("DurabilitySample.java", "durability");
        assertReadmeQuotes("DurabilitySample.java", "durability-relax");
        assertReadmeQuotes("src/test/java/io/github/pgreplication/samples/DurabilityIT.java", "testing-durability");
    }

    @Test
    void theReadmeQuotesTheApplicationTestExactly() throws IOException {
        for (String name : new String[] {"testing-extension", "testing-urls", "testing-partition",
                "testing-failover"}) {
            assertReadmeQuotes("src/test/java/io/github/pgreplication/samples/YourApplicationIT.java", name);
        }
    }

    private static void assertReadmeQuotes(String sample, String name) throws IOException {
        String source = Files.readString(Path.of(sample.startsWith("src/") ? sample
                : "src/main/java/io/github/pgreplication/samples/" + sample));
        Matcher m = Pattern.compile("// snippet:" + name + "\\n(.*?)\\n\\s*// end-snippet:" + name, Pattern.DOTALL)
                .matcher(source);
        assertThat(m.find()).as("snippet markers in %s", sample).isTrue();
        String snippet = m.group(1).stripIndent().strip();
        StringBuilder docs = new StringBuilder(Files.readString(Path.of("../README.md")));
        try (var pages = Files.list(Path.of("../docs"))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                docs.append('\n').append(Files.readString(page));
            }
        }
        assertThat(docs.toString()).as("README or docs/ must quote %s exactly; copy it from the sample", sample)
                .contains(snippet);
    }
}
