package dev.saturn.app.bench;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs activity code outside Temporal, for the "direct" mode.
 *
 * <p>{@code LlmActivitiesImpl.generate} calls {@code Activity.getExecutionContext()} (to heartbeat
 * while a slow model answers), which throws unless a context is bound to the thread. Temporal
 * binds it through its package-private {@code CurrentActivityExecutionContext}; this shim does the
 * same by reflection with a stand-in context whose {@code heartbeat} does nothing. The instant
 * model answers before the first heartbeat would be due, so heartbeat is never actually called;
 * every other method of the stand-in throws, so a future change that makes activity code depend
 * on more of the context fails loudly instead of being measured wrongly.
 *
 * <p>Why not {@code TestActivityEnvironment}: it runs every activity on one single-threaded
 * executor (so it would serialize concurrent turns) and round-trips inputs and results through
 * the data converter; that is Temporal overhead, not the direct baseline.
 *
 * <p>This relies on an SDK internal (checked with temporal-sdk 1.38); the clean replacement is a
 * small seam in {@code LlmActivitiesImpl}, described in docs/benchmarks.md.
 */
final class ActivityContextShim {

  private static final String HOLDER = "io.temporal.internal.activity.CurrentActivityExecutionContext";
  private static final Method SET;
  private static final Method UNSET;
  /**
   * A context whose {@code heartbeat} does nothing, with no heartbeat details, and whose info is
   * the first attempt of activity {@code generate} in workflow {@code workflowId} (what the provider
   * attempt record and the answer stream read).
   */
  private static ActivityExecutionContext standIn(String workflowId) {
    ActivityInfo info = (ActivityInfo) Proxy.newProxyInstance(
        ActivityContextShim.class.getClassLoader(),
        new Class<?>[] {ActivityInfo.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getAttempt" -> 1;
          case "getWorkflowId" -> workflowId;
          case "getActivityId" -> "generate";
          case "getActivityType" -> "Generate";
          case "isLocal" -> false;
          case "toString" -> "benchmark stand-in ActivityInfo";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(
              "ActivityInfo." + method.getName() + " is not available in the benchmark's direct mode");
        });
    return (ActivityExecutionContext) Proxy.newProxyInstance(
        ActivityContextShim.class.getClassLoader(),
        new Class<?>[] {ActivityExecutionContext.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "heartbeat" -> null;
          case "getInfo" -> info;
          case "getHeartbeatDetails" -> Optional.empty();
          case "toString" -> "benchmark stand-in ActivityExecutionContext";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(
              "ActivityExecutionContext." + method.getName() + " is not available in the benchmark's direct mode");
        });
  }

  static {
    try {
      Class<?> holder = Class.forName(HOLDER);
      SET = holder.getDeclaredMethod("set", ActivityExecutionContext.class);
      UNSET = holder.getDeclaredMethod("unset");
      SET.setAccessible(true);
      UNSET.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "The direct mode binds a stand-in activity context through " + HOLDER
              + ", which this Temporal SDK version does not have; see docs/benchmarks.md (main-code seam)", e);
    }
  }

  private ActivityContextShim() {}

  /** Runs {@code body} on this thread as if inside the first attempt of an activity of {@code workflowId}. */
  static <T> T inActivity(String workflowId, Supplier<T> body) {
    invoke(SET, standIn(workflowId));
    try {
      return body.get();
    } finally {
      invoke(UNSET);
    }
  }

  private static void invoke(Method method, Object... args) {
    try {
      method.invoke(null, args);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }
}
