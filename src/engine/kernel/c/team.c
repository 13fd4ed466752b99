/* Threads: the products of a step split into parts that the calling thread and helper threads (Node
 * workers running kn_helper on the same shared memory) claim one by one. Claiming, rather than a fixed
 * share per thread, keeps the step correct and prompt whatever the helpers do: one that has not started
 * yet, or that the OS descheduled, simply claims nothing and the caller runs the rest itself. Each part
 * computes its elements exactly as one thread would (same operations, same order), so the result is
 * bit for bit the same for any number of threads.
 *
 * Built without MLP_THREADS (the one-thread modules), parallel() runs every part in the caller. */
#include "net.h"

#define MAX_HELPERS 7
#define HELPER_STACK (64 * 1024)
/* Checks of the generation before a helper sleeps: about 20–50 µs, longer than the serial gaps inside a
 * step (softmax, transposes, biases), far shorter than what an idle helper would burn between runs. */
#define SPIN 4096

typedef struct {
  int gen;        /* bumped when a task is published (helpers sleep on it) */
  int claim;      /* (gen & 0x1ffffff) << 6 | the next unclaimed part (at most 4 × 8 parts) */
  int done;       /* parts finished (the caller sleeps on it) */
  int quit;
  int helpers;    /* helpers the caller may count on (0: one thread) */
  int helperParts; /* parts the helpers ran since kn_threads (tests read it) */
  int helperFills; /* next batches the helpers filled since kn_threads (tests read it) */
  int leaveFirst; /* tests: the caller leaves each task's first part to a helper */
  int startGen;   /* gen at kn_threads: a helper that starts late still sees the tasks since */
  Task task[2];   /* by gen & 1: a late helper reads a task that is not being rewritten */
  int fill;       /* the next batch's fill: FILL_IDLE, _POSTED, _TAKEN (a helper runs it), _DONE */
  int fillLists, fillStart, fillCount;
} Team;

enum { FILL_IDLE, FILL_POSTED, FILL_TAKEN, FILL_DONE };

static Team team;

#ifdef MLP_THREADS
static unsigned char stacks[MAX_HELPERS][HELPER_STACK] __attribute__((aligned(16)));

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define FETCH_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)

static int tag(int gen) { return (int)(((unsigned)gen & 0x1ffffffu) << 6); }

