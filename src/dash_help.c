/*
 * dash_help: the help screen -- the keys and the legend explained, over
 * the lab's screen (which keeps running underneath).  Any key closes it;
 * q also quits.
 */
#include "dash_screen.h"

static void
help_draw(struct dash *d)
{
	dash_lab_draw_with(d, true);
}

static void
help_key(struct dash *d, int k)
{
	d->screen = d->back;
	if (k == 'q')
		d->quit = true;
}

const struct dash_screen_ops dash_help_screen = {
	.draw = help_draw,
	.key = help_key,
};
