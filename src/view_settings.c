/*
 * view_settings: the settings screen -- the task count and work size the
 * keys change, then every run of the lab with its executor and each
 * parameter's value, default and meaning (cut to the line; the selected
 * one's in full under the list).  Lines past the screen scroll.
 */
#include "util.h"
#include "view.h"

#include <stdio.h>
#include <string.h>

/* Line i of the run list (run headers and parameters), into buf; false
 * past the end.  *head says whether it is a run's header. */
static bool
settings_line(const struct lab *lab, int i, char *buf, size_t len, bool *head)
{
	for (int r = 0; r < lab->nruns; r++) {
		const struct lab_run *run = &lab->runs[r];
		int np = lab_param_count(run->exec);

		if (i == 0) {
			snprintf(buf, len, "%s%s  (%s: %s)", run->name,
			    run->selected ? "" : " [not selected]", run->exec->name,
			    run->exec->title != NULL ? run->exec->title : "");
			*head = true;
			return true;
		}
		if (i <= np) {
			const struct param_spec *p = &run->exec->params[i - 1];
			char val[80], file[80];	/* a long path is cut on screen anyway */

			lab_param_format(run, i - 1, val, sizeof val);
			lab_param_format_file(run, i - 1, file, sizeof file);
			snprintf(buf, len, "  %-16s %s%-10s %-10s %s", p->name,
			    lab_param_changed(run, i - 1) ? "*" : " ", val, file,
			    p->help != NULL ? p->help : "");
			*head = false;
			return true;
		}
		i -= np + 1;
	}
	return false;
}

/* One setting on row y: its value (and the next run's, chosen during a
 * run) and keys, or that the lab has none; reversed when picked. */
static void
setting_row(struct canvas *c, int y, bool sel, const char *label, int value, int next,
    const char *keys, const char *what)
{
	int attr = sel ? CA_REVERSE : 0;

	if (value > 0 && next > 0)
		canvas_printf(c, 1, y, c->w - 2, sel ? CC_SELECT : CC_MARK, CA_BOLD | attr,
		    "%-15s %-6d  next run %d; %s", label, value, next, keys);
	else if (value > 0)
		canvas_printf(c, 1, y, c->w - 2, sel ? CC_SELECT : CC_DEFAULT, attr,
		    "%-15s %-6d  %s", label, value, keys);
	else
		canvas_printf(c, 1, y, c->w - 2, sel ? CC_SELECT : CC_DIM, attr,
		    "%-15s (this lab has no %s)", label, what);
}

bool
view_settings_param(const struct lab *lab, int i, int *run, int *param)
{
	for (int r = 0; r < lab->nruns; r++) {
		int np = lab_param_count(lab->runs[r].exec);

		if (i == 0)
			return false;
		if (i <= np) {
			*run = r;
			*param = i - 1;
			return true;
		}
		i -= np + 1;
	}
	return false;
}

/* Under the list, rows y to y + 2: the selected parameter's meaning in
 * full (the list cuts it at 80 columns). */
static void
selected_help(struct canvas *c, const struct view_settings *v, int y)
{
	const struct param_spec *p;
	char text[512];
	int run, param;

	if (v->sel < 0 || !view_settings_param(v->lab, v->sel, &run, &param))
		return;
	p = &v->lab->runs[run].exec->params[param];
	snprintf(text, sizeof text, "%s.%s: %s", v->lab->runs[run].name, p->name,
	    p->help != NULL ? p->help : "");
	canvas_wrap(c, 1, y, c->w - 2, 3, text, CC_DIM, 0);
}