/* Claims and runs parts of the task published as gen until none is left; returns how many it ran. */
static int claim_parts(int gen) {
  const Task *task = &team.task[gen & 1];
  const Task copy = *task;
  int ran = 0;
  for (;;) {
    int c = LOAD(&team.claim);
    /* Another task already: the copy may be torn, and is not ours to run. */
    if ((c & ~0x3f) != tag(gen)) break;
    const int part = c & 0x3f;
    if (part >= copy.parts) break;
    if (!__atomic_compare_exchange_n(&team.claim, &c, c + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) continue;
    run_part(&copy, part);
    ran++;
    FETCH_ADD(&team.done, 1);
    __builtin_wasm_memory_atomic_notify(&team.done, 1);
  }
  return ran;
}

/* Runs the posted fill if no one has taken it yet; 1 when this thread ran it. */
static int run_fill(void) {
  int posted = FILL_POSTED;
  if (!__atomic_compare_exchange_n(&team.fill, &posted, FILL_TAKEN, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return 0;
  fill_sparse(&net.lists[team.fillLists], team.fillStart, team.fillCount);
  FETCH_ADD(&team.helperFills, 1);
  STORE(&team.fill, FILL_DONE);
  __builtin_wasm_memory_atomic_notify(&team.fill, 1);
  return 1;
}

/* A helper's life: wait for a task or a fill, claim its parts or run it, until kn_quit. JS starts it
 * with its stack pointer at kn_helper_stack(id). */
void kn_helper(int id) {
  (void)id;
  int seen = LOAD(&team.startGen);
  for (;;) {
    int gen = LOAD(&team.gen);
    for (int spin = 0; gen == seen && spin < SPIN && !LOAD(&team.quit) && LOAD(&team.fill) != FILL_POSTED; spin++) gen = LOAD(&team.gen);
    if (LOAD(&team.quit)) return;
    if (run_fill()) continue;
    if (gen == seen) {
      __builtin_wasm_memory_atomic_wait32(&team.gen, seen, -1);
      continue;
    }
    seen = gen;
    const int ran = claim_parts(gen);
    if (ran) FETCH_ADD(&team.helperParts, ran);
  }
}

/* The top of helper id's stack (stacks grow down). */
unsigned long kn_helper_stack(int id) {
  if (id < 0 || id >= MAX_HELPERS) return 0;
  return (unsigned long)(stacks[id] + HELPER_STACK);
}

/* Ends every helper's kn_helper: they return to JS, which ends their workers. */
void kn_quit(void) {
  STORE(&team.quit, 1);
  FETCH_ADD(&team.gen, 1);
  __builtin_wasm_memory_atomic_notify(&team.gen, MAX_HELPERS);
}

void prefetch_post(int which, int start, int count) {
  team.fillLists = which;
  team.fillStart = start;
  team.fillCount = count;
  STORE(&team.fill, FILL_POSTED);
  /* Wakes a helper asleep on gen (it checks for a fill before it sleeps again). */
  __builtin_wasm_memory_atomic_notify(&team.gen, 1);
}

/* Waits for a fill a helper has taken; drops one no helper took (then returns 0). Idle afterwards. */
static int settle(void) {
  int posted = FILL_POSTED;
  if (__atomic_compare_exchange_n(&team.fill, &posted, FILL_IDLE, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return 0;
  if (LOAD(&team.fill) == FILL_IDLE) return 0;
  /* A fill takes well under a millisecond; past 5 s of 1 ms waits its helper is gone (a worker ended
   * mid-fill), and nothing will finish it. */
  for (int spin = 0, waits = 0; LOAD(&team.fill) == FILL_TAKEN && waits < 5000; spin++)
    if (spin > SPIN) waits += __builtin_wasm_memory_atomic_wait32(&team.fill, FILL_TAKEN, 1000000) != 1 ? 1 : 0;
  const int done = LOAD(&team.fill) == FILL_DONE;
  STORE(&team.fill, FILL_IDLE);
  return done;
}

void prefetch_settle(void) { (void)settle(); }

int prefetch_take(int start, int count) {
  const int lists = team.fillLists, match = team.fillStart == start && team.fillCount == count;
  if (!settle() || !match) return 0;
  use_lists(lists);
  return 1;
}

int team_helpers(void) { return team.helpers; }
#else
void prefetch_post(int which, int start, int count) {
  (void)which;
  (void)start;
  (void)count;
}
void prefetch_settle(void) {}
int prefetch_take(int start, int count) {
  (void)start;
  (void)count;
  return 0;
}
int team_helpers(void) { return 0; }
#endif

/* How many helpers the next steps may use (0..7); resets the helpers' part count and the quit flag.
 * leaveFirst (tests only): the caller waits for a helper to claim each task's first part, so a test can
 * prove that helpers compute; otherwise a descheduled helper may take no part at all. */
int kn_threads(int helpers, int leaveFirst) {
  /* Before the helpers change (or end): no fill may be left half done. */
  prefetch_settle();
  team.leaveFirst = leaveFirst != 0;
  team.helpers = helpers < 0 ? 0 : helpers > 7 ? 7 : helpers;
#ifndef MLP_THREADS
  team.helpers = 0;
#else
  STORE(&team.quit, 0);
#endif
  team.helperParts = 0;
  team.helperFills = 0;
  team.startGen = team.gen;
  return team.helpers;
}

int kn_helper_parts(void) { return team.helperParts; }

int kn_helper_fills(void) { return team.helperFills; }

/* Below this many multiply-adds a task runs in the caller alone: waking a helper costs more. */
#define MIN_PARALLEL_MACS 150000

/* Runs every part of task: split among the helpers when there are some and the work is worth it. */
void parallel(Task *task, long long macs) {
  const int threads = 1 + team.helpers;
  int parts = 1;
  if (threads > 1 && macs >= MIN_PARALLEL_MACS) parts = 4 * threads;
  const int unit = task->kind == TASK_WEIGHTS ? 1 : 4; /* rows in 4-row register blocks */
  int chunk = (task->total + parts - 1) / parts;
  chunk = (chunk + unit - 1) / unit * unit;
  if (chunk < unit) chunk = unit;
  task->chunk = chunk;
  task->parts = (task->total + chunk - 1) / chunk;
#ifdef MLP_THREADS
  if (task->parts > 1) {
    const int gen = team.gen + 1;
    team.task[gen & 1] = *task;
    STORE(&team.done, 0);
    STORE(&team.claim, tag(gen));
    STORE(&team.gen, gen);
    __builtin_wasm_memory_atomic_notify(&team.gen, team.helpers);
    if (team.leaveFirst)
      while ((LOAD(&team.claim) & 0x3f) == 0) __builtin_wasm_memory_atomic_wait32(&team.claim, tag(gen), 100000);
    claim_parts(gen);
    for (int spin = 0; LOAD(&team.done) < task->parts; spin++) {
      const int done = LOAD(&team.done);
      if (spin > SPIN && done < task->parts) __builtin_wasm_memory_atomic_wait32(&team.done, done, 1000000);
    }
    return;
  }
#endif
  for (int part = 0; part < task->parts; part++) run_part(task, part);
}
