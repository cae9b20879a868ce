package dev.saturn.app.tools;

import dev.saturn.activities.tools.ToolTestCalls;
import dev.saturn.api.tools.ToolTestRunner;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import org.springframework.stereotype.Component;

/** Gives the API's test call (the console's "Test a call") the activities' executors. */
@Component
class ToolTestRunnerAdapter implements ToolTestRunner {

  private final ToolTestCalls calls;

  ToolTestRunnerAdapter(ToolTestCalls calls) {
    this.calls = calls;
  }

  @Override
  public Outcome run(CompanyId company, ToolRow tool, String argumentsJson) {
    ToolTestCalls.Outcome outcome = calls.run(company, tool, argumentsJson);
    return new Outcome(outcome.status(), outcome.httpStatus(), outcome.body(), outcome.failure(), outcome.durationMs());
  }
}
