package dev.saturn.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.workflow.WorkflowInterface;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.mock.env.MockEnvironment;

/** The registration list misses no workflow or activity implementation, and reaches the starter only in the worker role. */
class SaturnWorkersTest {

  @Test
  void givenTheWorkflowImplementations_eachShouldBeRegisteredOnExactlyOneQueue() {
    List<String> registered = SaturnWorkers.QUEUES.stream()
        .flatMap(queue -> queue.workflows().stream()).map(Class::getName).toList();

    assertThat(registered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
        implementations("dev.saturn.workflows", WorkflowInterface.class));
  }

  @Test
  void givenTheActivityImplementations_eachShouldBeRegisteredOnExactlyOneQueue() {
    List<String> registered = SaturnWorkers.activityTypes().stream().map(Class::getName).toList();

    assertThat(registered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
        implementations("dev.saturn.activities", ActivityInterface.class));
  }

  @Test
  void givenTheList_itShouldBecomeTheStartersExplicitWorkerConfiguration() {
    Map<String, Object> properties = SaturnWorkers.starterProperties();

    assertThat(properties)
        .containsEntry("spring.temporal.workers[0].task-queue", "saturn-chat")
        .containsEntry("spring.temporal.workers[0].workflow-classes[0]", "dev.saturn.workflows.chat.ChatTurnWorkflowImpl")
        .containsEntry("spring.temporal.workers[0].activity-beans[0]", "chatStoreActivitiesImpl")
        .containsEntry("spring.temporal.workers[2].task-queue", "saturn-kb")
        .containsEntry("spring.temporal.workers[2].activity-beans[0]", "kbIndexingActivitiesImpl");
  }

  @Test
  void givenTheApiRoleOnly_theStarterShouldGetNoWorkers() {
    MockEnvironment apiOnly = new MockEnvironment().withProperty("saturn.roles", "api");
    MockEnvironment both = new MockEnvironment();

    new WorkerRegistrations().postProcessEnvironment(apiOnly, null);
    new WorkerRegistrations().postProcessEnvironment(both, null);

    assertThat(apiOnly.getProperty("spring.temporal.workers[0].task-queue")).isNull();
    assertThat(both.getProperty("spring.temporal.workers[0].task-queue")).isEqualTo("saturn-chat");
  }

  /** Concrete classes under {@code basePackage} implementing an interface annotated {@code marker}. */
  private static Set<String> implementations(String basePackage, Class<? extends Annotation> marker) {
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AssignableTypeFilter(Object.class) {
      @Override
      protected boolean matchClassName(String className) {
        return false;
      }

      @Override
      protected Boolean matchSuperClass(String superClassName) {
        return null;
      }

      @Override
      protected Boolean matchInterface(String interfaceName) {
        try {
          return Class.forName(interfaceName).isAnnotationPresent(marker);
        } catch (ClassNotFoundException e) {
          return false;
        }
      }
    });
    Set<String> names = new TreeSet<>();
    scanner.findCandidateComponents(basePackage).forEach(definition -> names.add(definition.getBeanClassName()));
    return names;
  }
}
