package dev.saturn.worker.logging;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import org.slf4j.MDC;

/** Puts workflow_id (and the activity's type and attempt) into the MDC of every workflow and activity log line. */
public class LoggingContextInterceptor extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        MDC.put("workflow_id", Workflow.getInfo().getWorkflowId());
        MDC.put("workflow_type", Workflow.getInfo().getWorkflowType());
        return super.execute(input);
      }
    };
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        ActivityInfo info = context.getInfo();
        MDC.put("workflow_id", info.getWorkflowId());
        MDC.put("activity", info.getActivityType());
        MDC.put("attempt", Integer.toString(info.getAttempt()));
        try {
          return super.execute(input);
        } finally {
          MDC.remove("workflow_id");
          MDC.remove("activity");
          MDC.remove("attempt");
        }
      }
    };
  }
}
