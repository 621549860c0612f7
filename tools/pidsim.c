/*
 * pidsim.c - the command line over the three public headers:
 *   run FILE          a scenario on one design, several, or all of them,
 *                     side by side (text, TSV or JSON)
 *   designs           the designs, what they are and the limits they record
 *   fmt FILE...       scenarios checked and printed in canonical form,
 *                     comments kept (--check: only say whether they are)
 *   image show IMAGE  a checkpoint image checked and printed as text
 *   checkpoint FILE LABEL OUT
 *                     the checkpoint image a scenario's run took, to a file
 *   restore IMAGE     a checkpoint image restored on a fresh kernel image
 *                     of each design
 *
 * Options are parsed strictly, in the manner of getopt_long: "--name
 * VALUE" or "--name=VALUE", anywhere among the operands, "--" ends them;
 * an unknown option or a missing value is named, a number is read whole
 * and range-checked, and each is a usage error.  Every command takes
 * --help.
 *
 * Results go to stdout, errors to stderr.  Exit status: 0 the scenario
 * passed, 1 a contract violation or a failed expect (fmt --check: a file
 * not in canonical form), 2 a usage error (with a short usage line), a
 * file that cannot be read or parsed, output that cannot be written (every
 * command: stdout is flushed and closed before exit), or no memory.
 */
#define _POSIX_C_SOURCE 200809L	/* fileno(), isatty() */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pidsim.h"
#include "pidsim_image.h"
#include "pidsim_scenario.h"

#define MAX_FILE (64u << 20)	/* bytes read from a scenario file */

enum {
	EXIT_PASS = 0,
	EXIT_FAILED = 1,	/* a violation, a failed expect; fmt --check:
				 * not canonical */
	EXIT_USAGE = 2,		/* usage, file, parse or write error */
	EXIT_BUDGET = 3,	/* the task budget refused a statement */
	EXIT_TIMEOUT = 4,	/* the time limit stopped the run */
};

#define MAX_TIMEOUT 1000000	/* seconds: --timeout 1..MAX_TIMEOUT */
#define DEFAULT_WIDTH 160	/* off a terminal */
#define MIN_WIDTH 20		/* --width MIN_WIDTH..MAX_WIDTH */
#define MAX_WIDTH 100000
#define STR(x) #x
#define XSTR(x) STR(x)

static const char usage_line[] =
"usage: pidsim COMMAND [OPTIONS] [ARGS]   ('pidsim --help' lists the commands)\n";

static const char help_text[] =
"usage: pidsim COMMAND [OPTIONS] [ARGS]\n"
"       pidsim --help | --version | COMMAND --help\n"
"\n"
"pidsim is a userspace model of a kernel task table with several pid\n"
"designs behind one interface (PID virtualization, PID spaces, ...).  A\n"
"scenario file writes a case down once; pidsim runs it on every design and\n"
"shows, side by side, what each design answers and what it cost.\n"
"\n"
"commands:\n"
"  run FILE     run a scenario (FILE '-' reads stdin) on every design, or\n"
"               those --design names; 'pidsim run --help' has the options\n"
"  designs      list the designs, what they are and the limits they record\n"
"  fmt FILE...  check scenarios and print them in canonical form, comments\n"
"               and blank lines kept (--check: exit 1 if one is not)\n"
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
"out (run --timeout).  The language: pidsim-scenario(5), docs/scenarios.md.\n";

