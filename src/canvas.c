/*
 * canvas: cells in memory.  Every drawing call clips to the canvas, so views
 * can lay out without checking bounds; text is decoded from UTF-8 into one
 * code point per cell (invalid bytes become '?').
 */
#include "canvas.h"
#include "fmt.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Glyphs: UTF-8 art and the ASCII fallback, by enum canvas_glyph.  Each
 * meaning has one glyph: a core's busy share uses the run glyph at the top
 * and the lowest level for idle, never a task state's or the pause's; the
 * share other programs kept it busy is dotted (braille dots rising), in
 * ASCII four marks of their own. */
static const uint32_t glyph_utf8[CG_NGLYPHS] = {
	[CG_NEW] = ' ', [CG_RUN] = 0x2588, [CG_READY] = 0x2592, [CG_LOCK] = 0x2261,
	[CG_IO] = '~', [CG_DONE] = 0x00b7, [CG_FAILED] = 0x2717,
	[CG_BAR_FULL] = 0x2588, [CG_BAR_EMPTY] = 0x2581,
	[CG_HLINE] = 0x2500, [CG_VLINE] = 0x2502, [CG_TICK] = 0x253c, [CG_MARK] = 0x25bc,
	[CG_SPARK0] = 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588,
	[CG_OTHER0] = 0x2840, 0x28c0, 0x28c4, 0x28e4, 0x28e6, 0x28f6, 0x28f7, 0x28ff,
};
static const uint32_t glyph_ascii[CG_NGLYPHS] = {
	[CG_NEW] = ' ', [CG_RUN] = '#', [CG_READY] = '+', [CG_LOCK] = '=',
	[CG_IO] = '~', [CG_DONE] = '.', [CG_FAILED] = 'X',
	[CG_BAR_FULL] = '#', [CG_BAR_EMPTY] = '_',
	[CG_HLINE] = '-', [CG_VLINE] = '|', [CG_TICK] = ':', [CG_MARK] = 'v',
	[CG_SPARK0] = '_', ',', ';', 'i', 'o', 'O', '@', '#',
	[CG_OTHER0] = '\'', '\'', '"', '"', '*', '*', '%', '%',
};

struct canvas *
canvas_create(int w, int h, bool ascii)
{
	struct canvas *c = xcalloc(1, sizeof *c);

	c->ascii = ascii;
	canvas_resize(c, w, h);
	return c;
}

void
canvas_destroy(struct canvas *c)
{
	if (c == NULL)
		return;
	free(c->cells);
	free(c);
}

void
canvas_resize(struct canvas *c, int w, int h)
{
	c->w = w < 1 ? 1 : w;
	c->h = h < 1 ? 1 : h;
	free(c->cells);
	c->cells = xcalloc((size_t)c->w * (size_t)c->h, sizeof *c->cells);
	canvas_clear(c);
}

void
canvas_clear(struct canvas *c)
{
	for (int i = 0; i < c->w * c->h; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].color = CC_DEFAULT;
		c->cells[i].attr = 0;
	}
}

struct canvas_cell *
canvas_cell(struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

void
canvas_put(struct canvas *c, int x, int y, uint32_t ch, int color, int attr)
{
	struct canvas_cell *cell = canvas_cell(c, x, y);

	if (cell == NULL)
		return;
	cell->ch = ch;
	cell->color = (uint8_t)color;
	cell->attr = (uint8_t)attr;
}

void
canvas_fill(struct canvas *c, int x, int y, int w, int h, uint32_t ch, int color,
    int attr)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++)
			canvas_put(c, i, j, ch, color, attr);
}

/* Decode one UTF-8 sequence at s; the code point, and *len the bytes used. */
static uint32_t
utf8_next(const unsigned char *s, int *len)
{
	uint32_t cp;
	int n;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return '?';
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*len = i;
			return '?';
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*len = n;
	return cp;
}

/* The ASCII spelling of a character text may hold (µs as us, … as .),
 * else '?'. */
static uint32_t
ascii_of(uint32_t cp)
{
	switch (cp) {
	case 0x00b5: case 0x03bc: return 'u';	/* micro */
	case 0x2026: return FMT_CUT_ASCII;
	case 0x00b7: return '.';
	case 0x2013: case 0x2014: case 0x2212: return '-';
	case 0x2192: return '>';
	case 0x2190: return '<';
	case 0x00d7: return 'x';
	case 0x2018: case 0x2019: return '\'';
	case 0x201c: case 0x201d: return '"';
	default: return '?';
	}
}

int
canvas_text(struct canvas *c, int x, int y, int maxw, const char *s, int color,
    int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	int col = 0, len;

	if (maxw < 0 || maxw > c->w - x)
		maxw = c->w - x;
	while (*p != '\0' && *p != '\n' && col < maxw) {
		uint32_t cp = utf8_next(p, &len);

		if (cp == '\t')
			cp = ' ';
		if (c->ascii && cp >= 0x80)
			cp = ascii_of(cp);
		canvas_put(c, x + col, y, cp, color, attr);
		col++;
		p += len;
	}
	/* Text cut by the width (or the canvas's edge) says so: its last
	 * column becomes the ellipsis, as fmt_cut writes it. */
	if (col > 0 && col == maxw && *p != '\0' && *p != '\n')
		canvas_put(c, x + col - 1, y, c->ascii ? FMT_CUT_ASCII : 0x2026, color, attr);
	return col;
}

