package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnversionedBuildIdAtStartTest {

  @Test
  void addsTheUnversionedBuildIdNextToTheStartsOwnAttributes() {
    WorkflowOptions turn = WorkflowOptions.newBuilder()
        .setTaskQueue("q")
        .setTypedSearchAttributes(SaturnSearchAttributes.chatTurn("c1", "a1", "s1", "t1"))
        .setDisableEagerExecution(false)
        .build();

    WorkflowOptions started = UnversionedBuildIdAtStart.withUnversionedBuildId(turn);

    SearchAttributes attributes = started.getTypedSearchAttributes();
    assertThat(attributes.get(UnversionedBuildIdAtStart.BUILD_IDS)).containsExactly("unversioned");
    assertThat(attributes.get(SaturnSearchAttributes.TURN_ID)).isEqualTo("t1");
    assertThat(attributes.get(SaturnSearchAttributes.COMPANY_ID)).isEqualTo("c1");
    assertThat(attributes.size()).isEqualTo(5);
    // Everything else as the caller set it: eager start stays on.
    assertThat(started.isDisableEagerExecution()).isFalse();
    assertThat(started.getTaskQueue()).isEqualTo("q");
  }

  @Test
  void addsItToAStartWithoutAttributes() {
    WorkflowOptions started =
        UnversionedBuildIdAtStart.withUnversionedBuildId(WorkflowOptions.newBuilder().setTaskQueue("q").build());

    assertThat(started.getTypedSearchAttributes().get(UnversionedBuildIdAtStart.BUILD_IDS))
        .containsExactly("unversioned");
  }

  @Test
  void leavesAStartAloneThatNamesBuildIdsOrUsesUntypedAttributes() {
    WorkflowOptions own = WorkflowOptions.newBuilder()
        .setTaskQueue("q")
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder().set(UnversionedBuildIdAtStart.BUILD_IDS, List.of("x")).build())
        .build();
    @SuppressWarnings("deprecation")
    WorkflowOptions untyped = WorkflowOptions.newBuilder()
        .setTaskQueue("q")
        .setSearchAttributes(Map.of("SaturnCompanyId", "c1"))
        .build();

    assertThat(UnversionedBuildIdAtStart.withUnversionedBuildId(own)).isSameAs(own);
    assertThat(UnversionedBuildIdAtStart.withUnversionedBuildId(untyped)).isSameAs(untyped);
  }

  @Test
  void passesStartsThroughUnchangedWhenDisabled() {
    WorkflowClientCallsInterceptor next = new WorkflowClientCallsInterceptorBase(null);

    assertThat(new UnversionedBuildIdAtStart(false).workflowClientCallsInterceptor(next)).isSameAs(next);
    assertThat(new UnversionedBuildIdAtStart(true).workflowClientCallsInterceptor(next)).isNotSameAs(next);
  }
}
