package dev.saturn.app.runtime.temporal;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the Java test server's time-skipping timer from slowing down with every workflow task it
 * has ever served.
 *
 * <p>Its {@code SelfAdvancingTimerImpl} records every lock and unlock of time skipping in a {@code
 * LinkedList} it keeps "for debugging purposes only" (its diagnostics). Unlock events and the lock
 * events of the server's own bookkeeping ({@code updateLocks}) are never taken out again, so the
 * list grows by a few entries per workflow task, activity and timer, for the life of the process;
 * and each lock taken through a handle (every timer task the timer runs, e.g. each activity or
 * workflow-task timeout it pops) is released with {@code LinkedList.remove(event)}, a scan of that
 * whole list from its oldest entry, under the lock every server call takes. After a few thousand
 * chat turns the scans were a quarter of the JVM's CPU in the chat benchmark's {@code
 * workflow/embedded} mode, and the list holds memory that is never freed (Java SDK 1.38).
 *
 * <p>This swaps the list for one that holds its entries weakly and finds them by identity: an event
 * a handle still refers to (a lock not yet released) stays and is removed in constant time; every
 * other entry was never going to be looked up again and is collected with the garbage. The timer's
 * behaviour does not change: its lock count, which alone decides time skipping, is kept in a field
 * of its own; only its diagnostics lose the events that are over.
 *
 * <p>The field is private to the SDK's test server: if a later SDK version has none of that shape,
 * nothing is changed and the server runs as it comes.
 */
final class TestServerLockEvents {

  private static final Logger log = LoggerFactory.getLogger(TestServerLockEvents.class);

  private TestServerLockEvents() {}

  /** @return whether the timer's list was replaced */
  static boolean install(TestServicesStarter services) {
    try {
      Object timer = read(services, "selfAdvancingTimer");
      Field eventsField = timer.getClass().getDeclaredField("lockEvents");
      if (eventsField.getType() != LinkedList.class) {
        throw new NoSuchFieldException("lockEvents is a " + eventsField.getType().getName());
      }
      Lock lock = (Lock) read(timer, "lock");
      eventsField.setAccessible(true);
      lock.lock();
      try {
        @SuppressWarnings("unchecked")
        LinkedList<Object> current = (LinkedList<Object>) eventsField.get(timer);
        eventsField.set(timer, new WeakEventList(current));
      } finally {
        lock.unlock();
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.info("embedded Temporal server: its timer's lock-event list was left as it is ({}); the server slows"
          + " down with every workflow task it serves", e.toString());
      return false;
    }
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    Object value = field.get(owner);
    if (value == null) {
      throw new NoSuchFieldException(name + " is null");
    }
    return value;
  }

  /**
   * A {@link LinkedList} in type only (the timer's field is declared as one): the timer adds,
   * removes by identity and iterates, always under its own lock, and these are the methods it calls.
   * Entries are held weakly, in insertion order.
   */
  static final class WeakEventList extends LinkedList<Object> {

    private final Map<Object, Long> entries = new WeakHashMap<>();
    private long next;

    WeakEventList(Collection<?> initial) {
      initial.forEach(this::add);
    }

    @Override
    public boolean add(Object event) {
      entries.put(event, next++);
      return true;
    }

    @Override
    public boolean remove(Object event) {
      return entries.remove(event) != null;
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public boolean isEmpty() {
      return entries.isEmpty();
    }

    @Override
    public void clear() {
      entries.clear();
    }

    @Override
    public Iterator<Object> iterator() {
      return snapshot().iterator();
    }

    @Override
    public ListIterator<Object> listIterator(int index) {
      return snapshot().listIterator(index);
    }

    @Override
    public Object[] toArray() {
      return snapshot().toArray();
    }

    @Override
    public <T> T[] toArray(T[] array) {
      return snapshot().toArray(array);
    }

    private List<Object> snapshot() {
      List<Map.Entry<Object, Long>> live = new ArrayList<>(entries.entrySet());
      live.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
      List<Object> events = new ArrayList<>(live.size());
      live.forEach(entry -> events.add(entry.getKey()));
      return events;
    }
  }
}