static const char run_help_head[] =
"usage: pidsim run [OPTIONS] FILE\n"
"\n"
"Run the scenario in FILE ('-': stdin) on one kernel image per design.\n"
"\n"
"  --design LIST   the designs to run: a name ('pidsim designs' lists\n"
"                  them), names separated by commas (vpid,pidns: the\n"
"                  first is the reference), or all (the default)\n"
"                  With one design, a transcript: one line per statement:\n"
"                  the statement (its first argument is the task whose view\n"
"                  it runs in) and what came back: pids as NUMBER(LABEL), a\n"
"                  zombie's marked Z, an errno name, and {died ...; gone\n"
"                  ...} for the tasks it killed or released.  With several,\n"
"                  side by side: a cell unlike the reference's ends in '*'\n"
"                  and the row's note says why: '~' allowed by the\n"
"                  contract (the host's view, stored owners, a recorded\n"
"                  limit, renumbering), '!' a violation or a failed expect\n"
"  --format FMT    text (the default), tsv (a line per statement and\n"
"                  design) or json (one document: a record per statement\n"
"                  and design, its result, cell, class, reason and counters)\n"
"  --width N       text: lines of at most N columns (" XSTR(MIN_WIDTH) ".." XSTR(MAX_WIDTH) "); a long cell\n"
"                  wraps, beside other designs a very long one ends in\n"
"                  '+N more'; a note that does not fit goes under its row.\n"
"                  Default: the terminal's width, or " XSTR(DEFAULT_WIDTH) " when stdout is no\n"
"                  terminal\n"
"  --stats         text: each statement's cost per design: lookups, pid\n"
"                  conversions and pid-table probes, bytes allocated; and\n"
"                  totals (tsv and json always carry them)\n"
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
"  --help          this text\n"
"\n"
"A small run prints its transcript as one table when it ends; a large one\n"
"(" XSTR(PIDSIM_SC_STREAM_WORK) " tasks forked, listed, checkpointed or restored, or more)\n"
"prints each row as its statement finishes, so that a kill keeps every\n"
"row before it; a column that changes width then repeats the header.\n"
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

static const char run_help_tail[] =
"\n"
"exit status: 0 passed, 1 a violation or a failed expect, 2 a usage, file\n"
"or parse error (FILE:LINE:COLUMN: what was expected; nothing is run) or\n"
"output that could not be written, 3 over the task budget, 4 timed out.\n";

static const char designs_help[] =
"usage: pidsim designs\n"
"\n"
"List the designs compiled in, in the order the transcripts show them: what\n"
"each is, what a lookup and a conversion cost it, the limits it records,\n"
"its flags (what an expect's @FLAG selects), and the mechanisms the\n"
"transcripts' notes name.\n";

static const char fmt_help[] =
"usage: pidsim fmt [--check] FILE...\n"
"\n"
"Check each scenario FILE ('-': stdin) and print it in canonical form: each\n"
"statement as the transcript writes it (defaults written out, single\n"
"spaces), every comment and blank line kept, a comment after a statement\n"
"in column " XSTR(PIDSIM_SC_COMMENT_COL) " (or three spaces after a longer one), no trailing\n"
"blanks.  A file in canonical form comes back byte for byte.\n"
"\n"
"  --check   print nothing; for each file not in canonical form, say where\n"
"            it first differs on stderr; exit 1 if one is not\n"
"  --help    this text\n"
"\n"
"exit status: 0 every file is (or was printed) in canonical form, 1 --check\n"
"found one that is not, 2 a usage, file or parse error.\n";

static const char image_help[] =
"usage: pidsim image show IMAGE\n"
"\n"
"Check a checkpoint image ('-': stdin) field by field and print it as text\n"
"(the format: docs/image-format.md); a damaged, truncated, wrong-version or\n"
"oversized file is refused with the reason (exit 2).\n";

static const char checkpoint_help[] =
"usage: pidsim checkpoint [--design NAME] FILE LABEL OUT\n"
"\n"
"Run the scenario FILE on one design (default: the first 'pidsim designs'\n"
"lists) and write the image its 'checkpoint ... -> LABEL' took to OUT ('-':\n"
"stdout), for 'pidsim restore' or 'pidsim image show' in another process.\n"
"\n"
"  --design NAME   the design to run the scenario on\n"
"  --help          this text\n";

static const char restore_help[] =
"usage: pidsim restore [--design LIST] [--into] [--pid-max N] IMAGE\n"
"\n"
"Restore a checkpoint image ('-': stdin) under the host init of a fresh\n"
"kernel image of each design and print the tree as it came back.\n"
"\n"
"  --design LIST   the designs: a name, names separated by commas, or all\n"
"                  (the default)\n"
"  --into          into the host container, each task asking for its old\n"
"                  number, instead of as a new container\n"
"  --pid-max N     the fresh images' pid_max, 2..4194304 (default 32768)\n"
"  --help          this text\n"
"\n"
"exit status: 0 restored (or refused on a limit the design records) on\n"
"every design, 1 refused otherwise on one, 2 a usage error or an image\n"
"that is no image.\n";

