/*
 * dash_settings: the settings screen (c on the lab screen) and the settings
 * themselves -- the task count and the work size the keys + - [ ] change,
 * here and on the lab screen.  They change the parsed lab between runs
 * (lab_set_every: every run that uses the parameter), never while one runs.
 * Esc, c and q close it (q quits only from the lab screen and the menu).
 */
#include "dash_screen.h"

#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TASKS_SETTING 64
#define MIN_WORK_MS 50
#define MAX_WORK_MS 600000
/* Left/Right and typed values change the lab, which a run reads: refused
 * while one goes, saying so (+ - [ ] wait for the next run instead). */
#define IGNORED_WHILE_RUNNING \
	"ignored: a run is in progress (change it once the run ends; Esc stops it)"

/* A setting's value after key k (+ - [ ]) from v. */
static int
stepped(int k, int v)
{
	switch (k) {
	case '+': case '=':
		return v + 1;
	case '-': case '_':
		return v - 1;
	case '[':
		return v / 2;
	default:
		return v * 2;
	}
}

/* The two settings the keys change: the lab's parameter, the words for
 * it, its range. */
struct setting {
	const char *key, *label, *what, *unit;
	int lo, hi;
};
static const struct setting tasks_setting = { "tasks", "tasks", "task count", "", 1,
	MAX_TASKS_SETTING };
static const struct setting work_setting = { "duration_ms", "work", "work size", " ms",
	MIN_WORK_MS, MAX_WORK_MS };

/* "every run", "run cpython only" or "runs a, b only": the runs that use
 * key, which + - [ ] set (walk 7 H2: the server lab's ] said "every run"
 * and changed only cpython's). */
static void
runs_set(const struct lab *lab, const char *key, char *buf, size_t len)
{
	char names[200];
	int n = lab_runs_using(lab, key, names, sizeof names);

	if (n == lab->nruns)
		util_strlcpy(buf, "every run", len);
	else
		snprintf(buf, len, "%s %s only", n == 1 ? "run" : "runs", names);
}

/* Key k on a setting (value: the lab's now; next: one the keys chose
 * during a run, 0 none).  During a run the lab is not changed: the new
 * value waits in next for the next run (dash_settings_apply_next), and the
 * status line shows it. */
static void
change_setting(struct dash *d, const struct setting *st, int *value, int *next, int k)
{
	char err[512], msg[300], where[220];
	int old = *value, nv;

	if (*value == 0) {
		snprintf(msg, sizeof msg, "this lab has no %s to change", st->what);
		dash_say(d, msg);
		return;
	}
	nv = stepped(k, *next > 0 ? *next : *value);
	nv = nv < st->lo ? st->lo : nv > st->hi ? st->hi : nv;
	if (d->s.running) {
		*next = nv == *value ? 0 : nv;
		snprintf(msg, sizeof msg, "%s %d%s from the next run (this one keeps %d%s)",
		    st->label, nv, st->unit, *value, st->unit);
		dash_say(d, msg);
		return;
	}
	*next = 0;
	*value = nv;
	if (lab_set_every(&d->s.lab, st->key, *value, err, sizeof err) < 0) {
		*value = old;
		dash_say(d, err);
		return;
	}
	runs_set(&d->s.lab, st->key, where, sizeof where);
	snprintf(msg, sizeof msg, "%s %d%s for %s (was %d%s)", st->label, nv, st->unit,
	    where, old, st->unit);
	dash_say(d, msg);
}

bool
dash_settings_key(struct dash *d, int k)
{
	struct dash_lab *l = &d->lab;

	switch (k) {
	case '+': case '=': case '-': case '_':
		change_setting(d, &tasks_setting, &l->tasks, &l->next_tasks, k);
		return true;
	case '[': case ']':
		change_setting(d, &work_setting, &l->work_ms, &l->next_work_ms, k);
		return true;
	default:
		return false;
	}
}

void
dash_settings_apply_next(struct dash *d)
{
	struct dash_lab *l = &d->lab;
	char err[512];

	if (l->next_tasks > 0 && lab_set_every(&d->s.lab, "tasks", l->next_tasks, err,
	    sizeof err) < 0)
		dash_say(d, err);
	else if (l->next_tasks > 0)
		l->tasks = l->next_tasks;
	if (l->next_work_ms > 0 && lab_set_every(&d->s.lab, "duration_ms", l->next_work_ms,
	    err, sizeof err) < 0)
		dash_say(d, err);
	else if (l->next_work_ms > 0)
		l->work_ms = l->next_work_ms;
	l->next_tasks = l->next_work_ms = 0;
}

