package dev.saturn.app.runtime.temporal;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The smallest workflow that proves a server, a client and a worker work together. */
@WorkflowInterface
public interface GreetingWorkflow {

  String TASK_QUEUE = "runtime-test";

  /** Greets {@code name}; waits for {@link #proceed()} first when {@code waitForSignal}. */
  @WorkflowMethod
  String greet(String name, boolean waitForSignal);

  @SignalMethod
  void proceed();

  class Impl implements GreetingWorkflow {

    private boolean proceeded;

    @Override
    public String greet(String name, boolean waitForSignal) {
      if (waitForSignal) {
        Workflow.await(() -> proceeded);
      }
      return "Hello, " + name;
    }

    @Override
    public void proceed() {
      proceeded = true;
    }
  }
}
