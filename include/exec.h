/*
 * exec: the executors that run a lab's runs, and the runner thread that goes
 * through a lab.  An executor is a const table (struct exec_ops) with its
 * parameter table and a run function; adding one means adding a file and an
 * entry in exec.c's table.  Executors' tasks only write trace events and read
 * the trace's stop and pause flags.
 */
#ifndef CONCLAB_EXEC_H
#define CONCLAB_EXEC_H

#include "cpus.h"
#include "lab.h"
#include "result.h"
#include "trace.h"
#include "work.h"

#include <pthread.h>
#include <stdbool.h>

/* Parameters most executors share (designated initialisers for tables). */
#define EXEC_PARAM_TASKS(d)                                                    \
	{ .name = "tasks", .type = PARAM_INT, .def = (d), .min = 1,            \
	  .max = LAB_MAX_TASKS, .help = "number of tasks" }
#define EXEC_PARAM_WORK                                                        \
	{ .name = "work", .type = PARAM_ENUM, .def = 0, .choices = "fib|sleep",\
	  .help = "what each task does: compute fib, or sleep" }
#define EXEC_PARAM_DURATION                                                    \
	{ .name = "duration_ms", .type = PARAM_INT, .def = 1000, .min = 1,     \
	  .max = 600000, .help = "work per task in ms (CPU for fib, calibrated)" }
#define EXEC_PARAM_FIB_N                                                       \
	{ .name = "fib_n", .type = PARAM_INT, .def = 0, .min = 0, .max = 45,   \
	  .help = "one fib(n) per task instead of a duration (0 = use duration)" }
#define EXEC_PARAM_INTERP(d)                                                   \
	{ .name = "interp_ns", .type = PARAM_INT, .def = (d), .min = 0,        \
	  .max = 10000, .help = "interpreted cost charged per tick, ns" }
#define EXEC_PARAM_END { .name = NULL }

/* What every run of a lab shares. */
struct exec_env {
	struct trace *tr;
	struct work_calib cal;
	cpu_set_t cpus;		/* CPUs the lab may use */
	int ncpus;
	double slow;		/* multiplies simulated switch intervals (>= 1) */
};

/* One run in progress, handed to the executor. */
struct run_ctx {
	const struct exec_env *env;
	const struct lab_run *run;
	struct run_result *res;	/* the executor sets t_start/t_end and metrics */
	int run_index;
	uint64_t paused0_ns;	/* the trace's paused_ns when the run began */
};

struct exec_ops {
	struct lab_exec_info info;
	/* Run the whole run, blocking; 0, or -1 with res->error set. */
	int (*run)(struct run_ctx *rc);
};

/* The executor named name, or NULL. */
const struct exec_ops *exec_find(const char *name);
/* Lookup for the lab parser. */
const struct lab_exec_info *exec_info(const char *name);
/* Names of all executors, comma separated, into buf. */
void exec_names(char *buf, size_t len);

/* The workload of one task, planned from the run's parameters. */
struct exec_work {
	bool sleep;
	struct work_plan plan;
	double interp_ns;
};
/* Plan the run's per-task work (duration_ms, work, fib_n, interp_ns). */
void exec_plan(const struct run_ctx *rc, struct exec_work *ew);
/* The effective switch interval of a run with a switch_ms parameter, in
 * ms: switch_ms stretched by --slow (a factor below 1 counts as 1).  The
 * GIL executors and the dashboard all use this one formula. */
double exec_switch_ms(const struct lab_run *run, double slow);
/* The same for the run in progress, in ns. */
uint64_t exec_switch_ns(const struct run_ctx *rc);
struct gil;
/* Give an old GIL the run's wake_ns cost (when the run has 2 or more CPUs). */
void exec_gil_old_wake(struct run_ctx *rc, struct gil *g);
/* Add a task slot called name for the run; -1 and res->error when full. */
int exec_task_add_named(struct run_ctx *rc, const char *name);
/* Add a task slot "prefix-i" for the run; -1 and res->error when full. */
int exec_task_add(struct run_ctx *rc, const char *prefix, int i);
/* Do one task's work in the calling thread (slot already begun). */
void exec_do_work(struct work_ctx *w, const struct exec_work *ew);
/* Start n threads running fn(&args[i]) (args: an array of n elements of
 * argsize bytes); on a failure set res->error and the stop flag.  Returns how
 * many started; the caller joins them with exec_join_threads. */
int exec_start_threads(struct run_ctx *rc, pthread_t *th, int n, void *(*fn)(void *),
    void *args, size_t argsize);
/* Join the first n threads of th. */
void exec_join_threads(pthread_t *th, int n);
/* True when the lab is being stopped. */
bool exec_stopping(const struct run_ctx *rc);
/* Nanoseconds the presenter paused during this run (so far). */
uint64_t exec_paused_ns(const struct run_ctx *rc);
/* The run's wall time from t_start to t_end, less the pauses: what the
 * workload took, whatever the presenter did meanwhile. */
double exec_wall_s(const struct run_ctx *rc);
/* Set metric key to count per second of exec_wall_s (not when it is 0). */
void exec_set_rate(struct run_ctx *rc, const char *key, double count, int decimals);

/* Run one run: mark it, run the executor, fill the common results. */
int exec_run(const struct exec_env *env, const struct lab_run *run, int index,
    struct run_result *res);

/* EXEC_ROUNDS: measured once, more rounds to come (exec_rounds): its
 * result is the runner's until it turns FINISHED, after the merge. */
enum exec_run_state { EXEC_PENDING = 0, EXEC_RUNNING, EXEC_FINISHED, EXEC_ROUNDS };

/* A thread that runs a lab's selected runs in order. */
struct exec_runner {
	pthread_t thread;
	bool started;
	const struct exec_env *env;
	const struct lab *lab;
	int only;				/* run index, or -1 for all selected */
	struct run_result results[LAB_MAX_RUNS];	/* read one once FINISHED */
	_Atomic int state[LAB_MAX_RUNS];
	_Atomic int done;
	/* The extra rounds (exec_rounds): which one runs (2.., 0: none) and
	 * the trace they run in. */
	_Atomic int round;
	struct trace *scratch;
};

/* Start running lab (only = -1: every selected run). */
int exec_runner_start(struct exec_runner *r, const struct exec_env *env,
    const struct lab *lab, int only);
/* True once every run finished (or the lab was stopped). */
bool exec_runner_done(struct exec_runner *r);
/* Wait for the runner thread and free nothing (results stay). */
void exec_runner_join(struct exec_runner *r);
/* Free the results. */
void exec_runner_clear(struct exec_runner *r);

/* The lab's extra rounds (lab.h `rounds`), after every run ran once: the
 * runs its fidelity lines name, again, line by line (exec_rounds.c); each
 * stays EXEC_ROUNDS until its rounds are merged into its result, and turns
 * FINISHED then (or at once when the lab stops). */
void exec_rounds(struct exec_runner *r);
/* Will run i of the lab be measured in rounds? */
bool exec_rounds_for(const struct lab *lab, int i);
/* Unmap the extra rounds' trace. */
void exec_rounds_clear(struct exec_runner *r);
/* Fold nextra later rounds of a run into its first: each number metric the
 * median, "<metric>_rounds" for the fields refs names, "rounds_steal_pct",
 * the noise the worst round's. */
void exec_rounds_merge(struct run_result *first, const struct run_result *extra,
    int nextra, const struct lab_fidelity_ref *refs, int nrefs);

#endif
