/*
 * report_json: the JSON report (schema_version 1; its keys are a contract
 * with scripts and graders, listed in the README).
 */
#include "report.h"

#include "fidelity.h"
#include "json.h"
#include "util.h"
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

static void
json_task(struct json *j, const struct report_info *info, const struct run_result *r,
    int slot)
{
	const struct trace_task *t = trace_task(info->tr, slot);
	int cpus[CPUS_MAX], nc = trace_task_cpus(info->tr, slot, cpus, CPUS_MAX);
	struct trace_task_figures tf;
	uint64_t s, e, t0, run;
	bool known;

	trace_task_figures(info->tr, slot, &tf);
	known = trace_task_run_ns(&tf, &run);
	/* on the folded clock, as wall_s and the state times: pauses left out */
	s = tf.start_ns ? trace_fold(info->tr, tf.start_ns) : 0;
	e = tf.end_ns ? trace_fold(info->tr, tf.end_ns) : 0;
	t0 = trace_fold(info->tr, r->t_start);
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, t->name);
	json_key(j, "pid");
	json_int(j, tf.pid);
	json_key(j, "start_s");
	json_number(j, s > t0 ? (double)(s - t0) / 1e9 : 0, 4);
	json_key(j, "end_s");
	json_number(j, e > t0 ? (double)(e - t0) / 1e9 : 0, 4);
	json_key(j, "run_s");	/* null: not measured (a task whose process died) */
	if (known)
		json_number(j, (double)run / 1e9, 4);
	else
		json_null(j);
	json_key(j, "ready_s");	/* null: schedstat was not readable */
	if (tf.sched_known)
		json_number(j, (double)trace_task_ready_ns(info->tr, slot) / 1e9, 4);
	else
		json_null(j);
	json_key(j, "lock_s");
	json_number(j, (double)tf.total_ns[TRACE_LOCK] / 1e9, 4);
	json_key(j, "lock_max_s");
	json_number(j, (double)tf.max_ns[TRACE_LOCK] / 1e9, 6);
	json_key(j, "io_s");
	json_number(j, (double)tf.total_ns[TRACE_IO] / 1e9, 4);
	json_key(j, "cpu_s");
	if (known)
		json_number(j, (double)tf.cpu_ns / 1e9, 4);
	else
		json_null(j);
	json_key(j, "state");
	json_string(j, trace_state_name(tf.state));
	if (tf.state == TRACE_FAILED) {
		json_key(j, "signal");
		json_int(j, tf.signal);
	}
	json_key(j, "events_dropped");
	json_int(j, (long long)trace_task_dropped(info->tr, slot));
	json_key(j, "events_folded");	/* kept as each state's time in coarse buckets */
	json_int(j, (long long)trace_task_folded_count(info->tr, slot));
	json_key(j, "cpus");
	json_array_begin(j);
	for (int c = 0; c < nc; c++)
		json_int(j, cpus[c]);
	json_array_end(j);
	json_object_end(j);
}

static void
json_figure(struct json *j, const struct run_result *r, double v, int decimals)
{
	if (r->skipped)
		json_null(j);
	else
		json_number(j, v, decimals);
}

/* "cores_busy" and "cores_own_busy": each lab CPU's busy share over the
 * run (as "cpus" lists them), all programs' and the lab's own; null when
 * not sampled, an entry null when not known. */
static void
json_core_shares(struct json *j, const struct report_info *info, int i)
{
	const struct report_core_share *sh = info->shares != NULL ? &info->shares[i] : NULL;

	for (int own = 0; own < 2; own++) {
		json_key(j, own ? "cores_own_busy" : "cores_busy");
		if (sh == NULL || !sh->known) {
			json_null(j);
			continue;
		}
		json_array_begin(j);
		for (int k = 0; k < info->ncpus; k++) {
			float v = own ? sh->own[k] : sh->busy[k];

			if (v < 0)
				json_null(j);
			else
				json_number(j, v, 3);
		}
		json_array_end(j);
	}
}

