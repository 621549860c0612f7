/*
 * pidsim.c - the command line over the three public headers:
 *   run FILE          a scenario on one design or all of them, side by side
 *   designs           the designs, what they are and the limits they record
 *   fmt FILE          a scenario checked and printed in canonical form
 *   image show IMAGE  a checkpoint image checked and printed as text
 *   checkpoint FILE LABEL OUT
 *                     the checkpoint image a scenario's run took, to a file
 *   restore IMAGE     a checkpoint image restored on a fresh kernel image
 *                     of each design
 *
 * Results go to stdout, errors to stderr.  Exit status: 0 the scenario
 * passed, 1 a contract violation or a failed expect, 2 a usage error, a
 * file that cannot be read or parsed, output that cannot be written (every
 * command: stdout is flushed and closed before exit), or no memory.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim.h"
#include "pidsim_image.h"
#include "pidsim_scenario.h"

#define MAX_FILE (64u << 20)	/* bytes read from a scenario file */

enum {
	EXIT_PASS = 0,
	EXIT_FAILED = 1,	/* a violation or a failed expect */
	EXIT_USAGE = 2,		/* usage, file, parse or write error */
	EXIT_BUDGET = 3,	/* the task budget refused a statement */
	EXIT_TIMEOUT = 4,	/* the time limit stopped the run */
};

#define MAX_TIMEOUT 1000000	/* seconds: --timeout 1..MAX_TIMEOUT */
#define STR(x) #x
#define XSTR(x) STR(x)

static const char usage[] =
"usage: pidsim run FILE [--design NAME|all] [--stats] [--max-tasks N]\n"
"                  [--timeout S]\n"
"       pidsim designs\n"
"       pidsim fmt FILE\n"
"       pidsim image show IMAGE\n"
"       pidsim checkpoint FILE LABEL OUT [--design NAME]\n"
"       pidsim restore IMAGE [--design NAME|all] [--into] [--pid-max N]\n"
"       pidsim --help | pidsim run --help\n"
"\n"
"pidsim is a userspace model of a kernel task table with several pid\n"
"designs behind one interface (PID virtualization, PID spaces, ...).  A\n"
"scenario file writes a case down once; pidsim runs it on every design and\n"
"shows, side by side, what each design answers and what it cost.\n"
"\n"
"commands:\n"
"  run FILE     run a scenario (FILE '-' reads stdin); see 'pidsim run --help'\n"
"  designs      list the designs, what they are and the limits they record\n"
"  fmt FILE     check a scenario and print it in canonical form\n"
"  image show IMAGE\n"
"               check a checkpoint image and print it as text\n"
"  checkpoint FILE LABEL OUT\n"
"               run the scenario FILE on one design (default: the first)\n"
"               and write the image its 'checkpoint ... -> LABEL' took to\n"
"               OUT, for 'pidsim restore' in another process\n"
"  restore IMAGE\n"
"               restore an image on a fresh kernel image of each design\n"
"               (--into: into the host container, each task asking for\n"
"               its old number) and show what came back\n"
"\n"
"exit status: 0 passed, 1 a contract violation or a failed expect,\n"
"2 a usage, file or parse error, or output that could not be written,\n"
"3 the task budget refused a statement (run --max-tasks), 4 the run timed\n"
"out (run --timeout).  The language: docs/scenarios.md.\n";

