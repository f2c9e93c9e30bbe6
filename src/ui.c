/*
 * ui: curses.  The only file that includes <curses.h>.  A copy of the last
 * canvas sent is kept so a frame only sends the cells that changed; a resize
 * or a size change forces a full repaint.
 */
#include "ui.h"
#include "util.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

static bool active, registered, use_color, glyph_ascii;
static struct canvas_cell *shown;	/* what is on the screen */
static int shown_w, shown_h;
static attr_t role_attr[CC_NCOLORS];

/* Foreground per colour role: 256-colour and 8-colour choices. */
static const short fg256[CC_NCOLORS] = {
	[CC_DEFAULT] = -1, [CC_RUN] = 40, [CC_READY] = 214, [CC_LOCK] = 196,
	[CC_IO] = 39, [CC_DONE] = 245, [CC_FAILED] = 201, [CC_TITLE] = 45,
	[CC_DIM] = 244, [CC_BAR] = 34, [CC_BARHI] = 202, [CC_KEY] = 81,
	[CC_WARN] = 220, [CC_MARK] = 171, [CC_SELECT] = 51, [CC_OTHER] = 248,
};
static const short fg8[CC_NCOLORS] = {
	[CC_DEFAULT] = -1, [CC_RUN] = COLOR_GREEN, [CC_READY] = COLOR_YELLOW,
	[CC_LOCK] = COLOR_RED, [CC_IO] = COLOR_BLUE, [CC_DONE] = -1,
	[CC_FAILED] = COLOR_MAGENTA, [CC_TITLE] = COLOR_CYAN, [CC_DIM] = -1,
	[CC_BAR] = COLOR_GREEN, [CC_BARHI] = COLOR_RED, [CC_KEY] = COLOR_CYAN,
	[CC_WARN] = COLOR_YELLOW, [CC_MARK] = COLOR_MAGENTA, [CC_SELECT] = COLOR_CYAN,
	[CC_OTHER] = COLOR_WHITE,
};

static void
setup_colors(void)
{
	bool many;

	if (!use_color || !has_colors() || start_color() == ERR) {
		use_color = false;
		return;
	}
	use_default_colors();
	many = COLORS >= 256 && COLOR_PAIRS > CC_NCOLORS;
	for (int i = 1; i < CC_NCOLORS; i++) {
		init_pair((short)i, many ? fg256[i] : fg8[i], -1);
		role_attr[i] = COLOR_PAIR(i);
	}
	if (!many)
		role_attr[CC_DONE] |= A_DIM;
	role_attr[CC_DIM] |= many ? 0 : A_DIM;
}

bool
ui_can_address(char *why, size_t len)
{
	const char *term = getenv("TERM");
	int err = 0;
	char *cup;
	bool ok;

	if (term == NULL || term[0] == '\0') {
		util_err(why, len, "TERM is not set, so conclab cannot draw on this terminal");
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		util_err(why, len, "TERM=%s is not a terminal conclab knows (no terminfo entry)",
		    term);
		return false;
	}
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	if (!ok)
		util_err(why, len, "TERM=%s cannot place the cursor, so conclab cannot draw "
		    "its screens on it", term);
	return ok;
}

int
ui_init(bool no_color, bool ascii)
{
	const char *cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	glyph_ascii = ascii || cs == NULL || strcmp(cs, "UTF-8") != 0;
	use_color = !no_color;
	if (!registered) {
		util_on_cleanup(ui_end);
		registered = true;
	}
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL)
		return -1;
	active = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	setup_colors();
	return 0;
}

bool
ui_ascii(void)
{
	return glyph_ascii;
}

void
ui_size(int *w, int *h)
{
	int y, x;

	getmaxyx(stdscr, y, x);
	*w = x;
	*h = y;
}

static attr_t
cell_attr(const struct canvas_cell *cell)
{
	attr_t a = cell->color < CC_NCOLORS ? role_attr[cell->color] : 0;

	if (cell->attr & CA_BOLD)
		a |= A_BOLD;
	if (cell->attr & CA_REVERSE)
		a |= A_REVERSE;
	if (cell->attr & CA_DIM)
		a |= A_DIM;
	if (cell->attr & CA_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

void
ui_blit(const struct canvas *c)
{
	int w, h;
	bool full;

	if (!active)
		return;
	ui_size(&w, &h);
	full = shown == NULL || shown_w != c->w || shown_h != c->h;
	if (full) {
		free(shown);
		shown = xcalloc((size_t)c->w * (size_t)c->h, sizeof *shown);
		shown_w = c->w;
		shown_h = c->h;
		erase();
	}
	for (int y = 0; y < c->h && y < h; y++)
		for (int x = 0; x < c->w && x < w; x++) {
			size_t i = (size_t)y * (size_t)c->w + (size_t)x;
			const struct canvas_cell *cell = &c->cells[i];
			wchar_t wc[2];
			cchar_t cc;
			attr_t a;

			if (!full && memcmp(cell, &shown[i], sizeof *cell) == 0)
				continue;
			shown[i] = *cell;
			wc[0] = (wchar_t)cell->ch;
			if (cell->ch < 32 || (glyph_ascii && cell->ch >= 0x80))
				wc[0] = cell->ch < 32 ? L' ' : L'?';
			wc[1] = L'\0';
			a = cell_attr(cell);
			setcchar(&cc, wc, a, (short)PAIR_NUMBER(a), NULL);
			mvadd_wch(y, x, &cc);
		}
	refresh();
}

/* Has the terminal gone away?  When its other side closes (a window or a
 * tmux session killed, ssh cut), the kernel hangs it up: poll says POLLHUP
 * and read returns 0 (EOF), which getch turns into "no key".  Only the
 * session leader gets SIGHUP then, so a conclab started by make or a
 * script must notice by itself.  A key that arrived since getch is no
 * hang-up: a terminal that still answers tcgetattr is there. */
static bool
terminal_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	struct termios tio;

	if (poll(&p, 1, 0) <= 0)
		return false;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	return (p.revents & POLLIN) && tcgetattr(STDIN_FILENO, &tio) < 0 &&
	    (errno == EIO || errno == ENOTTY || errno == EBADF);
}

int
ui_key(void)
{
	int k;

	if (!active)
		return UI_KEY_NONE;
	k = getch();
	switch (k) {
	case ERR: return terminal_gone() ? UI_KEY_HANGUP : UI_KEY_NONE;
	case KEY_UP: return UI_KEY_UP;
	case KEY_DOWN: return UI_KEY_DOWN;
	case KEY_LEFT: return UI_KEY_LEFT;
	case KEY_RIGHT: return UI_KEY_RIGHT;
	case KEY_ENTER: case '\r': case '\n': return UI_KEY_ENTER;
	case '\t': return UI_KEY_TAB;
	case KEY_BTAB: return UI_KEY_BTAB;
	case 27: return UI_KEY_ESC;
	case KEY_RESIZE:
		free(shown);
		shown = NULL;
		return UI_KEY_RESIZE;
	case KEY_PPAGE: return UI_KEY_PGUP;
	case KEY_NPAGE: return UI_KEY_PGDN;
	case KEY_BACKSPACE: case 127: case 8: return UI_KEY_BACKSPACE;
	default: return k >= 0 && k < 0x1000 ? k : UI_KEY_NONE;
	}
}

void
ui_end(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	free(shown);
	shown = NULL;
	fflush(stdout);
}