static void
settings_draw(struct dash *d)
{
	char cpus[128] = "";
	struct view_settings v = {
		.lab = &d->s.lab, .tasks = d->lab.tasks, .work_ms = d->lab.work_ms,
		.next_tasks = d->lab.next_tasks, .next_work_ms = d->lab.next_work_ms,
		.scroll = d->lab.settings_scroll,
		.message = d->message[0] != '\0' ? d->message : NULL,
		.sel = d->lab.settings_sel, .slow = d->s.env.slow, .cpus = cpus,
		.entry = d->lab.editing ? d->lab.entry : NULL,
	};

	for (int i = 0; i < d->s.ncpu; i++)
		snprintf(cpus + strlen(cpus), sizeof cpus - strlen(cpus), "%s%d", i ? "," : "",
		    d->s.cpu_ids[i]);
	view_settings(d->cv, &v);
}

/* The next value on the 1, 2, 5, 10, 20, 50 ... scale above v (dir > 0) or
 * below it (dir < 0): every round value a try names is a few steps away,
 * and a value off the scale (34) steps to its neighbours on it (50, 20). */
static int64_t
step_125(int64_t v, int dir)
{
	static const int64_t m[3] = { 1, 2, 5 };
	int64_t best = dir > 0 ? INT64_MAX : 0, decade = 1;

	for (int e = 0; e < 18; e++, decade *= 10)
		for (int i = 0; i < 3; i++) {
			int64_t x = m[i] * decade;

			if (dir > 0 && x > v && x < best)
				best = x;
			if (dir < 0 && x < v && x > best)
				best = x;
		}
	return best;
}

/* The next value of a parameter one step up or down: enums cycle, small
 * ranges step by one, large ones along the 1-2-5 scale. */
static int64_t
step_value(const struct param_spec *p, int64_t v, int dir)
{
	int64_t n = 1;

	if (p->type == PARAM_ENUM) {
		for (const char *s = p->choices; s != NULL && *s != '\0'; s++)
			n += *s == '|';
		return (v + dir + n) % n;
	}
	if (p->max - p->min <= 100)
		return v + dir;
	n = step_125(v, dir);
	return n < p->min ? p->min : n > p->max ? p->max : n;
}

static void
set_slow(struct dash *d, double s)
{
	d->s.env.slow = s < 1 ? 1 : s > 1000 ? 1000 : s;
}

/* The CPUs line: all the process may use, or one of them (--cpus N); dir
 * steps through the choices. */
static void
change_cpus(struct dash *d, int dir)
{
	int ids[CPUS_MAX], n = 0, cur = 0, next;
	cpu_set_t set;
	char err[256], msg[300], list[128];

	for (int c = 0; c < CPUS_MAX; c++)
		if (CPU_ISSET(c, &d->s.all_cpus))
			ids[n++] = c;
	/* choice 0: every CPU; choice i: CPU ids[i - 1] alone */
	for (int i = 0; i < n; i++)
		if (d->s.ncpu == 1 && d->s.cpu_ids[0] == ids[i] && n > 1)
			cur = i + 1;
	next = (cur + dir + n + 1) % (n + 1);
	CPU_ZERO(&set);
	if (next == 0)
		set = d->s.all_cpus;
	else
		CPU_SET(ids[next - 1], &set);
	if (session_set_cpus(&d->s, &set, err, sizeof err) < 0) {
		dash_say(d, err);
		return;
	}
	cpus_format_list(&set, list, sizeof list);
	snprintf(msg, sizeof msg, "the next run uses CPU%s %s", CPU_COUNT(&set) == 1 ? "" : "s",
	    list);
	dash_say(d, msg);
}

/* Name what was set on the status line (walk 5 F8: Right turned
 * serial-fib's work into sleep and nothing on the screen said so). */
static void
say_param(struct dash *d, int run, int param)
{
	const struct lab_run *r = &d->s.lab.runs[run];
	const char *name = r->exec->params[param].name;
	const char *why = lab_param_unused(r, name);
	char val[80], msg[300];

	lab_param_format(r, param, val, sizeof val);
	if (why != NULL)	/* walk 7 H2: a value the run ignores, unsaid */
		snprintf(msg, sizeof msg, "%s.%s = %s, but this run does not use it: %s",
		    r->name, name, val, why);
	else
		snprintf(msg, sizeof msg, "%s.%s = %s for this run only%s", r->name, name, val,
		    strcmp(name, "tasks") == 0 || strcmp(name, "duration_ms") == 0 ?
		    "; + - [ ] set every run that has it" : "");
	dash_say(d, msg);
}

static void
say_slow(struct dash *d)
{
	char msg[120];

	snprintf(msg, sizeof msg, "slow motion x%g: switch intervals stretched from the next run",
	    d->s.env.slow);
	dash_say(d, msg);
}