static const char run_usage_head[] =
"usage: pidsim run FILE [--design NAME|all] [--stats] [--max-tasks N]\n"
"                  [--timeout S]\n"
"\n"
"Run the scenario in FILE ('-': stdin) on one kernel image per design.\n"
"\n"
"  --design NAME   only that design: a transcript, one line per statement:\n"
"                  the statement (its first argument is the task whose view\n"
"                  it runs in) and what came back: pids as NUMBER(LABEL),\n"
"                  an errno name, and {died ...; gone ...} for the tasks it\n"
"                  killed or released\n"
"  --design all    every design (the default), side by side; a cell unlike\n"
"                  the first design's ends in '*' and the row says why:\n"
"                  '~' allowed by the contract (host view, stored owners,\n"
"                  a recorded limit, renumbering), '!' a violation\n"
"  --stats         each statement's cost per design: lookups, pid\n"
"                  conversions, hash probes, bytes allocated; and totals\n"
"  --max-tasks N   the task budget, 1..2147483647 (default "
XSTR(PIDSIM_SC_MAX_TASKS_DEFAULT) "):\n"
"                  no statement may leave a kernel image with more than N\n"
"                  tasks, nor a design's checkpoint images hold more than\n"
"                  N together; one that would gives E2BIG ([limit:\n"
"                  max_tasks N]), nothing changes, and the file runs on\n"
"                  (exit 3, and the first line it refused on stderr)\n"
"  --timeout S     stop the run after S seconds (1.." XSTR(MAX_TIMEOUT) "), between\n"
"                  statements or inside churn; the transcript keeps every\n"
"                  line before the one it stopped at (exit 4, that line\n"
"                  on stderr)\n"
"\n"
"A small run prints its transcript as one table when it ends; a large one\n"
"(" XSTR(PIDSIM_SC_STREAM_WORK) " tasks forked, listed, checkpointed or restored, or more)\n"
"prints each row as its statement finishes, so that a kill keeps every\n"
"row before it; a column that widens then repeats the header.\n"
"\n"
"A scenario, one statement a line ('#' starts a comment):\n"
"\n"
"  kernel pid_max 5000          # boot the image 'host' (optional)\n"
"  fork host newpid -> c1       # host forks c1, init of a new container\n"
"  fork c1 -> a                 # c1 forks a inside it\n"
"  getpid a\n"
"  expect a                     # the result names a, on every design\n"
"  expect @!renumbers 2         # ... and is pid 2 where numbers are cyclic\n"
"  ps host\n"
"  expect @host-sees-all [host c1 a]\n"
"  expect @!host-sees-all [host c1]\n"
"  kill host c1:a KILL          # qualified address: a as c1's view numbers it\n"
"  wait c1 any\n"
"  expect a killed KILL\n"
"\n";

static const char run_usage_tail[] =
"\n"
"exit status: 0 passed, 1 a violation or a failed expect, 2 a usage, file\n"
"or parse error (FILE:LINE:COLUMN: what was expected; nothing is run) or\n"
"output that could not be written, 3 over the task budget, 4 timed out.\n";

/* run --help: the statement list from the parser's own table. */
static void print_run_usage(FILE *f)
{
	size_t col = 12;

	fputs(run_usage_head, f);
	fputs("statements:", f);
	for (int kind = 0; kind < PIDSIM_SC_NR_KINDS; kind++) {
		const char *name = pidsim_sc_kind_name((enum pidsim_sc_kind)kind);

		if (col + 1 + strlen(name) > 72) {
			fputs("\n ", f);
			col = 1;
		}
		fprintf(f, " %s", name);
		col += 1 + strlen(name);
	}
	fputs(";\ndocs/scenarios.md has the grammar.\n", f);
	fputs(run_usage_tail, f);
}

/* Read from f into *b (room *cap, growing as the bytes come, never past
 * want) until n is want or the end: the new n, or -ENOMEM. */
static long read_upto(FILE *f, unsigned char **b, size_t *cap, size_t n, size_t want)
{
	while (n < want) {
		size_t got;

		if (n == *cap) {
			size_t c = *cap < want / 2 ? 2 * *cap : want;
			unsigned char *p = realloc(*b, c);

			if (!p)
				return -ENOMEM;
			*b = p;
			*cap = c;
		}
		got = fread(*b + n, 1, (*cap < want ? *cap : want) - n, f);
		n += got;
		if (!got)
			break;
	}
	return (long)n;
}

/* An input file, or stdin for "-"; NULL with a message. */
static FILE *open_input(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");

	if (!f)
		fprintf(stderr, "pidsim: %s: %s\n", path, strerror(errno));
	return f;
}

static void close_input(FILE *f)
{
	if (f != stdin)
		fclose(f);
}