/* run --help: the statement list from the parser's own table. */
static void print_run_help(FILE *f)
{
	size_t col = 12;

	fputs(run_help_head, f);
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
	fputs(";\npidsim-scenario(5) and docs/scenarios.md have the grammar.\n", f);
	fputs(run_help_tail, f);
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

/* An option a command takes: its name, and what its value is (for "NAME
 * needs ..."), NULL when it takes none. */
struct optdef {
	const char *name;
	const char *value;
};

#define MAX_OPTS 8
#define MAX_OPERANDS 4096

/* A command: its name, its usage line and help, its options, how many
 * operands it takes (max -1: any), and what it does. */
struct args;
struct command {
	const char *name;
	const char *synopsis;	/* after "usage: pidsim " */
	const char *help;	/* its --help; NULL: help_fn prints it */
	void (*help_fn)(FILE *f);
	struct optdef opts[MAX_OPTS];
	const char *operands;	/* what they are, for "missing ..." */
	int min_operands, max_operands;
	int (*run)(const struct command *cmd, const struct args *a);
};

/* A command line as parsed: each option's value ("" for one that takes
 * none) or NULL when not given (the last one given counts), the
 * operands. */
struct args {
	const char *value[MAX_OPTS];
	const char *operand[MAX_OPERANDS];
	int nr_operands;
};

/* A usage error: the message, then the command's usage line. */
static int usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pidsim%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nusage: pidsim %s   ('pidsim %s --help' for more)\n",
			cmd->synopsis, cmd->name);
	else
		fprintf(stderr, "\n%s", usage_line);
	return EXIT_USAGE;
}

static void print_help(const struct command *cmd, FILE *f)
{
	if (cmd->help_fn)
		cmd->help_fn(f);
	else
		fputs(cmd->help, f);
}

/* The option called arg (up to a '='), or -1. */
static int find_option(const struct command *cmd, const char *arg)
{
	size_t n = strcspn(arg, "=");

	for (int i = 0; i < MAX_OPTS && cmd->opts[i].name; i++)
		if (strlen(cmd->opts[i].name) == n && strncmp(cmd->opts[i].name, arg, n) == 0)
			return i;
	return -1;
}

/*
 * argv[first..argc) against cmd's options, in the manner of getopt_long:
 * "--name VALUE" or "--name=VALUE" anywhere among the operands, "--" ends
 * the options, "-" is an operand (stdin).  -1 and *a filled, or an exit
 * status: EXIT_PASS after --help (printed), EXIT_USAGE after saying
 * what is wrong: an unknown option, a missing value, a value given to an
 * option that takes none, too few or too many operands.
 */
static int parse_args(const struct command *cmd, int argc, char **argv, int first,
		      struct args *a)
{
	bool options = true;

	memset(a, 0, sizeof *a);
	for (int i = first; i < argc; i++) {
		const char *arg = argv[i], *eq;
		int o;

		if (options && strcmp(arg, "--") == 0) {
			options = false;
			continue;
		}
		if (!options || arg[0] != '-' || !arg[1]) {
			if (a->nr_operands == MAX_OPERANDS ||
			    (cmd->max_operands >= 0 && a->nr_operands == cmd->max_operands))
				return usage_error(cmd, "unexpected argument '%s'", arg);
			a->operand[a->nr_operands++] = arg;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			print_help(cmd, stdout);
			return EXIT_PASS;
		}
		o = find_option(cmd, arg);
		if (o < 0)
			return usage_error(cmd, "unknown option '%.*s'",
					   (int)strcspn(arg, "="), arg);
		eq = strchr(arg, '=');
		if (!cmd->opts[o].value) {
			if (eq)
				return usage_error(cmd, "%s takes no value", cmd->opts[o].name);
			a->value[o] = "";
			continue;
		}
		a->value[o] = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!a->value[o] || !a->value[o][0])
			return usage_error(cmd, "%s needs %s", cmd->opts[o].name,
					   cmd->opts[o].value);
	}
	if (a->nr_operands < cmd->min_operands) {
		const char *missing = cmd->operands;	/* past those given */

		for (int i = 0; i < a->nr_operands; i++)
			missing += strcspn(missing, " ") + (missing[strcspn(missing, " ")] != 0);
		return usage_error(cmd, "missing %s", missing);
	}
	return -1;
}

/* A numeric option's value: the whole string, a decimal number in
 * lo..hi.  0, or EXIT_USAGE after saying why, naming the option. */
static int parse_num(const struct command *cmd, const char *name, const char *s,
		     long lo, long hi, long *out)
{
	const char *digits = s[0] == '-' ? s + 1 : s;
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)digits[0]) || *end)
		return usage_error(cmd, "%s '%s': not a number (%ld..%ld)", name, s, lo, hi);
	if (errno == ERANGE || v < lo || v > hi)
		return usage_error(cmd, "%s '%s': out of range (%ld..%ld)", name, s, lo, hi);
	*out = v;
	return 0;
}

