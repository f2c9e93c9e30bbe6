/*
 * ui: the one module that calls curses.  It sets the terminal up (alternate
 * screen, no echo, hidden cursor, keys without the Esc delay), chooses
 * colours (256, 8 or none: NO_COLOR, --no-color) and glyphs (UTF-8 or
 * ASCII), copies a canvas to the screen, reads keys, and restores the
 * terminal -- also from die() through a cleanup hook.
 */
#ifndef CONCLAB_UI_H
#define CONCLAB_UI_H

#include "canvas.h"

#include <stdbool.h>
#include <stddef.h>

/* Keys beyond plain characters. */
enum ui_key {
	UI_KEY_NONE = -1,
	UI_KEY_UP = 0x1000, UI_KEY_DOWN, UI_KEY_LEFT, UI_KEY_RIGHT,
	UI_KEY_ENTER, UI_KEY_TAB, UI_KEY_BTAB, UI_KEY_ESC, UI_KEY_RESIZE,
	UI_KEY_PGUP, UI_KEY_PGDN, UI_KEY_BACKSPACE,
	UI_KEY_HANGUP,		/* the terminal went away: stop as on SIGHUP */
};

/* Can the terminal on standard output place the cursor (what the
 * dashboard needs)?  False, with why in one line, for TERM=dumb, no TERM or
 * a terminal without cursor addressing; nothing is written to it. */
bool ui_can_address(char *why, size_t len);
/* Take over the terminal; -1 when it cannot (no terminal). */
int ui_init(bool no_color, bool ascii);
/* True when glyphs must be ASCII (locale not UTF-8, or --ascii). */
bool ui_ascii(void);
/* The terminal's size now. */
void ui_size(int *w, int *h);
/* Copy the canvas to the screen (only cells that changed are sent). */
void ui_blit(const struct canvas *c);
/* The next key, or UI_KEY_NONE when none is waiting (never blocks);
 * UI_KEY_HANGUP, again at every call, once the terminal has gone away. */
int ui_key(void);
/* Give the terminal back as it was; safe to call twice and from die(). */
void ui_end(void);

#endif