/* Read a whole scenario file, or stdin for "-", at most MAX_FILE bytes.
 * NULL with a message on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = open_input(path);
	size_t cap = 1 << 16;
	unsigned char *buf;
	long n = -ENOMEM;
	bool ok = false;

	if (!f)
		return NULL;
	buf = malloc(cap);
	if (buf)
		n = read_upto(f, &buf, &cap, 0, (size_t)MAX_FILE + 1);
	if (n < 0)
		fprintf(stderr, "pidsim: %s: out of memory\n", path);
	else if (n > (long)MAX_FILE)
		fprintf(stderr, "pidsim: %s: file too large (at most 64 MiB)\n", path);
	else if (ferror(f))
		fprintf(stderr, "pidsim: %s: read error\n", path);
	else
		ok = true;
	close_input(f);
	if (!ok) {
		free(buf);
		return NULL;
	}
	*len = (size_t)n;
	return (char *)buf;
}

/* Read and parse FILE; NULL after printing FILE:LINE:COL: message. */
static struct pidsim_scenario *load(const char *path)
{
	struct pidsim_scenario *sc = NULL;
	struct pidsim_sc_error err;
	size_t len;
	char *text = read_file(path, &len);
	int ret;

	if (!text)
		return NULL;
	ret = pidsim_sc_parse(text, len, &sc, &err);
	free(text);
	if (ret == -ENOMEM)
		fprintf(stderr, "pidsim: %s: out of memory\n", path);
	else if (ret)
		fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.col, err.msg);
	return ret ? NULL : sc;
}

/* ---- Commands ------------------------------------------------------------- */

/* Say once that stdout could not be written, and why (err: an errno, or 0). */
static bool stdout_said;

static void stdout_failed(int err)
{
	if (stdout_said)
		return;
	stdout_said = true;
	fprintf(stderr, "pidsim: standard output: %s\n", strerror(err ? err : EIO));
}

/* ---- Options -------------------------------------------------------------- */

/* Whether argv[*i] is option name, as "NAME VALUE" or "NAME=VALUE"; then
 * *value is the value (NULL when it is missing) and *i its index. */
static bool option(int argc, char **argv, int *i, const char *name,
		   const char **value)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return false;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return true;
	}
	if (argv[*i][n] != '\0')
		return false;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

/* A numeric option's value: the whole string, a decimal number in
 * lo..hi.  0, or EXIT_USAGE after saying why, naming the option. */
static int parse_num(const char *cmd, const char *name, const char *s, long lo,
		     long hi, long *out)
{
	const char *digits = s && s[0] == '-' ? s + 1 : s;
	char *end;
	long v;

	if (!s) {
		fprintf(stderr, "pidsim %s: %s needs a number (%ld..%ld)\n", cmd,
			name, lo, hi);
		return EXIT_USAGE;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)digits[0]) || *end) {
		fprintf(stderr, "pidsim %s: %s '%s': not a number (%ld..%ld)\n", cmd,
			name, s, lo, hi);
		return EXIT_USAGE;
	}
	if (errno == ERANGE || v < lo || v > hi) {
		fprintf(stderr, "pidsim %s: %s '%s': out of range (%ld..%ld)\n", cmd,
			name, s, lo, hi);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static void print_flags(unsigned flags)
{
	bool any = false;

	for (unsigned bit = 1; bit; bit <<= 1) {
		if ((flags & bit) && pidsim_flag_name(bit)) {
			printf("%s%s", any ? " " : "", pidsim_flag_name(bit));
			any = true;
		}
	}
	printf("%s\n", any ? "" : "(none)");
}

static int cmd_designs(void)
{
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		printf("%s\n  %s\n", d->name, d->summary);
		printf("  lookup:     %s\n  conversion: %s\n", d->lookup, d->conversion);
		printf("  limits:     %s %d (deeper: %s), %s ",
		       pidsim_limit_name(PIDSIM_LIMIT_MAX_LEVEL), d->max_level,
		       pidsim_errname(d->level_errno),
		       pidsim_limit_name(PIDSIM_LIMIT_MAX_CONTAINERS));
		if (d->max_containers)
			printf("%u", d->max_containers);
		else
			printf("unlimited");
		printf(", %s %d", pidsim_limit_name(PIDSIM_LIMIT_MAX_PID_MAX),
		       d->max_pid_max);
		if (d->min_ct_pid_max)
			printf(", %s %d (below: EAGAIN in a container)",
			       pidsim_limit_name(PIDSIM_LIMIT_MIN_CT_PID_MAX),
			       d->min_ct_pid_max);
		printf("\n  flags:      ");
		print_flags(d->flags);
	}
	printf("\nflags: an expect can select designs by name or by flag "
	       "(@vpid, @host-sees-all, @!renumbers)\n");
	return EXIT_PASS;
}

