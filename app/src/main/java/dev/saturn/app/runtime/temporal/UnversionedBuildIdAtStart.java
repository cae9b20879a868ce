package dev.saturn.app.runtime.temporal;

import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.util.List;

/**
 * Starts every workflow with the server's own {@code BuildIds} search attribute already at the
 * value the server gives it anyway, so that the server writes its visibility row twice per
 * workflow (start, close) instead of three times.
 *
 * <p>When a workflow task of an unversioned worker completes, the server adds {@code
 * "unversioned"} to the execution's {@code BuildIds} and, if the list changed, schedules an
 * upsert of the visibility row: for a chat turn that is the first workflow task, a third full-row
 * write into the dev server's SQLite visibility table (59 indexes) per turn, with no other
 * content. With the value present from the start, nothing changes and no upsert is scheduled;
 * the row holds the same {@code BuildIds} as before, only from the start on.
 *
 * <p>Only for the dev server SATURN launches, and only when that server lists {@code BuildIds}
 * as a keyword list ({@link SearchAttributeSetup#listsUnversionedBuildIds}); SATURN's workers are
 * unversioned (no worker versioning, no build id). Not for the embedded test server (which
 * knows no {@code BuildIds}) nor an external server (its operator's choice; its visibility store
 * need not be SQLite). Starts that carry search attributes in the untyped (deprecated) form are
 * left as they are, as the SDK refuses both forms at once. docs/benchmarks.md, "Dev server,
 * round 4".
 */
public final class UnversionedBuildIdAtStart extends WorkflowClientInterceptorBase {

  /** The server's system attribute: the build ids the workflow's tasks completed on. */
  static final SearchAttributeKey<List<String>> BUILD_IDS = SearchAttributeKey.forKeywordList("BuildIds");
  /** What the server adds for a workflow task completed by a worker without versioning. */
  static final String UNVERSIONED = "unversioned";

  private final boolean enabled;

  /** @param enabled false: starts pass unchanged (any server but a dev server that knows {@code BuildIds}) */
  public UnversionedBuildIdAtStart(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
    if (!enabled) {
      return next;
    }
    return new WorkflowClientCallsInterceptorBase(next) {
      @Override
      public WorkflowStartOutput start(WorkflowStartInput input) {
        return super.start(new WorkflowStartInput(
            input.getWorkflowId(), input.getWorkflowType(), input.getHeader(), input.getArguments(),
            withUnversionedBuildId(input.getOptions())));
      }
    };
  }

  /** {@code options} with {@code BuildIds = ["unversioned"]} added, unless it cannot or need not be. */
  static WorkflowOptions withUnversionedBuildId(WorkflowOptions options) {
    if (options.getSearchAttributes() != null && !options.getSearchAttributes().isEmpty()) {
      return options;
    }
    SearchAttributes typed = options.getTypedSearchAttributes();
    if (typed != null && typed.containsKey(BUILD_IDS)) {
      return options;
    }
    SearchAttributes.Builder attributes =
        typed == null ? SearchAttributes.newBuilder() : SearchAttributes.newBuilder(typed);
    return WorkflowOptions.newBuilder(options)
        .setTypedSearchAttributes(attributes.set(BUILD_IDS, List.of(UNVERSIONED)).build())
        .build();
  }
}
