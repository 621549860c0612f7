/* tsv.c - reading the bench's TSV files back (see tsv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

const char *tsv_get(const struct tsv_row *r, const char *name)
{
	for (int i = 0; i < r->ncols; i++)
		if (!strcmp(r->col[i], name))
			return r->field[i];
	return NULL;
}

/* Split line (changed in place) at tabs into at most max fields. */
static int split(char *line, char **out, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		out[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = 0;
	}
	return n;
}

int tsv_read(const char *path, void (*each)(void *ctx, const struct tsv_row *r),
	     void *ctx)
{
	FILE *f = fopen(path, "r");
	static char empty[1];
	char head[4096], line[8192];
	struct tsv_row r = { .path = path };
	int rows = 0, lineno = 0;

	if (!f)
		return -1;
	while (fgets(head, sizeof head, f) && ++lineno && head[0] == '#')
		;
	if (feof(f) || head[0] == '#') {
		fclose(f);
		return -1;
	}
	r.ncols = split(head, r.col, TSV_MAX_COLS);
	while (fgets(line, sizeof line, f)) {
		int n = split(line, r.field, TSV_MAX_COLS);

		r.line = ++lineno;
		if (line[0] == '#' || (n == 1 && !line[0]))
			continue;
		for (int i = n; i < r.ncols; i++)
			r.field[i] = empty;
		each(ctx, &r);
		rows++;
	}
	fclose(f);
	return rows;
}