void
view_settings(struct canvas *c, const struct view_settings *v)
{
	/* rows: title, the settings, the list's head and lines, then the
	 * selected parameter's meaning (3 rows), a message and the keys */
	int top = 7, rows = c->h - top - 5, y;
	char line[256];
	bool head;

	canvas_clear(c);
	if (view_too_small(c, VIEW_MIN_W, VIEW_MIN_H))
		return;
	canvas_fill(c, 0, 0, c->w, 1, ' ', CC_TITLE, CA_REVERSE);
	canvas_printf(c, 0, 0, c->w, CC_TITLE, CA_REVERSE | CA_BOLD,
	    " settings  %s  (they apply to the next run)", v->lab->id);
	/* in the order Up/Down visit them: tasks, work, the CPUs, slow motion
	 * (VIEW_SEL_*, rows 2 to 5), the parameters (0 ...) */
	setting_row(c, 2, v->sel == VIEW_SEL_TASKS, "tasks per run", v->tasks, v->next_tasks,
	    "+ more, - fewer (each run that has it)", "task count");
	setting_row(c, 3, v->sel == VIEW_SEL_WORK, "work per task", v->work_ms, v->next_work_ms,
	    "ms; ] doubles, [ halves (each run that has it)", "work size");
	canvas_printf(c, 1, 4, c->w - 2, v->sel == VIEW_SEL_CPUS ? CC_SELECT : CC_DEFAULT,
	    v->sel == VIEW_SEL_CPUS ? CA_REVERSE : 0,
	    "%-15s %-6s  the CPUs the lab may use (--cpus): all or one", "cpus",
	    v->cpus != NULL ? v->cpus : "all");
	canvas_printf(c, 1, 5, c->w - 2, v->sel == VIEW_SEL_SLOW ? CC_SELECT : CC_DEFAULT,
	    v->sel == VIEW_SEL_SLOW ? CA_REVERSE : 0, "%-15s x%-5g  switch intervals stretched "
	    "(--slow)", "slow motion", v->slow);
	canvas_text(c, 1, top - 1, c->w - 2,
	    "run / parameter     value      lab file   (* changed from the lab file)",
	    CC_TITLE, CA_BOLD);
	for (y = 0; y < rows && settings_line(v->lab, v->scroll + y, line, sizeof line,
	    &head); y++)
		canvas_text(c, 1, top + y, c->w - 2, line, head ? CC_SELECT :
		    v->scroll + y == v->sel ? CC_SELECT : CC_DEFAULT,
		    head ? CA_BOLD : v->scroll + y == v->sel ? CA_REVERSE : 0);
	/* the selected line marked in its text too, not only reversed (walk 4
	 * #14: a plain-text view could not tell where the cursor was) */
	y = v->sel < 0 ? top - 1 + v->sel : top + v->sel - v->scroll;
	if (y >= 2 && (v->sel < 0 || (v->sel >= v->scroll && y < top + rows)))
		canvas_put(c, 0, y, '>', CC_SELECT, CA_BOLD);
	selected_help(c, v, c->h - 5);
	/* no legend: this screen draws no task states (walk 3 #17) */
	if (v->entry != NULL) {
		int run = 0, param = 0;
		bool p = v->sel >= 0 && view_settings_param(v->lab, v->sel, &run, &param);
		const char *what = v->sel == VIEW_SEL_TASKS ? "tasks per run" :
		    v->sel == VIEW_SEL_WORK ? "work per task (ms)" : "slow motion";

		canvas_printf(c, 1, c->h - 2, c->w - 2, CC_SELECT, CA_REVERSE,
		    "%s%s%s = %s_  (Enter sets it, Esc cancels)", p ? v->lab->runs[run].name :
		    what, p ? "." : "", p ? v->lab->runs[run].exec->params[param].name :
		    "", v->entry);
	}
	else if (v->message != NULL)
		canvas_text(c, 1, c->h - 2, c->w - 2, v->message, CC_WARN, CA_BOLD);
	canvas_text(c, 0, c->h - 1, c->w, v->entry != NULL ?
	    "type the value  Backspace erase  Enter set  Esc cancel" :
	    "Up/Down pick  Left/Right change  Enter or 0-9 type a value  Esc/q/c back",
	    CC_KEY, 0);
}

int
view_settings_lines(const struct lab *lab)
{
	char line[256];
	bool head;
	int n = 0;

	while (settings_line(lab, n, line, sizeof line, &head))
		n++;
	return n;
}
