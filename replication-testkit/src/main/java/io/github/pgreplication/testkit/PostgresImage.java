package io.github.pgreplication.testkit;

import com.github.dockerjava.api.exception.NotFoundException;
import io.github.pgreplication.Problem;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * Chooses the container image for a PostgreSQL major version, in this order:
 * <ol>
 * <li>the system property {@code pgreplication.image.<major>} (e.g. {@code pgreplication.image.15}), else the
 *     environment variable {@code PGREPLICATION_IMAGE_<major>};</li>
 * <li>the system property {@code pgreplication.image}, else the environment variable {@code PGREPLICATION_IMAGE}
 *     (any image with PostgreSQL's binaries on PATH, a {@code postgres} user, pgBackRest and OpenSSH; used
 *     whatever major version is asked for);</li>
 * <li>{@code pgreplication/postgres:<major>-local} when it exists on the Docker engine (built without a registry by
 *     {@code scripts/build-images.sh});</li>
 * <li>{@code pgreplication/postgres:<major>-official}, built once from the official {@code postgres:<major>} image
 *     with pgBackRest and OpenSSH added (needs a registry), and kept for later runs.</li>
 * </ol>
 */
public final class PostgresImage {
    /** System property naming the image to use. */
    public static final String PROPERTY = "pgreplication.image";
    /** Environment variable naming the image to use. */
    public static final String ENVIRONMENT = "PGREPLICATION_IMAGE";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresImage.class);

    private PostgresImage() {
    }

    /**
     * @param major PostgreSQL major version, e.g. 17
     * @return the image name to run, building the official-based image if needed
     */
    public static String resolve(int major) {
        Optional<String> override = Optional.ofNullable(System.getProperty(PROPERTY + "." + major))
                .or(() -> Optional.ofNullable(System.getenv(ENVIRONMENT + "_" + major)))
                .or(() -> Optional.ofNullable(System.getProperty(PROPERTY)))
                .or(() -> Optional.ofNullable(System.getenv(ENVIRONMENT))).filter(s -> !s.isBlank());
        if (override.isPresent()) {
            return checked(override.get(), PROPERTY + "." + major + ", " + ENVIRONMENT + "_" + major + ", " + PROPERTY
                    + " or " + ENVIRONMENT);
        }
        String local = "pgreplication/postgres:" + major + "-local";
        if (exists(local)) {
            return local;
        }
        String official = "pgreplication/postgres:" + major + "-official";
        if (exists(official)) {
            return official;
        }
        LOG.info("Building {} from postgres:{} with pgBackRest and OpenSSH (once; set -D{}=IMAGE or {} to skip)",
                official, major, PROPERTY, ENVIRONMENT);
        return new ImageFromDockerfile(official, false)
                .withFileFromClasspath("Dockerfile", "io/github/pgreplication/testkit/Dockerfile")
                .withBuildArg("PG_MAJOR", Integer.toString(major))
                .get();
    }

    /**
     * @param image an image name
     * @param from  where it was given, for the refusal
     * @return the image
     * @throws IllegalArgumentException when it is not a valid Docker image name (parsing alone accepts anything)
     */
    static String checked(String image, String from) {
        try {
            DockerImageName.parse(image).assertValid();
        } catch (IllegalArgumentException e) {
            throw Values.refused("image '" + Problem.shown(image) + "' (" + from + ")",
                    "is not a valid Docker image name",
                    "Give one such as pgreplication/postgres:17-local or postgres:17");
        }
        return image;
    }

    /**
     * @return whether the engine has the image; any other failure (no engine, Ryuk unavailable...) propagates with
     *         its own message instead of passing for a missing image and sending the build to a registry
     */
    private static boolean exists(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
