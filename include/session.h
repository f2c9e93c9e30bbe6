/*
 * session: one lab on this machine, shared by the headless run and the
 * dashboard -- the environment (CPUs the lab may use, calibration, the
 * trace), the lab (found by id or path, --set and --only applied, checked),
 * the runner thread's lifecycle (start, stop, pause, step one GIL switch),
 * the samplers of cores and tasks, the report's inputs and the saved
 * progress.  Every check of a lab (rows the trace can hold, --predict in
 * range) is made here, so both paths refuse the same things.
 *
 * One thread controls a session: it starts and stops runs, samples and reads
 * the results.  The runner thread only reads the lab, which is never changed
 * while a run is in progress.  The trace is the one thing shared with the
 * workers (and with forked children).
 *
 * A session whose tasks come from elsewhere (a traced process) uses
 * session_init, session_sample, session_report_info and session_destroy,
 * writing its tasks into s->env.tr itself; it needs no lab file.
 */
#ifndef CONCLAB_SESSION_H
#define CONCLAB_SESSION_H

#include "config.h"
#include "cpus.h"
#include "exec.h"
#include "export.h"
#include "lab.h"
#include "ownshare.h"
#include "report.h"
#include "sample.h"

#include <stdbool.h>
#include <stdint.h>

/* The strings and arrays given stay the caller's and must outlive the session. */
struct session_opts {
	const char *const *sets;	/* --set assignments, applied to every lab */
	int nsets;
	const char *only;		/* --only RUN, or NULL */
	bool only_if_present;		/* the menu: --only only for labs having RUN */
	const char *cpus;		/* --cpus LIST, or NULL */
	double slow;			/* --slow factor (>= 1) */
	/* where slow came from when not a flag ("slow = 4 in PATH"), or NULL */
	const char *slow_from;
};

struct session {
	struct session_opts o;
	struct exec_env env;		/* trace, calibration, CPUs, slow */
	bool calibrated;
	int cpu_ids[CPUS_MAX];		/* the CPUs of env.cpus, in order */
	int ncpu;
	cpu_set_t all_cpus;		/* the process's CPUs before --cpus: what
					 * session_set_cpus may choose from */
	char path[512];			/* the lab's file, "" for a lab given in memory */
	struct lab lab;			/* valid when have_lab */
	bool have_lab;
	struct exec_runner *runner;	/* results stay until the next start */
	struct run_result *finished;	/* LAB_MAX_RUNS: the finished runs' results
					 * while others still run (report inputs) */
	struct task_sampler *tasks;
	struct core_sampler *cores;
	struct ownshare *own;		/* the lab's own share of each core */
	struct core_series *series;	/* core use of the last run, for exports */
	struct report_core_share *shares;	/* LAB_MAX_RUNS: each finished run's
						 * core shares, for reports */
	bool running;			/* a run started and not yet joined */
	bool paused;
	uint64_t pause_t0;		/* when the pause began */
	uint64_t t_end;			/* when the last run was joined (0 none) */
	int run_only;			/* the run in progress: -1 the whole lab */
};

/* Set up the environment: --cpus (pinning the process), the trace, the core
 * sampler and the exit hook.  -1 with a message (then call session_destroy). */
int session_init(struct session *s, const struct session_opts *o, char *err,
    size_t errlen);
/* Run the next runs on the CPUs of set (the dashboard's settings: --cpus
 * after the start): the process is pinned to them, and env.cpus, cpu_ids
 * and ncpu follow.  -1 with a message while a run is in progress, or when
 * set is empty or not within all_cpus. */
int session_set_cpus(struct session *s, const cpu_set_t *set, char *err, size_t errlen);
/* Stop a run in progress and free everything; a zeroed session is fine. */
void session_destroy(struct session *s);

/* The file of a lab given by id or path (caller frees), or NULL; with the
 * lab ids found into ids (may be NULL) for the message. */
char *session_lab_path(const char *name, char *ids, size_t idlen);
/* Load the lab file at path into the session and apply --set and --only;
 * -1 with "file:line: message" or the option's error (a file that does not
 * load leaves the lab as it was); the last run is forgotten. */
int session_open(struct session *s, const char *path, char *err, size_t errlen);
/* Take a lab built in memory (the session frees it). */
void session_adopt(struct session *s, struct lab *lab);
/* Forget the last run: results and trace (not while a run is in progress). */
void session_forget(struct session *s);
/* The checks every path makes before running: task rows within the trace,
 * predict (0 = none) one of the lab's choices.  -1 with a message. */
int session_check(const struct session *s, int predict, char *err, size_t errlen);

/* Calibrate fib on this machine (once). */
void session_calibrate(struct session *s);
/* Start the lab's runs (only = -1: every selected run) in the runner
 * thread; a new core series begins.  -1 with a message. */
int session_start(struct session *s, int only, char *err, size_t errlen);
/* Has the runner finished every run (or been stopped)? */
bool session_done(struct session *s);
/* Wait for the runner thread after session_done; results stay readable. */
void session_join(struct session *s);
/* Ask the runs to stop and wait for them (forks are served meanwhile). */
void session_stop(struct session *s);
/* Presenter pause: workers park at their next tick, worker processes get
 * SIGSTOP, and the pause is left out of every measured time. */
void session_pause(struct session *s, bool on);
/* While paused: let the workload go until the GIL lane shows its next
 * holder (another thread than the latest), then pause again.  1 stepped,
 * 0 no switch within 5 s, -1 no GIL. */
int session_step_gil(struct session *s);
/* The slot of the task that took the GIL of the run in progress last (a
 * take while paused included); free now, the last one to hold it; -1 when
 * none has held it or the run has no GIL. */
int session_gil_holder(const struct session *s);
/* The run in progress (index), or -1. */
int session_running_run(struct session *s);
/* Has run i finished (its result is final)? */
bool session_run_finished(struct session *s, int i);
/* Did every run asked for finish without failure, and nobody stop them? */
bool session_completed(struct session *s);

/* Sample the cores -- all programs' busy share and the lab's own, adding
 * both to the run's series -- and, while a run is in progress, up to
 * budget tasks' schedstat. */
void session_sample(struct session *s, int budget);

/* Fill the report's inputs: lab, results, trace, machine, calibration,
 * and each finished run's core shares from the series.
 * While a run is in progress the results are a copy of the finished runs'
 * only (the others read as not run), so a report, a headline or a verdict
 * made meanwhile never reads a result the runner is writing; the copy is
 * valid until the next call or the next start. */
void session_report_info(const struct session *s, struct report_info *info,
    int predict, bool stopped);
/* Record the lab as done (and the prediction) in p; 0 or -1 with a message
 * when save is asked and the file cannot be written. */
int session_record_progress(const struct session *s, struct progress *p, int predict,
    bool save, char *err, size_t errlen);

/* The one exit hook: on die() the trace given (NULL: none) is told to stop,
 * so no worker outlives the process's last words.  The server CLI calls it
 * with its own trace. */
void session_stop_at_exit(struct trace *tr);

#endif