static int cmd_fmt(int argc, char **argv)
{
	struct pidsim_scenario *sc;
	int ret;

	if (argc != 3) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	sc = load(argv[2]);
	if (!sc)
		return EXIT_USAGE;
	ret = pidsim_sc_write(sc, stdout) ? EXIT_USAGE : EXIT_PASS;
	pidsim_sc_free(sc);
	return ret;
}

/* run FILE [--design NAME|all] [--stats] [--max-tasks N] [--timeout S],
 * options in any order. */
static int parse_run_args(int argc, char **argv, const char **file,
			  struct pidsim_sc_opts *opts)
{
	for (int i = 2; i < argc; i++) {
		const char *v;
		long n;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_run_usage(stdout);
			return EXIT_PASS;
		} else if (strcmp(argv[i], "--stats") == 0) {
			opts->flags |= PIDSIM_SC_STATS;
		} else if (option(argc, argv, &i, "--design", &v)) {
			if (!v || !*v) {
				fprintf(stderr, "pidsim run: --design needs a name, or all\n");
				return EXIT_USAGE;
			}
			opts->design = v;
		} else if (option(argc, argv, &i, "--max-tasks", &v)) {
			if (parse_num("run", "--max-tasks", v, 1, INT_MAX, &n))
				return EXIT_USAGE;
			opts->max_tasks = (unsigned)n;
		} else if (option(argc, argv, &i, "--timeout", &v)) {
			if (parse_num("run", "--timeout", v, 1, MAX_TIMEOUT, &n))
				return EXIT_USAGE;
			opts->timeout_ms = (unsigned long)n * 1000;
		} else if (argv[i][0] == '-' && argv[i][1] && !*file) {
			fprintf(stderr, "pidsim run: unknown option '%s'\n", argv[i]);
			return EXIT_USAGE;
		} else if (!*file) {
			*file = argv[i];
		} else {
			fprintf(stderr, "pidsim run: one FILE only ('%s'?)\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (*file)
		return -1;
	print_run_usage(stderr);
	return EXIT_USAGE;
}

/* What the limits of a run stopped, on stderr: the line, and how to
 * give the run more. */
static void say_limits(const char *file, const struct pidsim_sc_summary *sum,
		       const struct pidsim_sc_opts *opts)
{
	if (sum->over_budget)
		fprintf(stderr, "pidsim run: %s:%u: over the task budget: the statement "
			"would have left more than %u tasks on a kernel image (or in "
			"the checkpoint images a design's run keeps), so it gave E2BIG%s "
			"(--max-tasks N raises the budget)\n", file, sum->budget_line,
			sum->max_tasks, sum->over_budget > 1 ?
			", as did later statements" : "");
	if (sum->stopped_line)
		fprintf(stderr, "pidsim run: %s:%u: timed out (--timeout %lu): the run "
			"stopped before this line finished; the transcript holds every "
			"line before it\n", file, sum->stopped_line, opts->timeout_ms / 1000);
}

static int cmd_run(int argc, char **argv)
{
	struct pidsim_sc_opts opts = { .design = "all" };
	const char *file = NULL;
	struct pidsim_sc_summary sum;
	struct pidsim_scenario *sc;
	int ret = parse_run_args(argc, argv, &file, &opts);

	if (ret >= 0)
		return ret;
	if (strcmp(opts.design, "all") != 0 && !pidsim_design_find(opts.design)) {
		fprintf(stderr, "pidsim run: unknown design '%s' ('pidsim designs' "
			"lists them)\n", opts.design);
		return EXIT_USAGE;
	}
	sc = load(file);
	if (!sc)
		return EXIT_USAGE;
	printf("== %s\n", file);
	ret = pidsim_sc_run_opts(sc, &opts, stdout, &sum);
	if (ret == -EIO)
		stdout_failed(errno);
	pidsim_sc_free(sc);
	if (ret && ret != -ETIMEDOUT) {
		if (ret != -EIO)
			fprintf(stderr, "pidsim run: %s\n", ret == -ENOMEM ?
				"out of memory" : pidsim_errname(ret));
		return EXIT_USAGE;
	}
	say_limits(file, &sum, &opts);
	if (sum.stopped_line)
		return EXIT_TIMEOUT;
	if (sum.over_budget)
		return EXIT_BUDGET;
	return sum.violations || sum.failed ? EXIT_FAILED : EXIT_PASS;
}

/* ---- Images (pidsim_image.h, docs/image-format.md) ------------------------ */

/* Print why path is no image: the error's words, its name, the reason. */
static void image_error(const char *path, int err, const char *why)
{
	fprintf(stderr, "pidsim: %s: %s (%s): %s\n", path, pidsim_image_strerror(err),
		pidsim_errname(err), why);
}

/*
 * Read an image file, or stdin for "-": the header first, so that a file
 * that is no image (/dev/zero) or states more than the format allows is
 * refused after 64 bytes; then no more than the size the header states
 * (and one byte, to see any past the end).  0, or an errno with a
 * message printed.
 */
static int read_image(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = open_input(path);
	size_t cap = 1 << 16;
	unsigned char *b = NULL;
	uint64_t size;
	char why[256];
	long n = 0;
	int err = 0;

	if (!f)
		return -ENOENT;
	b = malloc(cap);
	if (b)
		n = read_upto(f, &b, &cap, 0, PIDSIM_IMAGE_HEADER_SIZE);
	if (b && n == PIDSIM_IMAGE_HEADER_SIZE) {
		err = pidsim_image_header(b, (size_t)n, &size, why, sizeof why);
		if (err)
			image_error(path, err, why);
		else
			n = read_upto(f, &b, &cap, (size_t)n, (size_t)size + 1);
		if (!err && n > (long)size) {
			err = -EBADMSG;
			snprintf(why, sizeof why, "bytes past the end of the image "
				 "(its header states %llu)", (unsigned long long)size);
			image_error(path, err, why);
		}
	}
	if (!b || n < 0) {
		err = -ENOMEM;
		fprintf(stderr, "pidsim: %s: out of memory\n", path);
	} else if (!err && ferror(f)) {
		err = -EIO;
		fprintf(stderr, "pidsim: %s: read error\n", path);
	}
	close_input(f);
	if (err) {
		free(b);
		return err;
	}
	*buf = b;
	*len = (size_t)n;
	return 0;
}

/* Read and check an image; NULL after printing why it is not one. */
static struct pidsim_image *load_image(const char *path, unsigned char **buf,
				       size_t *len)
{
	struct pidsim_image *img;
	char why[256];
	int err;

	if (read_image(path, buf, len))
		return NULL;
	err = pidsim_image_decode(*buf, *len, &img, why, sizeof why);
	if (!err)
		return img;
	image_error(path, err, why);
	free(*buf);
	return NULL;
}

static int cmd_image(int argc, char **argv)
{
	struct pidsim_image *img;
	unsigned char *buf;
	size_t len;

	if (argc != 4 || strcmp(argv[2], "show") != 0) {
		fputs("usage: pidsim image show IMAGE\n", stderr);
		return EXIT_USAGE;
	}
	img = load_image(argv[3], &buf, &len);
	if (!img)
		return EXIT_USAGE;
	pidsim_image_print(stdout, img);
	pidsim_image_destroy(img);
	free(buf);
	return EXIT_PASS;
}

/* How many numbers inside the tree the restored copy (a checkpoint of it)
 * has that the image had too and that differ. */
static unsigned numbers_changed(const struct pidsim_image *a,
				const struct pidsim_image *b)
{
	unsigned changed = 0;

	for (uint32_t i = 0; i < a->nr_tasks && i < b->nr_tasks; i++)
		for (unsigned j = 0; j < a->tasks[i].nr_numbers &&
				     j < b->tasks[i].nr_numbers; j++)
			changed += a->tasks[i].numbers[j] && b->tasks[i].numbers[j] &&
				   a->tasks[i].numbers[j] != b->tasks[i].numbers[j];
	return changed;
}

/* Restore img on a fresh image of one design and show the tree as it came
 * back: 0 restored or refused on a limit the design records, 1 refused
 * otherwise (with the reason). */
static int restore_on(const struct pidsim_design_info *d, const unsigned char *buf,
		      size_t len, const struct pidsim_image *img, bool into,
		      int pid_max)
{
	unsigned what = img->flags & PIDSIM_IMAGE_TREE ? PIDSIM_CKPT_TREE
						       : PIDSIM_CKPT_CONTAINER;
	struct pidsim_tree tree = { 0 };
	struct pidsim_image *back = NULL;
	pidsim_tid root, host;
	pidsim_kernel *k;
	void *again = NULL;
	size_t alen;
	int ret;

	printf("== %s\n", d->name);
	ret = pidsim_kernel_create(d->name, pid_max, &k);
	if (ret) {
		printf("cannot boot (pid_max %d): %s\n", pid_max, pidsim_errname(ret));
		return 1;
	}
	host = pidsim_host_init(k);
	tree.cap = 1;
	tree.dst = &root;
	ret = pidsim_restore(k, buf, len, host, into ? PIDSIM_RESTORE_INTO
						     : PIDSIM_RESTORE_CONTAINER, &tree);
	if (ret < 0) {
		enum pidsim_limit limit = pidsim_limit_hit(k);

		printf("refused: %s", pidsim_errname(ret));
		if (limit)
			printf(" (a limit the design records: %s)",
			       pidsim_limit_name(limit));
		printf("\n");
		pidsim_kernel_destroy(k);
		return limit ? 0 : 1;
	}
	printf("restored %s: %zu tasks, the top is %d in the host's view\n",
	       into ? "into the host container" : "as a container", tree.nr_tasks, ret);
	ret = pidsim_checkpoint(k, host, into || what == PIDSIM_CKPT_TREE ? root
						 : tree.top, what, &again, &alen, NULL);
	if (!ret)
		ret = pidsim_image_decode(again, alen, &back, NULL, 0);
	if (!ret) {
		unsigned n = numbers_changed(img, back);

		pidsim_image_print(stdout, back);
		if (n)
			printf("%u numbers inside the tree differ from the image's\n", n);
		else
			printf("every number inside the tree is the image's\n");
	} else {
		printf("cannot show it: %s\n", pidsim_errname(ret));
	}
	pidsim_image_destroy(back);
	pidsim_image_free(again);
	pidsim_kernel_destroy(k);
	return ret ? 1 : 0;
}

/* Write len bytes to path, or stdout for "-", every write, the flush and
 * the close checked: 0, or an errno. */
static int write_out(const char *path, const void *buf, size_t len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int err = 0;

	if (!f)
		return errno ? errno : EIO;
	if (fwrite(buf, 1, len, f) != len || fflush(f) || ferror(f))
		err = errno ? errno : EIO;
	if (f != stdout && fclose(f) && !err)
		err = errno ? errno : EIO;
	return err;
}

/* checkpoint FILE LABEL OUT [--design NAME] */
static int cmd_checkpoint(int argc, char **argv)
{
	const char *arg[3] = { NULL, NULL, NULL };
	const char *design = pidsim_design_at(0)->name;
	struct pidsim_scenario *sc;
	struct pidsim_sc_summary sum;
	size_t n = 0, len;
	void *buf;
	int ret;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--design") == 0 && i + 1 < argc)
			design = argv[++i];
		else if (n < 3)
			arg[n++] = argv[i];
		else
			n = 4;
	}
	if (n != 3 || !pidsim_design_find(design)) {
		fputs("usage: pidsim checkpoint FILE LABEL OUT [--design NAME]\n", stderr);
		return EXIT_USAGE;
	}
	sc = load(arg[0]);
	if (!sc)
		return EXIT_USAGE;
	ret = pidsim_sc_run_image(sc, design, arg[1], &buf, &len, &sum);
	pidsim_sc_free(sc);
	if (ret) {
		fprintf(stderr, "pidsim checkpoint: %s: %s\n", arg[0],
			ret == -ENOENT ? "no such image label ('checkpoint ... -> LABEL')" :
			ret == -ESRCH ? "that checkpoint failed on this design" :
			pidsim_errname(ret));
		return ret == -ESRCH ? EXIT_FAILED : EXIT_USAGE;
	}
	ret = write_out(arg[2], buf, len);
	if (ret) {
		fprintf(stderr, "pidsim checkpoint: %s: %s\n", arg[2], strerror(ret));
		pidsim_image_free(buf);
		return EXIT_USAGE;
	}
	fprintf(stderr, "pidsim: %s: %zu bytes from %s\n", arg[2], len, design);
	pidsim_image_free(buf);
	return sum.violations || sum.failed ? EXIT_FAILED : EXIT_PASS;
}

/* restore IMAGE [--design NAME|all] [--into] [--pid-max N] */
static int cmd_restore(int argc, char **argv)
{
	const char *file = NULL, *design = "all";
	struct pidsim_image *img;
	unsigned char *buf;
	bool into = false;
	int pid_max = 0, failed = 0;
	size_t len;

	for (int i = 2; i < argc; i++) {
		const char *v;
		long n;

		if (strcmp(argv[i], "--design") == 0 && i + 1 < argc) {
			design = argv[++i];
		} else if (strcmp(argv[i], "--into") == 0) {
			into = true;
		} else if (option(argc, argv, &i, "--pid-max", &v)) {
			if (parse_num("restore", "--pid-max", v, 2, PIDSIM_PID_MAX_LIMIT, &n))
				return EXIT_USAGE;
			pid_max = (int)n;
		} else if (!file && (argv[i][0] != '-' || !argv[i][1])) {
			file = argv[i];
		} else {
			file = NULL, i = argc;
		}
	}
	if (!file || (strcmp(design, "all") != 0 && !pidsim_design_find(design))) {
		fputs("usage: pidsim restore IMAGE [--design NAME|all] [--into] "
		      "[--pid-max N]\n", stderr);
		return EXIT_USAGE;
	}
	img = load_image(file, &buf, &len);
	if (!img)
		return EXIT_USAGE;
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		if (strcmp(design, "all") == 0 || strcmp(design, d->name) == 0)
			failed |= restore_on(d, buf, len, img, into, pid_max);
	}
	pidsim_image_destroy(img);
	free(buf);
	return failed ? EXIT_FAILED : EXIT_PASS;
}