/* A --design value: a design's name, names separated by commas, or (when
 * all_ok) all.  0, or EXIT_USAGE after saying which name is wrong. */
static int check_designs(const struct command *cmd, const char *list, bool all_ok)
{
	const char *s = list;

	if (all_ok && strcmp(list, "all") == 0)
		return 0;
	for (;;) {
		size_t len = strcspn(s, ",");
		char name[64];

		if (!len)
			return usage_error(cmd, "--design '%s': an empty name", list);
		snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), s);
		if (all_ok && strcmp(name, "all") == 0)
			return usage_error(cmd, "--design '%s': all stands alone, not in "
					   "a list", list);
		if (len >= sizeof name || !pidsim_design_find(name))
			return usage_error(cmd, "unknown design '%.*s' ('pidsim designs' "
					   "lists them%s)", (int)len, s, all_ok ?
					   "; or all" : "");
		for (const char *t = list; t < s; t += strcspn(t, ",") + 1)
			if (strcspn(t, ",") == len && strncmp(t, s, len) == 0)
				return usage_error(cmd, "--design names '%s' twice", name);
		if (!s[len])
			return 0;
		if (!all_ok)
			return usage_error(cmd, "--design: one design only");
		s += len + 1;
	}
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

static int cmd_designs(const struct command *cmd, const struct args *a)
{
	(void)cmd;
	(void)a;
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
		printf("  host view:  %s\n", d->host_view);
		if (d->renumbering)
			printf("  numbers:    %s\n", d->renumbering);
	}
	printf("\nflags: an expect can select designs by name or by flag "
	       "(@vpid, @host-sees-all, @!renumbers)\n");
	return EXIT_PASS;
}

/* The line of text[0..len) that starts at start, into buf, without its
 * newline (LF or CRLF). */
static void line_at(const char *text, size_t len, size_t start, char *buf, size_t size)
{
	size_t n = 0;

	while (start + n < len && text[start + n] != '\n')
		n++;
	if (n && text[start + n - 1] == '\r')
		n--;
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), text + start);
}

/* Where two texts first differ: the line number, and that line of each. */
static unsigned first_difference(const char *a, size_t alen, const char *b,
				 size_t blen, char *aline, char *bline, size_t size)
{
	size_t i = 0, start = 0;
	unsigned line = 1;

	while (i < alen && i < blen && a[i] == b[i])
		if (a[i++] == '\n') {
			line++;
			start = i;
		}
	line_at(a, alen, start, aline, size);
	line_at(b, blen, start, bline, size);
	return line;
}

/* fmt [--check] FILE...: each file parsed, printed in canonical form, or
 * (--check) compared with it. */
static int cmd_fmt(const struct command *cmd, const struct args *a)
{
	bool check = a->value[0] != NULL;
	int ret = EXIT_PASS;

	(void)cmd;
	for (int i = 0; i < a->nr_operands; i++) {
		const char *path = a->operand[i];
		struct pidsim_sc_error err;
		size_t len, clen;
		char *text = read_file(path, &len), *canon;
		int r;

		if (!text)
			return EXIT_USAGE;
		r = pidsim_sc_fmt(text, len, &canon, &clen, &err);
		if (r == -ENOMEM)
			fprintf(stderr, "pidsim: %s: out of memory\n", path);
		else if (r)
			fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.col, err.msg);
		if (r) {
			free(text);
			return EXIT_USAGE;
		}
		if (!check) {
			fwrite(canon, 1, clen, stdout);
		} else if (clen != len || memcmp(canon, text, len) != 0) {
			char was[128], is[128];
			unsigned line = first_difference(text, len, canon, clen, was,
							 is, sizeof was);

			fprintf(stderr, "%s:%u: not in canonical form: '%s' (pidsim fmt "
				"writes '%s')\n", path, line, was, is);
			ret = EXIT_FAILED;
		}
		free(canon);
		free(text);
	}
	return ret;
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

/* The width of a text transcript: the terminal's when stdout is one,
 * else the default, so that what a file or a pipe gets does not depend on
 * the terminal it was run from. */
