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

#define MAX_TASKS_SETTING 64
#define MIN_WORK_MS 50
#define MAX_WORK_MS 600000

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
	struct view_settings v = {
		.lab = &d->s.lab, .tasks = d->lab.tasks, .work_ms = d->lab.work_ms,
		.scroll = d->lab.settings_scroll,
		.message = d->message[0] != '\0' ? d->message : NULL,
	};

	view_settings(d->cv, &v);
}

static void
settings_key(struct dash *d, int k)
{
	int *scroll = &d->lab.settings_scroll;

	if (dash_settings_key(d, k))
		return;
	switch (k) {
	case UI_KEY_UP: case 'k':
		*scroll = UTIL_MAX(*scroll - 1, 0);
		break;
	case UI_KEY_DOWN: case 'j':
		*scroll = UTIL_MIN(*scroll + 1,
		    UTIL_MAX(view_settings_lines(&d->s.lab) - 1, 0));
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
