/*
 * dash_help: the help screen -- the keys and the legend explained, over
 * the lab's screen (which keeps running underneath).  Space, PgDn or Down
 * turn to its second page where it has two (80x24); any other key closes
 * it -- q and Esc too: an overlay or panel (help, settings, the lesson
 * reader) closes on q, and only the lab screen and the menu quit on it (a
 * presenter reading the legend lost an unexported run to q).
 */
#include "dash_screen.h"
#include "ui.h"
#include "view.h"

static void
help_draw(struct dash *d)
{
	if (d->back == DASH_MENU) {	/* opened on the menu: no lab under it */
		dash_menu_draw(d);
		view_help(d->cv, d->help_page);
		return;
	}
	dash_lab_draw_with(d, true);
}

static void
help_key(struct dash *d, int k)
{
	if ((k == ' ' || k == UI_KEY_PGDN || k == UI_KEY_DOWN) &&
	    d->help_page + 1 < view_help(d->cv, d->help_page)) {
		d->help_page++;
		return;
	}
	d->screen = d->back;
}

const struct dash_screen_ops dash_help_screen = {
	.draw = help_draw,
	.key = help_key,
};
