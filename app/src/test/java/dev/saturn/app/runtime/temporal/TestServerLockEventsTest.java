package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestServerLockEventsTest {

  @Test
  void theTimersLockEventsStaySmallWhileItsLocksAndHandlesKeepWorking() throws Exception {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    try {
      assertThat(TestServerLockEvents.install(services)).isTrue();
      Object timer = field(services, "selfAdvancingTimer");
      assertThat(field(timer, "lockEvents")).isInstanceOf(TestServerLockEvents.WeakEventList.class);
      Method lock = method(timer, "lockTimeSkipping");
      Method unlock = method(timer, "unlockTimeSkipping");

      // A lock taken through a handle, released only at the end (as a timer task's is when it ran).
      Object held = lock.invoke(timer, "held");
      int before = events(timer).size();
      // What the server does per workflow task and activity: lock, then unlock by count.
      for (int i = 0; i < 20_000; i++) {
        lock.invoke(timer, "turn " + i);
        unlock.invoke(timer, "turn " + i);
      }
      // Without the swap the list holds 40,000 more entries here, and releasing `held` scans them.
      awaitCollected(timer, before + 100);
      assertThat(events(timer)).anyMatch(event -> caller(event).equals("held"));

      Method release = held.getClass().getMethod("unlock");
      release.setAccessible(true);
      assertThatCode(() -> release.invoke(held)).doesNotThrowAnyException();
      assertThat(events(timer)).noneMatch(event -> caller(event).equals("held"));
      // Releasing it twice is still the timer's error, as before.
      assertThatCode(() -> release.invoke(held)).hasRootCauseInstanceOf(IllegalStateException.class);
    } finally {
      services.close();
    }
  }

  @Test
  void theListFindsByIdentityAndIteratesInInsertionOrder() {
    TestServerLockEvents.WeakEventList list = new TestServerLockEvents.WeakEventList(List.of());
    List<Object> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(new Object());
      list.add(events.get(i));
    }
    assertThat(list.remove(events.get(2))).isTrue();
    assertThat(list.remove(events.get(2))).isFalse();
    assertThat(list.remove(new Object())).isFalse();
    // The timer iterates it (its diagnostics); nothing else reads it.
    List<Object> iterated = new ArrayList<>();
    list.iterator().forEachRemaining(iterated::add);
    assertThat(iterated).containsExactly(events.get(0), events.get(1), events.get(3), events.get(4));
    assertThat(list.toArray()).containsExactly(iterated.toArray());
    assertThat(list).hasSize(4);
  }

  private static void awaitCollected(Object timer, int atMost) throws Exception {
    for (int attempt = 0; attempt < 50 && events(timer).size() > atMost; attempt++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(events(timer).size()).isLessThanOrEqualTo(atMost);
  }

  private static List<?> events(Object timer) throws Exception {
    return new ArrayList<>((List<?>) field(timer, "lockEvents"));
  }

  private static String caller(Object event) {
    try {
      return String.valueOf(field(event, "caller"));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static Method method(Object owner, String name) throws NoSuchMethodException {
    Method method = owner.getClass().getDeclaredMethod(name, String.class);
    method.setAccessible(true);
    return method;
  }
}
