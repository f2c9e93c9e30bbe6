/*
 * dash_settings: the settings screen (c on the lab screen) and the settings
 * themselves -- the task count and the work size the keys + - [ ] change,
 * here and on the lab screen.  They change the parsed lab between runs
 * (lab_set_every: every run that has the parameter), never while one runs.
 */
#include "dash_screen.h"

#include "ui.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define MAX_TASKS_SETTING 64
#define MIN_WORK_MS 50
#define MAX_WORK_MS 600000
#define SETTINGS_SEL_CPUS (-2)	/* the CPUs line, above slow motion (-1) */

static void
change_setting(struct dash *d, int *value, int nv, int lo, int hi, const char *key,
    const char *what)
{
	char err[512], msg[160];
	int old = *value;

	if (*value == 0) {
		snprintf(msg, sizeof msg, "this lab has no %s to change", what);
		dash_say(d, msg);
		return;
	}
	if (d->s.running) {
		dash_say(d, "settings apply to the next run: wait for this one, or Esc");
		return;
	}
	*value = nv < lo ? lo : nv > hi ? hi : nv;
	if (lab_set_every(&d->s.lab, key, *value, err, sizeof err) < 0) {
		*value = old;
		dash_say(d, err);
	}
}

bool
dash_settings_key(struct dash *d, int k)
{
	struct dash_lab *l = &d->lab;

	switch (k) {
	case '+': case '=':
		change_setting(d, &l->tasks, l->tasks + 1, 1, MAX_TASKS_SETTING, "tasks",
		    "task count");
		return true;
	case '-': case '_':
		change_setting(d, &l->tasks, l->tasks - 1, 1, MAX_TASKS_SETTING, "tasks",
		    "task count");
		return true;
	case '[':
		change_setting(d, &l->work_ms, l->work_ms / 2, MIN_WORK_MS, MAX_WORK_MS,
		    "duration_ms", "work size");
		return true;
	case ']':
		change_setting(d, &l->work_ms, l->work_ms * 2, MIN_WORK_MS, MAX_WORK_MS,
		    "duration_ms", "work size");
		return true;
	default:
		return false;
	}
}

static void
settings_draw(struct dash *d)
{
	char cpus[128] = "";
	struct view_settings v = {
		.lab = &d->s.lab, .tasks = d->lab.tasks, .work_ms = d->lab.work_ms,
		.scroll = d->lab.settings_scroll,
		.message = d->message[0] != '\0' ? d->message : NULL,
		.sel = d->lab.settings_sel, .slow = d->s.env.slow, .cpus = cpus,
	};

	for (int i = 0; i < d->s.ncpu; i++)
		snprintf(cpus + strlen(cpus), sizeof cpus - strlen(cpus), "%s%d", i ? "," : "",
		    d->s.cpu_ids[i]);
	view_settings(d->cv, &v);
}

/* The next value of a parameter one step up or down: enums cycle, small
 * ranges step by one, large ones double or halve. */
static int64_t
step_value(const struct param_spec *p, int64_t v, int dir)
{
	if (p->type == PARAM_ENUM) {
		int64_t n = 1;

		for (const char *s = p->choices; s != NULL && *s != '\0'; s++)
			n += *s == '|';
		return (v + dir + n) % n;
	}
	if (p->max - p->min <= 100)
		return v + dir;
	if (dir > 0)
		return v <= 0 ? UTIL_MAX(p->min, 1) : v * 2;
	return v / 2 < p->min ? p->min : v / 2;
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

/* Left/Right on the selected line: the CPUs, the slow-motion factor or a
 * parameter. */
static void
change_selected(struct dash *d, int dir)
{
	struct dash_lab *l = &d->lab;
	char err[512], msg[600];
	int run, param;

	if (d->s.running) {
		dash_say(d, "settings apply to the next run: wait for this one, or Esc");
		return;
	}
	if (l->settings_sel == SETTINGS_SEL_CPUS) {
		change_cpus(d, dir);
		return;
	}
	if (l->settings_sel == -1) {
		double s = dir > 0 ? d->s.env.slow * 2 : d->s.env.slow / 2;

		d->s.env.slow = s < 1 ? 1 : s > 1000 ? 1000 : s;
		return;
	}
	if (!view_settings_param(&d->s.lab, l->settings_sel, &run, &param))
		return;
	{
		const struct lab_run *r = &d->s.lab.runs[run];
		const struct param_spec *p = &r->exec->params[param];

		if (p->type != PARAM_INT && p->type != PARAM_ENUM) {
			snprintf(msg, sizeof msg, "%s is text: set it in the lab file or with "
			    "--set %s.%s=...", p->name, r->name, p->name);
			dash_say(d, msg);
			return;
		}
		if (lab_set_value(&d->s.lab, run, param, step_value(p, r->values[param], dir),
		    err, sizeof err) < 0)
			dash_say(d, err);
		else if (strcmp(p->name, "tasks") == 0 || strcmp(p->name, "duration_ms") == 0)
			dash_say(d, "set for this run only; + - [ ] set every run");
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
	if (i < 0)
		i = l->settings_sel < 0 ? UTIL_MAX(l->settings_sel + dir, SETTINGS_SEL_CPUS) : -1;
	if (i >= n)
		return;
	l->settings_sel = i;
	/* keep it on screen: a few lines of context around the selection */
	if (i >= 0 && i < l->settings_scroll)
		l->settings_scroll = UTIL_MAX(i - 1, 0);
	if (i >= l->settings_scroll + d->cv->h - 11)
		l->settings_scroll = i - (d->cv->h - 11) + 1;
}

static void
settings_key(struct dash *d, int k)
{
	int *scroll = &d->lab.settings_scroll;

	if (dash_settings_key(d, k))
		return;
	(void)scroll;
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
	case UI_KEY_ESC: case 'c': case UI_KEY_ENTER:
		d->screen = d->back;
		break;
	case 'q': case 'Q':
		d->quit = true;
		break;
	default:
		break;
	}
}

const struct dash_screen_ops dash_settings_screen = {
	.draw = settings_draw,
	.key = settings_key,
};
