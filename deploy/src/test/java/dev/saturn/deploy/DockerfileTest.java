package dev.saturn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.deploy.Dockerfile.Instruction;
import dev.saturn.deploy.Dockerfile.Stage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image's Dockerfile, read statically: no Docker engine builds it here. */
class DockerfileTest {

  private final Dockerfile dockerfile = Dockerfile.parse(RepositoryFiles.read("Dockerfile"));

  @Test
  void buildsInAJdkStageWithoutTheEmbeddedDatabaseAndRunsOnAJre() {
    assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
    Stage build = dockerfile.stages().get(0);
    assertThat(build.image()).startsWith("eclipse-temurin:17.").contains("-jdk");
    assertThat(dockerfile.last().image()).startsWith("eclipse-temurin:17.").contains("-jre");

    List<String> runs = build.all("RUN").stream().map(Instruction::arguments).toList();
    assertThat(runs).anySatisfy(run -> assertThat(run).contains("./mvnw").contains("-pl app -am package").contains("-Dno-embedded-db"));
    assertThat(runs)
        .anySatisfy(run -> assertThat(run).contains("-Djarmode=tools -jar app/target/saturn.jar extract --layers --launcher"));
  }

  @Test
  void everyBaseImageIsPinnedToAFullReleaseNeverLatest() {
    for (Stage stage : dockerfile.stages()) {
      assertThat(stage.image()).as(stage.name()).doesNotContain("latest").matches("[a-z0-9./_-]+:\\d+\\.\\d+\\.\\d+[^:]*|.+@sha256:[0-9a-f]{64}");
    }
  }

  @Test
  void runtimeStageCopiesTheFourLayersInTheOrderTheyChange() {
    List<String> copies =
        dockerfile.last().all("COPY").stream().map(Instruction::arguments).filter(copy -> copy.startsWith("--from=")).toList();

    assertThat(copies)
        .containsExactly(
            "--from=build /layers/dependencies/ ./",
            "--from=build /layers/spring-boot-loader/ ./",
            "--from=build /layers/snapshot-dependencies/ ./",
            "--from=build /layers/application/ ./");
    assertThat(dockerfile.last().last("ENTRYPOINT").arguments()).contains("org.springframework.boot.loader.launch.JarLauncher");
  }

  @Test
  void runsAsAFixedNonRootUserWithAHealthCheckAndBothPorts() {
    Stage runtime = dockerfile.last();
    String user = runtime.last("USER").arguments();
    assertThat(user).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo(10001);

    assertThat(runtime.last("HEALTHCHECK").arguments()).contains("CMD curl").contains("/health");
    assertThat(runtime.all("EXPOSE").stream().flatMap(expose -> Arrays.stream(expose.arguments().split("\\s+"))))
        .contains("8080", "8081");
    assertThat(runtime.all("ENV").stream().map(Instruction::arguments)).anySatisfy(env -> assertThat(env).contains("SATURN_DATA_DIR=/var/lib/saturn"));
  }

  @Test
  void theBuildContextLeavesOutBuildOutputAndLocalSecrets() {
    List<String> ignored = RepositoryFiles.read(".dockerignore").lines().map(String::strip).toList();

    assertThat(ignored).contains("**/target", "**/data", ".env", ".git");
  }

  @Test
  void givenAnUnpinnedOrContinuedDockerfile_whenParsed_itShouldResolveArgsAndJoinLines() {
    Dockerfile parsed =
        Dockerfile.parse(
            """
            ARG BASE=alpine:latest
            FROM ${BASE} AS first
            # a comment
            RUN echo one \\
                && echo two
            FROM first
            USER root
            """);

    assertThat(parsed.stages()).extracting(Stage::image).containsExactly("alpine:latest", "first");
    assertThat(parsed.stages().get(0).last("RUN").arguments()).isEqualTo("echo one  && echo two");
    assertThat(parsed.last().last("USER").arguments()).isEqualTo("root");
    assertThatThrownBy(() -> Dockerfile.parse("FROM ${NOPE}\n")).hasMessageContaining("NOPE");
  }
}