/* Whatever the command printed must have reached stdout: a full disk or
 * a closed pipe is an error (exit 2), not a silent success. */
static int close_stdout(int ret)
{
	int err = 0;

	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		err = errno ? errno : EIO;
	if (fclose(stdout) && !err)
		err = errno ? errno : EIO;
	if (!err && !stdout_said)
		return ret;
	stdout_failed(err);
	return EXIT_USAGE;
}

static int dispatch(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd && (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
		    strcmp(cmd, "help") == 0)) {
		fputs(usage, stdout);
		return EXIT_PASS;
	}
	if (cmd && strcmp(cmd, "run") == 0)
		return cmd_run(argc, argv);
	if (cmd && strcmp(cmd, "designs") == 0 && argc == 2)
		return cmd_designs();
	if (cmd && strcmp(cmd, "fmt") == 0)
		return cmd_fmt(argc, argv);
	if (cmd && strcmp(cmd, "image") == 0)
		return cmd_image(argc, argv);
	if (cmd && strcmp(cmd, "restore") == 0)
		return cmd_restore(argc, argv);
	if (cmd && strcmp(cmd, "checkpoint") == 0)
		return cmd_checkpoint(argc, argv);
	if (cmd)
		fprintf(stderr, "pidsim: unknown command '%s'\n", cmd);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	return close_stdout(dispatch(argc, argv));
}
