/*
 * tsv.h - reading the bench's TSV files back: the timed run reads the
 * counting run's instructions (results.c), and paper-check reads the
 * committed results (paper_check.c).
 *
 * A file is '#' context lines, one header line naming the columns, then
 * rows of tab-separated fields.
 */
#ifndef BENCH_TSV_H
#define BENCH_TSV_H

#define TSV_MAX_COLS 32

struct tsv_row {
	const char *path;		/* the file, for messages */
	int line;			/* its line number */
	int ncols;
	char *col[TSV_MAX_COLS];	/* the header's names */
	char *field[TSV_MAX_COLS];	/* this row's fields ("" when short) */
};

/* The field under column name, or NULL when the file has no such column. */
const char *tsv_get(const struct tsv_row *r, const char *name);

/* Call each(ctx, row) for every row of path; -1 when it cannot be read
 * or has no header, else the number of rows. */
int tsv_read(const char *path, void (*each)(void *ctx, const struct tsv_row *r),
	     void *ctx);

#endif