/* Left/Right on a parameter's line: one step (an enum's next choice). */
static void
change_param(struct dash *d, int run, int param, int dir)
{
	const struct lab_run *r = &d->s.lab.runs[run];
	const struct param_spec *p = &r->exec->params[param];
	char err[512], msg[600];

	if (p->type == PARAM_STRING) {
		snprintf(msg, sizeof msg, "%s is text: Enter, then type it", p->name);
		dash_say(d, msg);
		return;
	}
	if (lab_set_value(&d->s.lab, run, param, step_value(p, r->values[param], dir), err,
	    sizeof err) < 0)
		dash_say(d, err);
	else
		say_param(d, run, param);	/* what was set, not only how (walk 4 #14) */
}

/* Left/Right on the selected line: tasks and work (as + - [ ], kept for
 * the next run while one goes), the CPUs, the slow-motion factor or a
 * parameter. */
static void
change_selected(struct dash *d, int dir)
{
	struct dash_lab *l = &d->lab;
	int run, param;

	if (l->settings_sel == VIEW_SEL_TASKS) {
		change_setting(d, &tasks_setting, &l->tasks, &l->next_tasks, dir > 0 ? '+' : '-');
		return;
	}
	if (l->settings_sel == VIEW_SEL_WORK) {
		change_setting(d, &work_setting, &l->work_ms, &l->next_work_ms,
		    dir > 0 ? ']' : '[');
		return;
	}
	if (d->s.running) {
		dash_say(d, IGNORED_WHILE_RUNNING);
		return;
	}
	if (l->settings_sel == VIEW_SEL_CPUS) {
		change_cpus(d, dir);
	} else if (l->settings_sel == VIEW_SEL_SLOW) {
		set_slow(d, (double)step_125((int64_t)(d->s.env.slow + (dir < 0 ? 0.999 : 0)),
		    dir));
		say_slow(d);
	} else if (view_settings_param(&d->s.lab, l->settings_sel, &run, &param)) {
		change_param(d, run, param, dir);
	}
}

/* Up/Down: the previous or next parameter line (or the slow line above). */
static void
move_selected(struct dash *d, int dir)
{
	struct dash_lab *l = &d->lab;
	int n = view_settings_lines(&d->s.lab), run, param, i = l->settings_sel;

	for (i += dir; i >= 0 && i < n; i += dir)
		if (view_settings_param(&d->s.lab, i, &run, &param))
			break;
	if (i < 0)	/* the lines above the list, first to last: VIEW_SEL_TASKS .. SLOW */
		i = l->settings_sel < 0 ? UTIL_MAX(l->settings_sel + dir, VIEW_SEL_TASKS) :
		    VIEW_SEL_SLOW;
	if (i >= n)
		return;
	l->settings_sel = i;
	/* keep it on screen: a few lines of context around the selection */
	if (i >= 0 && i < l->settings_scroll)
		l->settings_scroll = UTIL_MAX(i - 1, 0);
	if (i >= l->settings_scroll + d->cv->h - 13)	/* view_settings' rows - 1 */
		l->settings_scroll = i - (d->cv->h - 13) + 1;
}

/* The selected line's parameter spec and run, or NULL for the lines above
 * the list (and a header line). */
static const struct param_spec *
selected_param(struct dash *d, int *run, int *param)
{
	if (d->lab.settings_sel < 0 ||
	    !view_settings_param(&d->s.lab, d->lab.settings_sel, run, param))
		return NULL;
	return &d->s.lab.runs[*run].exec->params[*param];
}

/* The selected line's setting (tasks or work) and its value, or NULL. */
static const struct setting *
selected_setting(struct dash *d, int **value)
{
	if (d->lab.settings_sel == VIEW_SEL_TASKS) {
		*value = &d->lab.tasks;
		return &tasks_setting;
	}
	if (d->lab.settings_sel == VIEW_SEL_WORK) {
		*value = &d->lab.work_ms;
		return &work_setting;
	}
	return NULL;
}

/* Start typing a value on the selected line: first (a digit), or from the
 * value it has now when first is 0 (Enter). */
static void
begin_entry(struct dash *d, int first)
{
	const struct param_spec *p;
	const struct setting *st;
	struct dash_lab *l = &d->lab;
	int run, param, *value;
	char msg[80];

	if (d->s.running) {
		dash_say(d, IGNORED_WHILE_RUNNING);
		return;
	}
	p = selected_param(d, &run, &param);
	st = selected_setting(d, &value);
	if (l->settings_sel == VIEW_SEL_CPUS || (l->settings_sel >= 0 && p == NULL)) {
		dash_say(d, "pick a line with a value to type it (the CPUs: Left/Right)");
		return;
	}
	if (st != NULL && *value == 0) {
		snprintf(msg, sizeof msg, "this lab has no %s to change", st->what);
		dash_say(d, msg);
		return;
	}
	l->entry[0] = '\0';
	if (first != 0)
		l->entry[0] = (char)first, l->entry[1] = '\0';
	else if (p != NULL)
		lab_param_format(&d->s.lab.runs[run], param, l->entry, sizeof l->entry);
	else if (st != NULL)
		snprintf(l->entry, sizeof l->entry, "%d", *value);
	else
		snprintf(l->entry, sizeof l->entry, "%g", d->s.env.slow);
	l->editing = true;
}