static unsigned terminal_width(void)
{
	struct winsize ws;

	if (isatty(fileno(stdout)) && ioctl(fileno(stdout), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= MIN_WIDTH)
		return ws.ws_col;
	return DEFAULT_WIDTH;
}

enum { RUN_DESIGN, RUN_FORMAT, RUN_WIDTH, RUN_STATS, RUN_MAX_TASKS, RUN_TIMEOUT };

/* The run's options from a command line: 0, or EXIT_USAGE after saying
 * what is wrong. */
static int run_opts(const struct command *cmd, const struct args *a,
		    struct pidsim_sc_opts *opts)
{
	const char *v;
	long n;

	if ((v = a->value[RUN_DESIGN]) && check_designs(cmd, v, true))
		return EXIT_USAGE;
	opts->design = v ? v : "all";
	if ((v = a->value[RUN_FORMAT])) {
		if (strcmp(v, "text") && strcmp(v, "tsv") && strcmp(v, "json"))
			return usage_error(cmd, "--format '%s': text, tsv or json", v);
		opts->output = strcmp(v, "tsv") == 0 ? PIDSIM_SC_TSV :
			       strcmp(v, "json") == 0 ? PIDSIM_SC_JSON : PIDSIM_SC_TEXT;
	}
	opts->width = terminal_width();
	if ((v = a->value[RUN_WIDTH])) {
		if (parse_num(cmd, "--width", v, MIN_WIDTH, MAX_WIDTH, &n))
			return EXIT_USAGE;
		opts->width = (unsigned)n;
	}
	if (a->value[RUN_STATS])
		opts->flags |= PIDSIM_SC_STATS;
	if ((v = a->value[RUN_MAX_TASKS])) {
		if (parse_num(cmd, "--max-tasks", v, 1, INT_MAX, &n))
			return EXIT_USAGE;
		opts->max_tasks = (unsigned)n;
	}
	if ((v = a->value[RUN_TIMEOUT])) {
		if (parse_num(cmd, "--timeout", v, 1, MAX_TIMEOUT, &n))
			return EXIT_USAGE;
		opts->timeout_ms = (unsigned long)n * 1000;
	}
	return 0;
}

static int cmd_run(const struct command *cmd, const struct args *a)
{
	struct pidsim_sc_opts opts = { .design = "all" };
	const char *file = a->operand[0];
	struct pidsim_sc_summary sum;
	struct pidsim_scenario *sc;
	int ret = run_opts(cmd, a, &opts);

	if (ret)
		return ret;
	sc = load(file);
	if (!sc)
		return EXIT_USAGE;
	opts.name = file;
	if (opts.output == PIDSIM_SC_TEXT)
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

static int cmd_image(const struct command *cmd, const struct args *a)
{
	struct pidsim_image *img;
	unsigned char *buf;
	size_t len;

	if (strcmp(a->operand[0], "show") != 0)
		return usage_error(cmd, "unknown subcommand '%s' (show)", a->operand[0]);
	if (a->nr_operands < 2)
		return usage_error(cmd, "missing IMAGE");
	img = load_image(a->operand[1], &buf, &len);
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

/* checkpoint [--design NAME] FILE LABEL OUT */
static int cmd_checkpoint(const struct command *cmd, const struct args *a)
{
	const char *design = a->value[0] ? a->value[0] : pidsim_design_at(0)->name;
	const char *file = a->operand[0], *label = a->operand[1], *out = a->operand[2];
	struct pidsim_scenario *sc;
	struct pidsim_sc_summary sum;
	size_t len;
	void *buf;
	int ret;

	if (check_designs(cmd, design, false))
		return EXIT_USAGE;
	sc = load(file);
	if (!sc)
		return EXIT_USAGE;
	ret = pidsim_sc_run_image(sc, design, label, &buf, &len, &sum);
	pidsim_sc_free(sc);
	if (ret) {
		fprintf(stderr, "pidsim checkpoint: %s: %s\n", file,
			ret == -ENOENT ? "no such image label ('checkpoint ... -> LABEL')" :
			ret == -ESRCH ? "that checkpoint failed on this design" :
			pidsim_errname(ret));
		return ret == -ESRCH ? EXIT_FAILED : EXIT_USAGE;
	}
	ret = write_out(out, buf, len);
	if (ret) {
		fprintf(stderr, "pidsim checkpoint: %s: %s\n", out, strerror(ret));
		pidsim_image_free(buf);
		return EXIT_USAGE;
	}
	fprintf(stderr, "pidsim: %s: %zu bytes from %s\n", out, len, design);
	pidsim_image_free(buf);
	return sum.violations || sum.failed ? EXIT_FAILED : EXIT_PASS;
}

/* Whether list (a --design value) names design: all, or one of its
 * names. */
static bool names_design(const char *list, const char *design)
{
	size_t n = strlen(design);

	if (strcmp(list, "all") == 0)
		return true;
	for (const char *s = list; ; s++) {
		size_t len = strcspn(s, ",");

		if (len == n && strncmp(s, design, n) == 0)
			return true;
		s += len;
		if (!*s)
			return false;
	}
}

/* restore [--design LIST] [--into] [--pid-max N] IMAGE */
static int cmd_restore(const struct command *cmd, const struct args *a)
{
	const char *design = a->value[0] ? a->value[0] : "all";
	bool into = a->value[1] != NULL;
	struct pidsim_image *img;
	unsigned char *buf;
	int pid_max = 0, failed = 0;
	size_t len;
	long n;

	if (check_designs(cmd, design, true))
		return EXIT_USAGE;
	if (a->value[2]) {
		if (parse_num(cmd, "--pid-max", a->value[2], 2, PIDSIM_PID_MAX_LIMIT, &n))
			return EXIT_USAGE;
		pid_max = (int)n;
	}
	img = load_image(a->operand[0], &buf, &len);
	if (!img)
		return EXIT_USAGE;
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		if (names_design(design, d->name))
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

static const struct command commands[] = {
	{ "run", "run [OPTIONS] FILE", NULL, print_run_help,
	  { { "--design", "a name (a design, a list a,b,c, or all)" },
	    { "--format", "a format (text, tsv or json)" },
	    { "--width", "a number (" XSTR(MIN_WIDTH) ".." XSTR(MAX_WIDTH) ")" },
	    { "--stats", NULL },
	    { "--max-tasks", "a number (1..2147483647)" },
	    { "--timeout", "a number (1.." XSTR(MAX_TIMEOUT) ")" } },
	  "FILE", 1, 1, cmd_run },
	{ "designs", "designs", designs_help, NULL, { { NULL, NULL } },
	  "", 0, 0, cmd_designs },
	{ "fmt", "fmt [--check] FILE...", fmt_help, NULL, { { "--check", NULL } },
	  "FILE", 1, -1, cmd_fmt },
	{ "image", "image show IMAGE", image_help, NULL, { { NULL, NULL } },
	  "show IMAGE", 1, 2, cmd_image },
	{ "checkpoint", "checkpoint [--design NAME] FILE LABEL OUT", checkpoint_help, NULL,
	  { { "--design", "a name ('pidsim designs' lists them)" } },
	  "FILE LABEL OUT", 3, 3, cmd_checkpoint },
	{ "restore", "restore [--design LIST] [--into] [--pid-max N] IMAGE",
	  restore_help, NULL,
	  { { "--design", "a name (a design, a list a,b,c, or all)" },
	    { "--into", NULL },
	    { "--pid-max", "a number (2..4194304)" } },
	  "IMAGE", 1, 1, cmd_restore },
};
#define NR_COMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; name && i < NR_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* pidsim [--help | --version | help [COMMAND] | COMMAND ...] */
static int dispatch(int argc, char **argv)
{
	const char *word = argc > 1 ? argv[1] : NULL;
	const struct command *cmd;
	struct args a;
	int ret;

	if (!word) {
		fputs(usage_line, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0 ||
	    (strcmp(word, "help") == 0 && argc == 2)) {
		fputs(help_text, stdout);
		return EXIT_PASS;
	}
	if (strcmp(word, "--version") == 0) {
		printf("pidsim %s\n", pidsim_version());
		return EXIT_PASS;
	}
	if (strcmp(word, "help") == 0) {
		cmd = find_command(argv[2]);
		if (!cmd || argc > 3)
			return usage_error(NULL, "help: no such command '%s'", argv[2]);
		print_help(cmd, stdout);
		return EXIT_PASS;
	}
	if (word[0] == '-')
		return usage_error(NULL, "unknown option '%s'", word);
	cmd = find_command(word);
	if (!cmd)
		return usage_error(NULL, "unknown command '%s'", word);
	ret = parse_args(cmd, argc, argv, 2, &a);
	return ret >= 0 ? ret : cmd->run(cmd, &a);
}

int main(int argc, char **argv)
{
	return close_stdout(dispatch(argc, argv));
}
