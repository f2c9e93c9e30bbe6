/*
 * canvas: a screen as cells in memory.  Views draw into a canvas and never
 * touch the terminal; ui copies a canvas to the screen, tests dump it as text.
 *
 * A cell holds one Unicode code point (one column wide), a colour role and
 * attributes.  Symbolic glyphs (state glyphs, bar blocks) are resolved when
 * drawn, through canvas_glyph(), to UTF-8 art or plain ASCII according to the
 * canvas's `ascii` flag, so a dump of an ASCII canvas is pure ASCII.
 * Drawing outside the canvas is clipped, never an error.
 */
#ifndef CONCLAB_CANVAS_H
#define CONCLAB_CANVAS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Colour roles; ui maps each to a curses colour pair (or none). */
enum canvas_color {
	CC_DEFAULT = 0,
	CC_RUN, CC_READY, CC_LOCK, CC_IO, CC_DONE, CC_FAILED,
	CC_TITLE,	/* title bar */
	CC_DIM,		/* secondary text, axis */
	CC_BAR,		/* core bar, low load */
	CC_BARHI,	/* core bar, high load */
	CC_KEY,		/* key names in help */
	CC_WARN,	/* messages, too-small */
	CC_MARK,	/* run start markers */
	CC_SELECT,	/* the selected menu entry or run */
	CC_OTHER,	/* other programs' share of a core */
	CC_NCOLORS
};

#define CA_BOLD 0x1
#define CA_REVERSE 0x2
#define CA_DIM 0x4
#define CA_UNDERLINE 0x8

/* Symbolic glyphs, resolved by canvas_glyph(). */
enum canvas_glyph {
	CG_NEW = 0, CG_RUN, CG_READY, CG_LOCK, CG_IO, CG_DONE, CG_FAILED,
	CG_BAR_FULL, CG_BAR_EMPTY,
	CG_HLINE, CG_VLINE, CG_TICK, CG_MARK,
	CG_SPARK0,	/* CG_SPARK0 .. CG_SPARK0 + 7: history levels */
	CG_OTHER0 = CG_SPARK0 + 8,	/* .. CG_OTHER0 + 7: the same levels of a
					 * core busy with other programs */
	CG_NGLYPHS = CG_OTHER0 + 8
};

struct canvas_cell {
	uint32_t ch;		/* code point */
	uint8_t color;		/* enum canvas_color */
	uint8_t attr;		/* CA_* */
};

struct canvas {
	int w, h;
	bool ascii;		/* resolve glyphs to ASCII */
	struct canvas_cell *cells;	/* h rows of w cells */
};

/* A blank canvas of w x h cells (sizes below 1 become 1). */
struct canvas *canvas_create(int w, int h, bool ascii);
/* Free the canvas; NULL does nothing. */
void canvas_destroy(struct canvas *c);
/* Change the size; contents become blank. */
void canvas_resize(struct canvas *c, int w, int h);
/* Blank every cell. */
void canvas_clear(struct canvas *c);
/* The cell at x, y, or NULL outside. */
struct canvas_cell *canvas_cell(struct canvas *c, int x, int y);
/* Set one cell (clipped). */
void canvas_put(struct canvas *c, int x, int y, uint32_t ch, int color, int attr);
/* Fill a rectangle with ch. */
void canvas_fill(struct canvas *c, int x, int y, int w, int h, uint32_t ch,
    int color, int attr);
/* Write UTF-8 text from x, at most maxw columns (maxw < 0: to the edge);
 * stops at a newline.  Text that does not fit ends in … (. in ASCII) in
 * its last column, as fmt_cut cuts: no cut is silent.  Returns the columns
 * written. */
int canvas_text(struct canvas *c, int x, int y, int maxw, const char *s,
    int color, int attr);
/* printf into the canvas like canvas_text. */
int canvas_printf(struct canvas *c, int x, int y, int maxw, int color, int attr,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* The code point of a glyph for this canvas (UTF-8 art or ASCII). */
uint32_t canvas_glyph(const struct canvas *c, enum canvas_glyph g);
/* Word-wrap UTF-8 text into the rectangle; '\n' breaks a line.  Returns the
 * rows used (at most h). */
int canvas_wrap(struct canvas *c, int x, int y, int w, int h, const char *s,
    int color, int attr);
/* Encode a code point as UTF-8 into buf (at least 5 bytes); returns length. */
int canvas_utf8(uint32_t ch, char *buf);
/* Write the canvas as text, one line per row, trailing blanks trimmed. */
void canvas_dump(const struct canvas *c, FILE *f);
/* The canvas as text in a new string (as canvas_dump); the caller frees it. */
char *canvas_to_string(const struct canvas *c);

#endif