/* A typed task count or work size: every run that uses it; false (and
 * why on the status line) when it is not a number in range. */
static bool
set_typed_setting(struct dash *d, const struct setting *st, int *value)
{
	char msg[600], err[512], where[220];
	int64_t v;
	int old = *value;

	if (old == 0) {
		snprintf(msg, sizeof msg, "this lab has no %s to change", st->what);
		dash_say(d, msg);
		return false;
	}
	if (!util_parse_i64(d->lab.entry, &v) || v < st->lo || v > st->hi) {
		snprintf(msg, sizeof msg, "%s is a whole number from %d to %d%s", st->what,
		    st->lo, st->hi, st->unit);
		dash_say(d, msg);
		return false;
	}
	if (lab_set_every(&d->s.lab, st->key, v, err, sizeof err) < 0) {
		dash_say(d, err);
		return false;
	}
	*value = (int)v;
	runs_set(&d->s.lab, st->key, where, sizeof where);
	snprintf(msg, sizeof msg, "%s %d%s for %s (was %d%s)", st->label, *value,
	    st->unit, where, old, st->unit);
	dash_say(d, msg);
	return true;
}

/* A typed slow-motion factor; false (and why) when out of range. */
static bool
set_typed_slow(struct dash *d)
{
	char *end;
	double slow = strtod(d->lab.entry, &end);

	if (end == d->lab.entry || *end != '\0' || !(slow >= 1 && slow <= 1000)) {
		dash_say(d, "slow motion is a factor from 1 to 1000");
		return false;
	}
	set_slow(d, slow);
	say_slow(d);
	return true;
}

/* Enter on a typed value: set it, as --set or --slow would, or say why not
 * (the entry stays open to be corrected).  What was set is named. */
static void
end_entry(struct dash *d)
{
	struct dash_lab *l = &d->lab;
	const struct param_spec *p;
	const struct setting *st;
	char msg[512];
	int run, param, *value;
	int64_t v;

	p = selected_param(d, &run, &param);
	st = selected_setting(d, &value);
	if (st != NULL) {
		if (!set_typed_setting(d, st, value))
			return;
	} else if (p == NULL) {
		if (!set_typed_slow(d))
			return;
	} else if (p->type == PARAM_INT) {
		if (!util_parse_i64(l->entry, &v)) {
			snprintf(msg, sizeof msg, "%s must be a whole number", p->name);
			dash_say(d, msg);
			return;
		}
		if (lab_set_value(&d->s.lab, run, param, v, msg, sizeof msg) < 0) {
			dash_say(d, msg);
			return;
		}
	} else if (lab_param_parse(&d->s.lab.runs[run], param, l->entry, msg,
	    sizeof msg) < 0) {
		dash_say(d, msg);
		return;
	}
	if (p != NULL)
		say_param(d, run, param);
	l->editing = false;
}

/* A key while a value is typed: it takes printable characters. */
static void
entry_key(struct dash *d, int k)
{
	struct dash_lab *l = &d->lab;
	size_t n = strlen(l->entry);

	if (k == UI_KEY_ENTER)
		end_entry(d);
	else if (k == UI_KEY_ESC)
		l->editing = false;
	else if (k == UI_KEY_BACKSPACE && n > 0)
		l->entry[n - 1] = '\0';
	else if (k >= 0x20 && k < 0x7f && n + 1 < sizeof l->entry)
		l->entry[n] = (char)k, l->entry[n + 1] = '\0';
}

static void
settings_key(struct dash *d, int k)
{
	if (d->lab.editing) {
		entry_key(d, k);
		return;
	}
	if (k >= '0' && k <= '9' && d->lab.settings_sel != VIEW_SEL_CPUS) {
		begin_entry(d, k);
		return;
	}
	if (dash_settings_key(d, k))
		return;
	switch (k) {
	case UI_KEY_UP: case 'k':
		move_selected(d, -1);
		break;
	case UI_KEY_DOWN: case 'j':
		move_selected(d, 1);
		break;
	case UI_KEY_LEFT: case '<': case 'h':
		change_selected(d, -1);
		break;
	case UI_KEY_RIGHT: case '>': case 'l':
		change_selected(d, 1);
		break;
	case UI_KEY_ENTER:
		begin_entry(d, 0);
		break;
	case UI_KEY_ESC: case 'c': case 'q': case 'Q':
		d->screen = d->back;	/* q closes the panel: only the lab quits */
		break;
	default:
		break;
	}
}

const struct dash_screen_ops dash_settings_screen = {
	.draw = settings_draw,
	.key = settings_key,
};
