package io.github.pgreplication.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java code of README.md and docs/*.md is the samples' compiled code, character for character, both ways: every
 * snippet marked in samples/ ({@code // snippet:NAME} ... {@code // end-snippet:NAME}) is quoted in a {@code ```java}
 * block, and every such block is (a part of) a snippet. Indentation is compared relative to the block's own. The
 * relative links of those pages point to files of the repository, and their {@code #anchors} to headings there.
 */
class ReadmeSnippetTest {
    /** The repository's root: surefire runs this module's tests in samples/. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /**
     * Pages that another branch adds at the same time (docs/hosts.md comes with the packaging work): a link to one of
     * them may point nowhere until that branch is merged. Once the file is there, a test fails until its entry is
     * removed, so that no link stays unchecked.
     */
    private static final Pattern SNIPPET_START = Pattern.compile("(?m)^[ \\t]*// snippet:([\\w-]+)[ \\t]*$");
    private static final Pattern JAVA_BLOCK =
            Pattern.compile("(?ms)^[ \\t]*```java[ \\t]*\\n(.*?)\\n[ \\t]*```[ \\t]*$");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^[ \\t]*```.*?^[ \\t]*```[ \\t]*$");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}[ \\t]+(.+?)[ \\t#]*$");

    @Test
    void everySnippetOfTheSamplesIsQuotedInTheReadmeOrADocsPage() throws IOException {
        Map<String, String> snippets = snippets();
        assertThat(snippets).as("snippets found under samples/src (this test runs in samples/)")
                .containsKeys("seed1", "seed1-real-machines", "quick-start-test");
        List<String> blocks = javaBlocks().values().stream().flatMap(List::stream).toList();
        for (Map.Entry<String, String> snippet : snippets.entrySet()) {
            assertThat(blocks.stream().anyMatch(block -> contains(block, snippet.getValue())))
                    .as("README.md or docs/*.md must quote snippet '%s' exactly in a ```java block; copy it from the"
                            + " sample:%n%s", snippet.getKey(), snippet.getValue())
                    .isTrue();
        }
    }

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsIsCodeOfTheSamples() throws IOException {
        List<String> snippets = List.copyOf(snippets().values());
        Map<Path, List<String>> blocks = javaBlocks();
        assertThat(blocks.get(ROOT.resolve("README.md"))).as("```java blocks in README.md").isNotEmpty();
        for (Map.Entry<Path, List<String>> page : blocks.entrySet()) {
            for (String block : page.getValue()) {
                assertThat(snippets.stream().anyMatch(snippet -> contains(snippet, block)))
                        .as("this ```java block of %s is in no snippet of samples/: make it compiled code there,"
                                + " between // snippet:NAME and // end-snippet:NAME, and quote it exactly:%n%s",
                                ROOT.relativize(page.getKey()), block)
                        .isTrue();
            }
        }
    }

    @Test
    void everyRelativeLinkPointsToAFileOfTheRepository() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages(true)) {
            problems.addAll(linkProblems(page, Files.readString(page)));
        }
        assertThat(problems).as("links of README.md, BENCHMARKS.md, CHANGELOG.md and docs/*.md").isEmpty();
    }

    @Test
    void aBlockWithOtherIndentationOrTextIsNotCode() {
        String snippet = "try (A a = open()) {\n    a.run(); // runs\n}";
        assertThat(contains(snippet, "a.run(); // runs")).as("a line of the snippet").isTrue();
        assertThat(contains(snippet, snippet)).as("the whole snippet").isTrue();
        assertThat(contains(snippet, "try (A a = open()) {\na.run(); // runs\n}")).as("indentation changed")
                .isFalse();
        assertThat(contains(snippet, "a.run(); // it runs")).as("a comment changed").isFalse();
        assertThat(contains(snippet, "try (A a = open()) {\n    a.run(); // runs\n}\nmore();")).as("a line added")
                .isFalse();
    }

    @Test
    void aLinkToNothingOutsideOrToAMissingHeadingIsReported() {
        Path page = ROOT.resolve("docs/some-page.md");
        String text = "# Title\n\n[ok](#title) [benchmarks](../BENCHMARKS.md) [gone](missing.md)"
                + " [outside](../../shared/seeds/000) [anchor](#no-such-heading) [web](https://example.org/x)\n\n"
                + "```\n[in code](not-checked.md)\n```\n";
        assertThat(linkProblems(page, text)).as("problems")
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("missing.md", "no such file"))
                .anySatisfy(p -> assertThat(p).contains("../../shared/seeds/000", "outside the repository"))
                .anySatisfy(p -> assertThat(p).contains("#no-such-heading", "no heading"));
    }

    @Test
    void anchorsAreTheHeadingsAsGitHubNamesThem() {
        assertThat(anchors("## 4. Switchover and failover (issue 8)\n## `freshDatabase()` vs a new cluster\n"
                + "## Notes\n## Notes\n```\n# not a heading\n```\n"))
                .as("anchors")
                .containsExactly("4-switchover-and-failover-issue-8", "freshdatabase-vs-a-new-cluster", "notes",
                        "notes-1");
    }

    /** Every snippet of samples/src, by name, its indentation removed. */
    private static Map<String, String> snippets() throws IOException {
        Map<String, String> snippets = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT.resolve("samples/src"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            Matcher start = SNIPPET_START.matcher(text);
            while (start.find()) {
                String name = start.group(1);
                String end = "// end-snippet:" + name;
                int endAt = text.indexOf(end, start.end());
                assertThat(endAt).as("%s: '// snippet:%s' without '%s'", source, name, end).isPositive();
                String body = text.substring(text.indexOf('\n', start.end()) + 1, text.lastIndexOf('\n', endAt));
                assertThat(snippets.put(name, normalised(body))).as("snippet name '%s' used twice (%s)", name,
                        source).isNull();
            }
        }
        return snippets;
    }

    /** The ```java blocks of README.md and docs/*.md, per page, their indentation removed. */
    private static Map<Path, List<String>> javaBlocks() throws IOException {
        Map<Path, List<String>> blocks = new LinkedHashMap<>();
        for (Path page : pages(false)) {
            List<String> found = new ArrayList<>();
            Matcher m = JAVA_BLOCK.matcher(Files.readString(page));
            while (m.find()) {
                found.add(normalised(m.group(1)));
            }
            blocks.put(page, found);
        }
        return blocks;
    }

    /**
     * @param all also BENCHMARKS.md and CHANGELOG.md
     * @return README.md (and those) and docs/*.md
     */
    private static List<Path> pages(boolean all) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        if (all) {
            Stream.of("BENCHMARKS.md", "CHANGELOG.md").map(ROOT::resolve).filter(Files::exists).forEach(pages::add);
        }
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static String normalised(String code) {
        return code.stripIndent().strip();
    }

    /**
     * @param outer code, indentation removed
     * @param inner code, indentation removed
     * @return whether inner is a run of outer's lines, with the same indentation relative to each other
     */
    static boolean contains(String outer, String inner) {
        List<String> lines = outer.lines().toList();
        int count = (int) inner.lines().count();
        for (int from = 0; from + count <= lines.size(); from++) {
            if (normalised(String.join("\n", lines.subList(from, from + count))).equals(inner)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param page a Markdown page of the repository
     * @param text its text
     * @return a line per link (outside code blocks) whose target is not a file of the repository, or whose anchor
     *         names no heading of its page; links with a scheme ({@code https:}) are not checked
     */
    static List<String> linkProblems(Path page, String text) {
        List<String> problems = new ArrayList<>();
        Matcher m = LINK.matcher(FENCED_BLOCK.matcher(text).replaceAll(""));
        while (m.find()) {
            String link = m.group(1);
            if (link.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue;
            }
            int hash = link.indexOf('#');
            String file = hash < 0 ? link : link.substring(0, hash);
            Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            String where = ROOT.relativize(page) + ": (" + link + ")";
            if (file.isEmpty()) {
                if (!anchors(text).contains(link.substring(1))) {
                    problems.add(where + " names no heading of this page; its anchors: " + anchors(text));
                }
            } else if (!target.startsWith(ROOT)) {
                problems.add(where + " points outside the repository");
            } else if (!Files.exists(target)) {
                problems.add(where + " points to no such file: " + ROOT.relativize(target));
            } else if (hash >= 0 && target.toString().endsWith(".md")) {
                String anchor = link.substring(hash + 1);
                String targetText = target.equals(page) ? text : read(target);
                if (!anchors(targetText).contains(anchor)) {
                    problems.add(where + " names no heading of " + ROOT.relativize(target) + "; its anchors: "
                            + anchors(targetText));
                }
            }
        }
        return problems;
    }

    /**
     * @param markdown a page
     * @return the anchors GitHub gives its headings: lower case, punctuation removed, spaces as hyphens, a repeated
     *         one numbered
     */
    static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
