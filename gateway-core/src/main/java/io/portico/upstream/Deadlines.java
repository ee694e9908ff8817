package io.portico.upstream;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Coarse deadlines for one event loop: a timing wheel of 10 ms slots, each a doubly linked list of
 * the deadlines due in it, so arming and cancelling are O(1) and allocate nothing (the deadline is
 * the list node). A deadline fires up to one tick late. Used for the answer-head timeout of every
 * upstream try, where a scheduler task per request would cost a priority-queue insert and removal.
 * Confined to its event loop; the ticker runs only while deadlines are armed.
 */
public final class Deadlines {
  private static final int SLOTS = 512;
  private static final int MASK = SLOTS - 1;
  private static final long TICK_MILLIS = 10;

  /** Something with a deadline; extend it and put it in {@link #arm}. */
  public abstract static class Deadline {
    private long dueTick;
    private Deadline previous;
    private Deadline next;
    private boolean armed;

    /** Called on the event loop when the deadline passed without being cancelled. */
    protected abstract void expired();
  }

  private final EventLoop loop;
  private final Deadline[] slots = new Deadline[SLOTS];
  private long lastTick;
  private int armed;
  private ScheduledFuture<?> ticker;

  public Deadlines(EventLoop loop) {
    this.loop = loop;
  }

  /** Arms {@code deadline} to expire in {@code delayMillis} (at least one tick). */
  public void arm(Deadline deadline, long delayMillis) {
    long now = currentTick();
    if (ticker == null) {
      lastTick = now;
      ticker = loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }
    deadline.dueTick = now + Math.max(1, (delayMillis + TICK_MILLIS - 1) / TICK_MILLIS);
    int slot = (int) (deadline.dueTick & MASK);
    deadline.previous = null;
    deadline.next = slots[slot];
    if (deadline.next != null) {
      deadline.next.previous = deadline;
    }
    slots[slot] = deadline;
    deadline.armed = true;
    armed++;
  }

  /** Disarms {@code deadline}; nothing happens when it is not armed. */
  public void cancel(Deadline deadline) {
    if (!deadline.armed) {
      return;
    }
    deadline.armed = false;
    armed--;
    if (deadline.previous != null) {
      deadline.previous.next = deadline.next;
    } else {
      slots[(int) (deadline.dueTick & MASK)] = deadline.next;
    }
    if (deadline.next != null) {
      deadline.next.previous = deadline.previous;
    }
    deadline.previous = null;
    deadline.next = null;
  }

  /** Deadlines armed and not yet expired or cancelled. */
  public int armed() {
    return armed;
  }

  private void tick() {
    long now = currentTick();
    long from = Math.max(lastTick + 1, now - MASK); // after a long stall one turn visits every slot
    Deadline due = null;
    for (long tick = from; tick <= now; tick++) {
      Deadline deadline = slots[(int) (tick & MASK)];
      while (deadline != null) {
        Deadline next = deadline.next;
        if (deadline.dueTick <= now) {
          cancel(deadline);
          deadline.next = due; // collected first, fired after: firing may arm or cancel others
          due = deadline;
        }
        deadline = next;
      }
    }
    lastTick = now;
    while (due != null) {
      Deadline next = due.next;
      due.next = null;
      due.expired();
      due = next;
    }
    if (armed == 0 && ticker != null) {
      ticker.cancel(false);
      ticker = null;
    }
  }

  private static long currentTick() {
    return System.nanoTime() / 1_000_000 / TICK_MILLIS;
  }
}
