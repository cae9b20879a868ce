package dev.saturn.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.common.TaskQueues;
import io.temporal.workflow.WorkflowInterface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SaturnWorkflowsTest {

  static final Path CLASSES = Path.of("target", "classes");

  /** Every compiled class of this module that implements a workflow interface. */
  static List<Class<?>> compiledWorkflowImplementations() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES)) {
      return files
          .filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
          .map(f -> CLASSES.relativize(f).toString().replace('/', '.').replaceFirst("\\.class$", ""))
          .map(SaturnWorkflowsTest::load)
          .filter(c -> !c.isInterface()
              && Arrays.stream(c.getInterfaces()).anyMatch(i -> i.isAnnotationPresent(WorkflowInterface.class)))
          .toList();
    }
  }

  @Test
  void givenTheCompiledModule_itShouldListEveryWorkflowImplementationExactlyOnce() throws IOException {
    assertThat(compiledWorkflowImplementations()).isNotEmpty();
    assertThat(SaturnWorkflows.IMPLEMENTATIONS)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(compiledWorkflowImplementations());
  }

  @Test
  void givenTheTaskQueues_itShouldGiveEachWorkerItsOwnWorkflows() {
    assertThat(SaturnWorkflows.BY_TASK_QUEUE).containsOnlyKeys(TaskQueues.CHAT, TaskQueues.BILLING, TaskQueues.KB);
    assertThat(SaturnWorkflows.forTaskQueue(TaskQueues.KB)).extracting(Class::getSimpleName)
        .containsExactly("KbIndexingWorkflowImpl", "KbDeleteWorkflowImpl");
    assertThat(SaturnWorkflows.forTaskQueue("no-such-queue")).isEmpty();
  }

  @Test
  void givenTheImplementations_itShouldNameTheWorkflowTypesAsHistoriesDo() {
    assertThat(SaturnWorkflows.workflowTypes()).containsExactly(
        "BillingRunWorkflow", "ChatTurnWorkflow", "InvoiceDraftWorkflow", "KbDeleteWorkflow",
        "KbIndexingWorkflow", "MonthlyBillingWorkflow", "TurnReconcilerWorkflow");
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, SaturnWorkflowsTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
