/*
 * dash_menu: the menu screen -- the list of labs with the student's
 * progress; Enter opens the selected lab on its screen, ? the help.
 */
#include "dash_screen.h"

#include "ui.h"

void
dash_menu_draw(struct dash *d)
{
	view_menu(d->cv, d->labs, d->nlabs, d->menu_sel, &d->prog,
	    d->message[0] != '\0' ? d->message : NULL);
}

static void
menu_key(struct dash *d, int k)
{
	char err[512];

	switch (k) {
	case UI_KEY_UP: case 'k':
		if (d->menu_sel > 0)
			d->menu_sel--;
		break;
	case UI_KEY_DOWN: case 'j':
		if (d->menu_sel + 1 < d->nlabs)
			d->menu_sel++;
		break;
	case UI_KEY_ENTER: case 'l': case UI_KEY_RIGHT:
		if (d->nlabs > 0 &&
		    dash_lab_open(d, d->labs[d->menu_sel].path, err, sizeof err) < 0)
			dash_say(d, err);
		break;
	case '?': case 'h':	/* the help, as on the lab screen */
		d->back = d->screen;
		d->screen = DASH_HELP;
		d->help_page = 0;
		break;
	case 'q': case 'Q': case UI_KEY_ESC:
		d->quit = true;
		break;
	default:
		break;
	}
}

const struct dash_screen_ops dash_menu_screen = {
	.draw = dash_menu_draw,
	.key = menu_key,
};
