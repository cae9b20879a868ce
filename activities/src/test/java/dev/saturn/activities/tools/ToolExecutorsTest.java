package dev.saturn.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolExecutorsTest {

  static ToolExecutor ofKind(String kind) {
    return new ToolExecutor() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public boolean idempotent(ToolRow tool) {
        return false;
      }

      @Override
      public List<String> secretValues(CompanyId company, ToolRow tool) {
        return List.of();
      }

      @Override
      public ToolCallResult execute(CompanyId company, ToolRow tool, JsonNode arguments, ToolCallContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void givenExecutors_whenAskedForAKind_itShouldFindItWhateverTheCaseAndSpaces() {
    ToolExecutor http = ofKind("http");
    ToolExecutor mcp = ofKind("mcp");
    ToolExecutors executors = new ToolExecutors(List.of(http, mcp));

    assertThat(executors.get("http")).isSameAs(http);
    assertThat(executors.get(" MCP ")).isSameAs(mcp);
    assertThat(executors.find("mcp")).containsSame(mcp);
    assertThat(executors.kinds()).containsExactly("http", "mcp");
  }

  @Test
  void givenAnUnknownKind_whenAskedForIt_itShouldFailNonRetryablyNamingTheKindsItRuns() {
    ToolExecutors executors = new ToolExecutors(List.of(ofKind("http")));

    for (String kind : new String[] {"mcp", null}) {
      assertThat(executors.find(kind)).isEmpty();
      ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, () -> executors.get(kind));

      assertThat(failure.getType()).isEqualTo("TOOL_EXECUTION_FAILED");
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("'" + kind + "'").contains("runs: http");
    }
  }

  @Test
  void givenTwoExecutorsOfOneKind_whenRegistered_itShouldRefuseToStart() {
    assertThatThrownBy(() -> new ToolExecutors(List.of(ofKind("http"), ofKind("HTTP"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'HTTP'");
  }
}