int
canvas_printf(struct canvas *c, int x, int y, int maxw, int color, int attr,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return canvas_text(c, x, y, maxw, buf, color, attr);
}

uint32_t
canvas_glyph(const struct canvas *c, enum canvas_glyph g)
{
	if ((int)g < 0 || g >= CG_NGLYPHS)
		return '?';
	return c->ascii ? glyph_ascii[g] : glyph_utf8[g];
}

/* Columns of the word starting at s (up to a space or newline); a number
 * keeps the unit after it ("10.8 s"), so a line never ends between them. */
static int
word_cols(const char *s, int *bytes)
{
	int cols;

	*bytes = fmt_word(s, &cols);
	return cols;
}

int
canvas_wrap(struct canvas *c, int x, int y, int w, int h, const char *s, int color,
    int attr)
{
	int row = 0, col = 0, endcol = 0;

	if (w < 1 || h < 1)
		return 0;
	while (*s != '\0' && row < h) {
		int bytes, cols;

		if (*s == '\n') {
			endcol = col;
			row++;
			col = 0;
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			if (col > 0 && col < w)
				col++;
			continue;
		}
		cols = word_cols(s, &bytes);
		if (col > 0 && col + cols > w) {
			endcol = col;
			row++;
			col = 0;
			if (row >= h)
				break;
		}
		if (cols > w - col) {
			/* A word longer than the line: cut it. */
			canvas_text(c, x + col, y + row, w - col, s, color, attr);
			endcol = w - 1;
			row++;
			col = 0;
			s += bytes;
			continue;
		}
		{
			char word[512];
			int n = bytes < (int)sizeof word - 1 ? bytes : (int)sizeof word - 1;

			memcpy(word, s, (size_t)n);
			word[n] = '\0';
			col += canvas_text(c, x + col, y + row, w - col, word, color, attr);
		}
		s += bytes;
	}
	/* Text left over when the rows ran out says so: an ellipsis after the
	 * last row's last word (or in its last column). */
	while (*s == ' ' || *s == '\n')
		s++;
	if (*s != '\0' && row >= h) {
		int at = UTIL_MIN(endcol + 1, w - 1), b = at;
		struct canvas_cell *k = canvas_cell(c, x + at, y + h - 1);

		/* no room after the last word: the word goes, not its last
		 * letter ("share th..." for "share the cores") */
		while (k != NULL && k->ch != ' ' && b > 0 &&
		    canvas_cell(c, x + b - 1, y + h - 1)->ch != ' ')
			b--;
		if (k != NULL && k->ch != ' ' && b > 0) {
			canvas_fill(c, x + b, y + h - 1, w - b, 1, ' ', color, attr);
			at = b;
		}
		canvas_put(c, x + at, y + h - 1, c->ascii ? FMT_CUT_ASCII : 0x2026, color, attr);
	}
	return row + (col > 0 ? 1 : 0) > h ? h : row + (col > 0 ? 1 : 0);
}

int
canvas_utf8(uint32_t ch, char *buf)
{
	if (ch < 0x80) {
		buf[0] = (char)ch;
		buf[1] = '\0';
		return 1;
	}
	if (ch < 0x800) {
		buf[0] = (char)(0xc0 | ch >> 6);
		buf[1] = (char)(0x80 | (ch & 0x3f));
		buf[2] = '\0';
		return 2;
	}
	if (ch < 0x10000) {
		buf[0] = (char)(0xe0 | ch >> 12);
		buf[1] = (char)(0x80 | (ch >> 6 & 0x3f));
		buf[2] = (char)(0x80 | (ch & 0x3f));
		buf[3] = '\0';
		return 3;
	}
	buf[0] = (char)(0xf0 | ch >> 18);
	buf[1] = (char)(0x80 | (ch >> 12 & 0x3f));
	buf[2] = (char)(0x80 | (ch >> 6 & 0x3f));
	buf[3] = (char)(0x80 | (ch & 0x3f));
	buf[4] = '\0';
	return 4;
}

char *
canvas_to_string(const struct canvas *c)
{
	size_t cap = (size_t)c->w * (size_t)c->h * 4 + (size_t)c->h + 1, len = 0;
	char *out = xmalloc(cap);

	for (int y = 0; y < c->h; y++) {
		int last = c->w - 1;
		const struct canvas_cell *row = &c->cells[(size_t)y * (size_t)c->w];

		while (last >= 0 && row[last].ch == ' ')
			last--;
		for (int x = 0; x <= last; x++)
			len += (size_t)canvas_utf8(row[x].ch, out + len);
		out[len++] = '\n';
	}
	out[len] = '\0';
	return out;
}

void
canvas_dump(const struct canvas *c, FILE *f)
{
	char *s = canvas_to_string(c);

	fputs(s, f);
	free(s);
}