static void
json_run(struct json *j, const struct report_info *info, int i)
{
	const struct lab_run *run = &info->lab->runs[i];
	const struct run_result *r = &info->results[i];
	char val[64];

	json_object_begin(j);
	json_key(j, "name");
	json_string(j, run->name);
	json_key(j, "executor");
	json_string(j, run->exec->name);
	json_key(j, "tasks");
	json_int(j, report_tasks(run, r));
	json_key(j, "params");
	json_object_begin(j);
	for (int p = 0; run->exec->params[p].name != NULL; p++) {
		json_key(j, run->exec->params[p].name);
		if (run->exec->params[p].type != PARAM_INT) {
			lab_param_format(run, p, val, sizeof val);
			json_string(j, val);
		} else {
			json_int(j, run->values[p]);
		}
	}
	json_object_end(j);
	/* a skipped run measured nothing: its figures are null */
	json_key(j, "wall_s");
	json_figure(j, r, r->wall_s, 4);
	json_key(j, "paused_s");	/* presenter pauses, left out of wall_s */
	json_figure(j, r, r->paused_s, 3);
	json_key(j, "cpu_s");
	json_figure(j, r, r->cpu_s, 4);
	json_key(j, "avg_cores_busy");
	json_figure(j, r, r->avg_cores_busy, 3);
	json_core_shares(j, info, i);
	json_key(j, "stopped");
	json_bool(j, r->stopped);
	json_key(j, "skipped");
	json_bool(j, r->skipped);
	json_key(j, "skipped_reason");
	if (r->skipped)
		json_string(j, r->skipped_reason);
	else
		json_null(j);
	if (r->failed) {
		json_key(j, "error");
		json_string(j, r->error);
	}
	json_key(j, "tasks_detail");
	json_array_begin(j);
	for (int k = 0; k < r->nslots; k++) {
		const struct trace_task *t = trace_task(info->tr, r->first_slot + k);

		if (t != NULL && t->kind == TRACE_KIND_TASK)
			json_task(j, info, r, r->first_slot + k);
	}
	json_array_end(j);
	json_key(j, "metrics");
	json_object_begin(j);
	for (int m = 0; m < r->nmetrics; m++) {
		const struct metric *mt = &r->metrics[m];

		json_key(j, mt->key);
		if (mt->kind == METRIC_NUMBER) {
			json_number(j, mt->value, mt->decimals + 2);
		} else if (mt->kind == METRIC_ARRAY) {
			json_array_begin(j);
			for (int k = 0; k < mt->nvalues; k++)
				json_number(j, mt->values[k], mt->decimals);
			json_array_end(j);
		} else {
			json_raw(j, mt->json);
		}
	}
	json_object_end(j);
	json_object_end(j);
}

/* "machine", "cores", "cpus" and "calibration". */
static void
json_machine(struct json *j, const struct report_info *info)
{
	json_key(j, "machine");
	json_object_begin(j);
	json_key(j, "kernel");
	json_string(j, info->kernel);
	json_key(j, "cpu_model");
	json_string(j, info->cpu_model);
	json_key(j, "online_cores");
	json_int(j, info->online_cores);
	json_object_end(j);
	json_key(j, "cores");
	json_int(j, info->ncpus);
	json_key(j, "cpus");
	json_array_begin(j);
	for (int i = 0; i < info->ncpus; i++)
		json_int(j, info->cpus[i]);
	json_array_end(j);
	json_key(j, "calibration");
	json_object_begin(j);
	json_key(j, "fib_ns_per_call");
	json_number(j, info->cal.fib_ns_per_call, 3);
	json_key(j, "interp_ns");
	json_number(j, report_interp_ns(info), 0);
	json_key(j, "calibration_s");
	json_number(j, (double)info->cal.calib_ns / 1e9, 3);
	json_object_end(j);
}

/* "noise": steal and other load (null when /proc/stat was not readable). */
static void
json_noise(struct json *j, const struct report_info *info)
{
	double steal, other;
	const char *warning = report_noise(info, &steal, &other);

	json_key(j, "noise");
	json_object_begin(j);
	json_key(j, "steal_pct");
	if (report_noise_known(info))
		json_number(j, steal, 1);
	else
		json_null(j);
	json_key(j, "other_load_pct");
	if (report_noise_known(info))
		json_number(j, other, 1);
	else
		json_null(j);
	json_key(j, "warning");
	json_string(j, warning);
	json_object_end(j);
}

/* "prediction", when the student made one. */
static void
json_prediction(struct json *j, const struct report_info *info)
{
	const struct lab *lab = info->lab;
	char c[16], a[16], why[256];

	if (info->predict <= 0)
		return;
	snprintf(c, sizeof c, "%d", info->predict);
	snprintf(a, sizeof a, "%d", lab->answer);
	json_key(j, "prediction");
	json_object_begin(j);
	json_key(j, "choice");
	json_string(j, c);
	json_key(j, "answer");
	json_string(j, a);
	json_key(j, "correct");	/* null: asked of other settings */
	if (verdict_prediction_judged(info, why, sizeof why)) {
		json_bool(j, info->predict == lab->answer);
	} else {
		json_null(j);
		json_key(j, "not_judged");
		json_string(j, why);
	}
	json_object_end(j);
}

void
report_json(FILE *f, const struct report_info *info)
{
	const struct lab *lab = info->lab;
	struct json j;
	struct verdict v;

	verdict_judge(info, &v);
	json_init(&j, f, true);
	json_object_begin(&j);
	json_key(&j, "schema_version");
	json_int(&j, REPORT_SCHEMA_VERSION);
	json_key(&j, "conclab");
	json_string(&j, CONCLAB_VERSION);
	json_key(&j, "lab");
	json_string(&j, lab->id);
	json_key(&j, "title");
	json_string(&j, lab->title);
	json_machine(&j, info);
	json_noise(&j, info);
	json_prediction(&j, info);
	verdict_json(&j, info, &v);
	fidelity_json(&j, info);
	json_key(&j, "stopped");
	json_bool(&j, info->stopped);
	json_key(&j, "runs");
	json_array_begin(&j);
	for (int i = 0; i < lab->nruns; i++)
		if (info->results[i].finished)
			json_run(&j, info, i);
	json_array_end(&j);
	if (lab->explain != NULL) {
		char *text = report_explain(info, lab->explain);

		json_key(&j, "explanation");
		json_string(&j, text);
		free(text);
	}
	json_object_end(&j);
}
