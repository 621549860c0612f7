/*
 * wl.c - workloads: generation with biased arguments, deterministic
 * shrinking tactics, decoding from fuzzer bytes (see wl.h).
 *
 * The generator keeps a model of the image it is writing for (the
 * reference model with pidspace's rules), so that it can pick callers that
 * are running, children to wait for, inits to kill, numbers that were just
 * freed; the executor, not the generator, decides what each design does.
 */
#include "wl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim_image.h"
#include "print.h"
#include "ref.h"

/* ---- Sources of choices ------------------------------------------------- */

/* The generator asks for numbers below n: a seeded stream for trials,
 * the fuzzer's bytes for the fuzz target. */
struct src {
	uint32_t (*below)(struct src *s, uint32_t n);
	struct prop_rng *rng;
	const unsigned char *data;
	size_t size, pos;
};

static uint32_t rng_below(struct src *s, uint32_t n)
{
	return prop_rng_below(s->rng, n);
}

static uint32_t bytes_below(struct src *s, uint32_t n)
{
	uint32_t v = 0;

	for (uint32_t span = 1; span < n && span < (1u << 24); span <<= 8)
		v = v << 8 | (s->pos < s->size ? s->data[s->pos++] : 0);
	return n ? v % n : 0;
}

static uint32_t below(struct src *s, uint32_t n)
{
	return n ? s->below(s, n) : 0;
}

static bool pct(struct src *s, unsigned p)
{
	return below(s, 100) < p;
}

/* An index into weights[0..n), drawn by weight. */
static int weighted(struct src *s, const unsigned *weights, int n)
{
	unsigned total = 0, r;

	for (int i = 0; i < n; i++)
		total += weights[i];
	r = below(s, total);
	for (int i = 0; i < n; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

/* ---- Workloads ------------------------------------------------------------ */

static const char *const kind_names[WL_NR_KINDS] = {
	[WL_FORK] = "fork", [WL_EXIT] = "exit", [WL_WAIT] = "wait",
	[WL_KILL] = "kill", [WL_KILL_IN] = "kill_in", [WL_GETPID] = "getpid",
	[WL_GETPPID] = "getppid", [WL_PS] = "ps", [WL_PS_IN] = "ps_in",
	[WL_FIND] = "find", [WL_FIND_IN] = "find_in", [WL_PID_OF] = "pid_of",
	[WL_RESOLVE] = "resolve", [WL_SETOWN] = "setown", [WL_NOTIFY] = "notify",
	[WL_CLOSE] = "close", [WL_CHURN] = "churn", [WL_SPAWN] = "spawn",
	[WL_STATS_RESET] = "stats_reset", [WL_MIGRATE] = "migrate",
	[WL_RESTORE] = "restore", [WL_SETPGID] = "setpgid", [WL_SETSID] = "setsid",
	[WL_GETPGID] = "getpgid", [WL_GETSID] = "getsid",
};

const char *wl_kind_name(int kind)
{
	return kind >= 0 && kind < WL_NR_KINDS ? kind_names[kind] : "?";
}

static struct wl *wl_new(int pid_max)
{
	struct wl *w = calloc(1, sizeof *w);

	if (!w)
		abort();
	w->pid_max = pid_max;
	w->nr_tasks = 1;	/* host init */
	return w;
}

static void push(struct wl *w, const struct wl_op *op, size_t *cap)
{
	if (w->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		w->ops = realloc(w->ops, *cap * sizeof *w->ops);
		if (!w->ops)
			abort();
	}
	w->ops[w->n++] = *op;
}

struct wl *wl_copy(const struct wl *w)
{
	struct wl *c = malloc(sizeof *c);

	if (!c)
		abort();
	*c = *w;
	c->ops = malloc((w->n ? w->n : 1) * sizeof *w->ops);
	if (!c->ops)
		abort();
	memcpy(c->ops, w->ops, w->n * sizeof *w->ops);
	if (w->image) {
		c->image = malloc(w->image_len ? w->image_len : 1);
		if (!c->image)
			abort();
		memcpy(c->image, w->image, w->image_len);
	}
	return c;
}

void wl_free(struct wl *w)
{
	if (w) {
		free(w->ops);
		free(w->image);
		free(w);
	}
}

/* ---- Generation ------------------------------------------------------------- */

struct gen {
	struct src *s;
	struct wl *w;
	size_t cap;
	struct ref m;		/* the generator's model of the image */
	int *mid;		/* task label -> model task id, -1 */
	int cap_mid;
	int pid_max;
	int *pick;		/* scratch: candidate labels */
	int bulk;		/* forks asked for by churn and spawn so far */
	struct pidsim_image *img;	/* WL_RESTORE's image, decoded */
};

/* Forks one workload may ask for in bulk: one spawn past vpid-ibm's 511
 * containers, or a few churns past pid 300, but not hundreds of each. */
#define MAX_BULK 1500

static int model_of(const struct gen *g, int label)
{
	return label >= 0 && label < g->w->nr_tasks ? g->mid[label] : -1;
}

static void set_mid(struct gen *g, int label, int id)
{
	if (label >= g->cap_mid) {
		int cap = g->cap_mid ? g->cap_mid * 2 : 64;

		while (cap <= label)
			cap *= 2;
		g->mid = realloc(g->mid, (size_t)cap * sizeof *g->mid);
		g->pick = realloc(g->pick, (size_t)cap * sizeof *g->pick);
		if (!g->mid || !g->pick)
			abort();
		for (int i = g->cap_mid; i < cap; i++)
			g->mid[i] = -1;
		g->cap_mid = cap;
	}
	g->mid[label] = id;
}

/* A label drawn from those for which keep() holds, or -1. */
static int pick_label(struct gen *g, bool (*keep)(const struct gen *, int, int),
		      int arg)
{
	int n = 0;

	for (int l = 0; l < g->w->nr_tasks; l++)
		if (keep(g, l, arg))
			g->pick[n++] = l;
	return n ? g->pick[below(g->s, (uint32_t)n)] : -1;
}

static bool is_running(const struct gen *g, int l, int arg)
{
	(void)arg;
	return ref_running(&g->m, model_of(g, l));
}

static bool in_container(const struct gen *g, int l, int arg)
{
	int t = model_of(g, l);

	(void)arg;
	return ref_running(&g->m, t) && g->m.tasks[t].ct != 0;
}

static bool at_level(const struct gen *g, int l, int level)
{
	int t = model_of(g, l);

	return ref_running(&g->m, t) && g->m.cts[g->m.tasks[t].ct].level >= level;
}

static bool not_running(const struct gen *g, int l, int arg)
{
	(void)arg;
	return !ref_running(&g->m, model_of(g, l));
}

static bool any_label(const struct gen *g, int l, int arg)
{
	(void)g, (void)l, (void)arg;
	return true;
}

/* arg: a model task; l is its child. */
static bool child_of(const struct gen *g, int l, int arg)
{
	int t = model_of(g, l);

	return t >= 0 && g->m.tasks[t].exists && g->m.tasks[t].parent == arg;
}

static bool zombie_child_of(const struct gen *g, int l, int arg)
{
	return child_of(g, l, arg) && g->m.tasks[model_of(g, l)].state == PIDSIM_ZOMBIE;
}

/* arg: a model container; l is a task it sees. */
static bool seen_by(const struct gen *g, int l, int arg)
{
	int t = model_of(g, l);

	return t >= 0 && ref_visible(&g->m, arg, t);
}

/* arg: a model container; l is the init of it or of a container below. */
static bool init_below(const struct gen *g, int l, int arg)
{
	int t = model_of(g, l);

	return t >= 0 && g->m.tasks[t].exists && ref_is_init(&g->m, t) &&
	       ref_ct_contains(&g->m, arg, g->m.tasks[t].ct);
}

/* arg: a model container; l leads a group (its pid names one with a
 * member) and the container sees it. */
static bool leads_group_seen(const struct gen *g, int l, int arg)
{
	int t = model_of(g, l);

	if (t < 0 || !ref_visible(&g->m, arg, t))
		return false;
	for (int u = 0; u < g->m.nr_tasks; u++)
		if (g->m.tasks[u].exists && g->m.tasks[u].pgrp == t)
			return true;
	return false;
}

static bool is_init_label(const struct gen *g, int l, int arg)
{
	int t = model_of(g, l);

	(void)arg;
	return t > 0 && g->m.tasks[t].exists && ref_is_init(&g->m, t);
}

static int deepest_level(const struct gen *g)
{
	int level = 0;

	for (int c = 0; c < g->m.nr_cts; c++)
		if (g->m.cts[c].exists && g->m.cts[c].level > level)
			level = g->m.cts[c].level;
	return level;
}

/* The caller: mostly a running task, often one inside a container or
 * the deepest one; sometimes a zombie, a reaped task or a failed fork's
 * label, to check that they make no calls. */
static int pick_caller(struct gen *g)
{
	unsigned r = below(g->s, 100);
	int l = -1;

	if (r < 6)
		l = pick_label(g, not_running, 0);
	else if (r < 50)
		l = pick_label(g, in_container, 0);
	else if (r < 62)
		l = pick_label(g, at_level, deepest_level(g));
	if (l < 0)
		l = pick_label(g, is_running, 0);
	return l < 0 ? 0 : l;
}

static int caller_ct(const struct gen *g, int who)
{
	int t = model_of(g, who);

	return t >= 0 ? g->m.tasks[t].ct : 0;
}

/* A raw number from the interesting ones. */
static int raw_pid(struct gen *g)
{
	int pm = g->pid_max;
	const int pick[] = {
		1, 2, 3, pm - 1, pm, 299, 300, 301, 1024, 1025, 1026, (1 << 22) | 1,
		(1 << 22) | 2, 0, -2, INT_MAX, INT_MIN,
	};
	unsigned r = below(g->s, 100);

	if (r < 40)
		return 1 + (int)below(g->s, (uint32_t)(pm > 12 ? 12 : pm));
	if (r < 55)
		return 1 + (int)below(g->s, (uint32_t)pm);
	if (r < 60)
		return 1024 | (int)below(g->s, 16);
	return pick[below(g->s, sizeof pick / sizeof pick[0])];
}

static struct wl_pid task_pid(struct gen *g, int label)
{
	return (struct wl_pid){ WL_PID_TASK, label, 1 + (int)below(g->s, 8) };
}

static struct wl_pid raw(struct gen *g)
{
	return (struct wl_pid){ WL_PID_RAW, 0, raw_pid(g) };
}

static struct wl_pid zero_pid(void)
{
	return (struct wl_pid){ WL_PID_RAW, 0, 0 };
}

/* A process group for kill and wait, from view c: one a task leads there,
 * mostly; else any label's (-its number), or a raw negative number. */
static struct wl_pid group_pid(struct gen *g, int c)
{
	int l = pct(g->s, 70) ? pick_label(g, leads_group_seen, c) : -1;

	if (l < 0 && pct(g->s, 70))
		l = pick_label(g, seen_by, c);
	if (l < 0) {
		int r = raw_pid(g);	/* INT_MIN too: kill and wait's -ESRCH */

		return (struct wl_pid){ WL_PID_RAW, 0, r == INT_MIN ? r : -r };
	}
	return (struct wl_pid){ WL_PID_GROUP, l, -1 - (int)below(g->s, 8) };
}

/* A pid argument for a call made from view c (a model container). */
static struct wl_pid pick_pid(struct gen *g, int c, int visible_pct, bool any)
{
	unsigned r = below(g->s, 100);
	int l = -1;

	if (any && r < 10)
		return (struct wl_pid){ WL_PID_ANY, 0, -1 };
	if (r < 10u + (unsigned)visible_pct)
		l = pick_label(g, seen_by, c);
	else if (r < 92)
		l = pick_label(g, any_label, 0);	/* elsewhere, or just freed */
	return l < 0 ? raw(g) : task_pid(g, l);
}

static int pick_sig(struct gen *g)
{
	static const unsigned w[] = { 30, 18, 10, 10, 4, 20, 4, 4 };
	static const int ignored[] = { 17, 18, 23, 28 };
	static const int bad[] = { 65, -1, 100, INT_MIN };

	switch (weighted(g->s, w, 8)) {
	case 0: return 9;
	case 1: return 15;
	case 2: return 0;
	case 3: return ignored[below(g->s, 4)];
	case 4: return 19 + (int)below(g->s, 4);
	case 5: return 1 + (int)below(g->s, 64);
	case 6: return bad[below(g->s, 4)];
	default: return 29;
	}
}

static int pick_code(struct gen *g)
{
	static const int codes[] = { 0, 1, 255, 256, 257, -1, 42 };

	return pct(g->s, 70) ? (int)below(g->s, 4) : codes[below(g->s, 7)];
}

/* A container for a qualified address: mostly the init of the caller's
 * container or one below it; sometimes one it may not use, or a task that
 * is not an init. */
static int pick_container(struct gen *g, int who)
{
	unsigned r = below(g->s, 100);
	int l = -1;

	if (r < 70)
		l = pick_label(g, init_below, caller_ct(g, who));
	else if (r < 85)
		l = pick_label(g, is_init_label, 0);
	else if (r < 95)
		l = pick_label(g, any_label, 0);
	return l < 0 ? 0 : l;
}

/* The view a qualified container label names in the model, or -1. */
static int view_of(const struct gen *g, int ct_label)
{
	int t = model_of(g, ct_label);

	return t >= 0 && g->m.tasks[t].exists ? g->m.tasks[t].ct : -1;
}

/* The number the model gives pid when called from view c. */
static int model_pid(const struct gen *g, int c, const struct wl_pid *p)
{
	int t, nr;

	if (p->kind == WL_PID_ANY)
		return -1;
	if (p->kind == WL_PID_RAW)
		return p->raw;
	t = model_of(g, p->task);
	nr = t >= 0 && c >= 0 && g->m.tasks[t].exists ? ref_nr(&g->m, c, t) : 0;
	if (!nr)
		return p->raw;
	return p->kind == WL_PID_GROUP ? -nr : nr;
}

/* Run op on the generator's model, so the next op sees its effects. */
static void model_apply(struct gen *g, const struct wl_op *op)
{
	struct ref *m = &g->m;
	int cur = model_of(g, op->who), c = cur >= 0 ? m->tasks[cur].ct : 0;
	int pid = model_pid(g, c, &op->pid), child = -1, st, x;

	switch (op->kind) {
	case WL_FORK:
		if (ref_fork_error(m, cur, op->flags) == 0)
			ref_fork(m, cur, op->flags, &child);
		set_mid(g, op->def, child);
		break;
	case WL_EXIT:
		ref_exit(m, cur, op->arg);
		break;
	case WL_WAIT:
		ref_wait(m, cur, pid, &st, &x);
		break;
	case WL_KILL:
		ref_kill(m, cur, pid, op->arg);
		break;
	case WL_KILL_IN:
		ref_kill_in(m, cur, model_of(g, op->target),
			    model_pid(g, view_of(g, op->target), &op->pid), op->arg);
		break;
	case WL_SETOWN:
		x = ref_setown(m, cur, pid);
		if (x >= 0)
			ref_obj_adopt(m, x, op->def);
		break;
	case WL_NOTIFY:
		ref_notify(m, op->target >= 0 ? op->target : op->pid.raw, op->arg, &x);
		break;
	case WL_CLOSE:
		ref_close(m, op->target >= 0 ? op->target : op->pid.raw);
		break;
	case WL_SETPGID:
		ref_setpgid(m, cur, pid, model_pid(g, c, &op->pid2));
		break;
	case WL_SETSID:
		ref_setsid(m, cur);
		break;
	case WL_CHURN:
		for (int i = 0; i < op->arg; i++) {
			if (ref_fork_error(m, cur, 0))
				break;
			x = ref_fork(m, cur, 0, &child);
			ref_exit(m, child, 0);
			ref_wait(m, cur, x, &st, &child);
		}
		break;
	case WL_SPAWN:
		for (int i = 0; i < op->arg && !ref_fork_error(m, cur, op->flags); i++)
			ref_fork(m, cur, op->flags, &child);
		break;
	case WL_MIGRATE: {
		int *src = malloc(sizeof(int) * (size_t)(m->nr_tasks + 1));
		int *dst = malloc(sizeof(int) * (size_t)(m->nr_tasks + 1)), n;
		int no0 = m->nr_objs, next = no0;
		bool *open = malloc(sizeof(bool) * (size_t)(no0 + 1));

		if (!src || !dst || !open)
			abort();
		for (int o = 0; o < no0; o++)
			open[o] = m->objs[o].open;
		if (ref_migrate(m, cur, model_of(g, op->target),
				op->flags & WL_MIG_TREE ? PIDSIM_CKPT_TREE : PIDSIM_CKPT_CONTAINER,
				model_of(g, op->pid.task), op->flags & WL_MIG_INTO ?
				PIDSIM_RESTORE_INTO : PIDSIM_RESTORE_CONTAINER, true, src,
				dst, &n, &child) < 0)
			child = -1;
		/* the moved objects keep their labels (model ids are labels),
		 * in the order of their ids */
		for (int id = 0; id < g->w->nr_objs && next < m->nr_objs; id++)
			for (int o = 0; o < no0; o++)
				if (open[o] && !m->objs[o].open && m->objs[o].id == id)
					ref_obj_adopt(m, next++, id);
		set_mid(g, op->def, child);
		free(open);
		free(src);
		free(dst);
		break;
	}
	case WL_RESTORE: {
		int *dst = malloc(sizeof(int) * (g->img->nr_tasks + 1)), top, no0 = m->nr_objs;
		int n = (int)g->img->nr_tasks;

		if (!dst)
			abort();
		if (ref_restore(m, g->img, cur, op->flags & WL_MIG_INTO ? PIDSIM_RESTORE_INTO
				: PIDSIM_RESTORE_CONTAINER, true, dst, &top) < 0)
			top = -1;
		/* every label it defines, restored or not, the new init's last */
		set_mid(g, op->def + n, top >= 0 && top != dst[0] ? top : -1);
		for (int i = 0; top >= 0 && i < n; i++)
			set_mid(g, op->def + i, dst[i]);
		for (int o = no0; o < m->nr_objs; o++)
			ref_obj_adopt(m, o, op->target + o - no0);
		free(dst);
		break;
	}
	default:
		break;		/* the rest observe only */
	}
}

/* An object label the model has open, or -1 (model ids are labels). */
static int pick_open_obj(struct gen *g)
{
	int n = 0, k;

	for (int i = 0; i < g->m.nr_objs; i++)
		n += g->m.objs[i].open;
	if (!n)
		return -1;
	k = (int)below(g->s, (uint32_t)n);
	for (int i = 0; i < g->m.nr_objs; i++)
		if (g->m.objs[i].open && k-- == 0)
			return g->m.objs[i].id;
	return -1;
}

static int pick_length(struct gen *g)
{
	unsigned r = below(g->s, 100);

	if (r < 30)
		return 1 + (int)below(g->s, 20);
	if (r < 80)
		return 10 + (int)below(g->s, 50);
	return 60 + (int)below(g->s, 90);
}

static int pick_pid_max(struct gen *g)
{
	static const int v[] = { 2, 3, 4, 6, 10, 16, 40, 301, 310, 400, 1030,
				 1100, 2000, 4096, 0, PIDSIM_PID_MAX_LIMIT,
				 PIDSIM_PID_MAX_LIMIT + 1 };
	static const unsigned w[] = { 2, 3, 4, 5, 8, 6, 6, 4, 6, 5, 6, 3, 4, 6, 20,
				      2, 1 };

	return v[weighted(g->s, w, 17)];
}

static struct wl_op gen_op(struct gen *g)
{
	static const unsigned w[WL_NR_KINDS] = {
		[WL_FORK] = 20, [WL_EXIT] = 9, [WL_WAIT] = 12, [WL_KILL] = 11,
		[WL_KILL_IN] = 4, [WL_GETPID] = 3, [WL_GETPPID] = 4, [WL_PS] = 4,
		[WL_PS_IN] = 3, [WL_FIND] = 4, [WL_FIND_IN] = 3, [WL_PID_OF] = 3,
		[WL_RESOLVE] = 3, [WL_SETOWN] = 5, [WL_NOTIFY] = 5, [WL_CLOSE] = 2,
		[WL_CHURN] = 3, [WL_SPAWN] = 1, [WL_STATS_RESET] = 1,
		[WL_MIGRATE] = 3, [WL_SETPGID] = 5, [WL_SETSID] = 3,
		[WL_GETPGID] = 3, [WL_GETSID] = 2,
	};
	struct wl_op op = { .kind = weighted(g->s, w, WL_NR_KINDS), .def = -1,
			    .target = -1 };
	int cur, c, l;

	op.who = pick_caller(g);
	cur = model_of(g, op.who);
	c = caller_ct(g, op.who);
	switch (op.kind) {
	case WL_FORK:
		op.flags = pct(g->s, 30) ? PIDSIM_CLONE_NEWPID : 0;
		if (pct(g->s, 2))
			op.flags |= 0x2u;	/* an unknown flag */
		op.def = g->w->nr_tasks++;
		break;
	case WL_EXIT:
		if (pct(g->s, 25) && (l = pick_label(g, is_init_label, 0)) >= 0 &&
		    ref_running(&g->m, model_of(g, l)))
			op.who = l;
		else if (op.who == 0 && pct(g->s, 80) &&
			 (l = pick_label(g, is_running, 0)) > 0)
			op.who = l;	/* host init may not exit: now and then */
		op.arg = pick_code(g);
		break;
	case WL_WAIT:
		if (pct(g->s, 8))
			op.pid = zero_pid();
		else if (pct(g->s, 10))
			op.pid = group_pid(g, c);
		else if (pct(g->s, 45))
			op.pid = (struct wl_pid){ WL_PID_ANY, 0, -1 };
		else if (pct(g->s, 55) && cur >= 0 &&
			 ((l = pick_label(g, zombie_child_of, cur)) >= 0 ||
			  (l = pick_label(g, child_of, cur)) >= 0))
			op.pid = task_pid(g, l);
		else
			op.pid = pick_pid(g, c, 20, false);
		break;
	case WL_KILL:
		if (pct(g->s, 8))
			op.pid = zero_pid();
		else if (pct(g->s, 14))
			op.pid = group_pid(g, c);
		else
			op.pid = pick_pid(g, c, 60, true);
		op.arg = pick_sig(g);
		break;
	case WL_SETPGID:
		/* the caller or a child of it, into its own group, a group
		 * its view numbers, or a number */
		if (pct(g->s, 30))
			op.pid = zero_pid();
		else if (pct(g->s, 60) && cur >= 0 && (l = pick_label(g, child_of, cur)) >= 0)
			op.pid = task_pid(g, l);
		else
			op.pid = pick_pid(g, c, 60, false);
		if (pct(g->s, 35))
			op.pid2 = zero_pid();
		else if (pct(g->s, 70) && (l = pick_label(g, leads_group_seen, c)) >= 0)
			op.pid2 = task_pid(g, l);
		else
			op.pid2 = pct(g->s, 10) ? (struct wl_pid){ WL_PID_RAW, 0, -1 }
						: pick_pid(g, c, 60, false);
		break;
	case WL_GETPGID:
	case WL_GETSID:
		op.pid = pct(g->s, 40) ? zero_pid() : pick_pid(g, c, 70, false);
		break;
	case WL_KILL_IN:
		op.target = pick_container(g, op.who);
		op.pid = pick_pid(g, view_of(g, op.target) < 0 ? 0 : view_of(g, op.target),
				  70, false);
		op.arg = pick_sig(g);
		break;
	case WL_PS_IN:
		op.target = pick_container(g, op.who);
		break;
	case WL_FIND:
	case WL_FIND_IN:
		if (op.kind == WL_FIND_IN)
			op.target = pick_container(g, op.who);
		op.pid = pick_pid(g, op.kind == WL_FIND ? c :
				  (view_of(g, op.target) < 0 ? 0 : view_of(g, op.target)),
				  65, false);
		op.def = g->w->nr_refs++;
		break;
	case WL_PID_OF:
		op.target = pick_label(g, any_label, 0);
		break;
	case WL_RESOLVE:
		if (!g->w->nr_refs) {
			op.kind = WL_PID_OF;
			op.target = pick_label(g, any_label, 0);
		} else {
			op.target = (int)below(g->s, (uint32_t)g->w->nr_refs);
		}
		break;
	case WL_SETOWN:
		op.pid = pick_pid(g, c, 70, false);
		op.def = g->w->nr_objs++;
		break;
	case WL_NOTIFY:
	case WL_CLOSE:
		if (g->w->nr_objs && pct(g->s, 92)) {
			op.target = (int)below(g->s, (uint32_t)g->w->nr_objs);
			if (pct(g->s, 80) && (l = pick_open_obj(g)) >= 0)
				op.target = l;
		} else {
			static const int ids[] = { -1, 0, 1, 2, 1000 };

			op.pid = (struct wl_pid){ WL_PID_RAW, 0, ids[below(g->s, 5)] };
		}
		op.arg = op.kind == WL_NOTIFY ? pick_sig(g) : 0;
		break;
	case WL_SPAWN:
		/* many at once: past vpid-ibm's 511 containers, or a view full */
		op.flags = pct(g->s, 80) ? PIDSIM_CLONE_NEWPID : 0;
		op.arg = pct(g->s, 95) || g->bulk > MAX_BULK - 525
			 ? 1 + (int)below(g->s, 10) : 505 + (int)below(g->s, 20);
		g->bulk += op.arg;
		break;
	case WL_STATS_RESET:
		op.who = 0;	/* no caller: an image-wide call */
		break;
	case WL_MIGRATE:
		/* a container, or a task's subtree, the caller may take, put
		 * back under a running task: its own container or another */
		op.flags = (pct(g->s, 40) ? WL_MIG_TREE : 0) |
			   (pct(g->s, 30) ? WL_MIG_INTO : 0);
		if (op.flags & WL_MIG_TREE)
			l = pct(g->s, 85) ? pick_label(g, seen_by, c) : -1;
		else
			l = pct(g->s, 85) ? pick_label(g, init_below, c) : -1;
		op.target = l >= 0 ? l : pick_label(g, any_label, 0);
		l = pct(g->s, 80) ? pick_label(g, is_running, 0) : -1;
		op.pid = task_pid(g, l >= 0 ? l : pick_label(g, any_label, 0));
		op.def = g->w->nr_tasks++;
		break;
	case WL_CHURN:
		if (g->pid_max > 300 && g->pid_max < 1200 && pct(g->s, 25) &&
		    g->bulk + g->pid_max <= MAX_BULK)
			op.arg = 250 + (int)below(g->s, (uint32_t)g->pid_max - 250);
		else
			op.arg = 1 + (int)below(g->s, 8);
		g->bulk += op.arg;
		break;
	default:
		break;
	}
	return op;
}

static struct wl *generate(struct src *s)
{
	struct gen g = { .s = s };
	int len;

	g.w = wl_new(pick_pid_max(&g));
	g.pid_max = g.w->pid_max ? g.w->pid_max : PIDSIM_PID_MAX_DEFAULT;
	ref_init(&g.m, NULL, g.w->pid_max);
	set_mid(&g, 0, 0);
	/* Deep nesting: a chain of new containers first, past the deepest
	 * level some designs allow (32, the kernel's MAX_PID_NS_LEVEL). */
	if (pct(s, 8)) {
		int depth = 2 + (int)below(s, 34), who = 0;

		for (int i = 0; i < depth; i++) {
			struct wl_op op = { .kind = WL_FORK, .who = who,
					    .def = g.w->nr_tasks++, .target = -1,
					    .flags = PIDSIM_CLONE_NEWPID };

			push(g.w, &op, &g.cap);
			model_apply(&g, &op);
			who = op.def;
		}
	}
	len = pick_length(&g);
	for (int i = 0; i < len; i++) {
		struct wl_op op = gen_op(&g);

		push(g.w, &op, &g.cap);
		model_apply(&g, &op);
	}
	ref_fini(&g.m);
	free(g.mid);
	free(g.pick);
	return g.w;
}

struct wl *wl_generate_restore(struct prop_rng *rng, int pid_max, const void *image,
			       size_t len, bool busy)
{
	struct src s = { .below = rng_below, .rng = rng };
	struct gen g = { .s = &s };
	struct wl_op op = { .kind = WL_RESTORE, .target = -1 };
	int n;

	g.w = wl_new(pid_max);
	g.pid_max = pid_max ? pid_max : PIDSIM_PID_MAX_DEFAULT;
	if (pidsim_image_decode(image, len, &g.img, NULL, 0))
		abort();	/* the caller made it with pidsim_checkpoint() */
	g.w->image = malloc(len ? len : 1);
	if (!g.w->image)
		abort();
	memcpy(g.w->image, image, len);
	g.w->image_len = len;
	ref_init(&g.m, NULL, g.w->pid_max);
	set_mid(&g, 0, 0);
	for (n = busy ? pick_length(&g) : 0; n > 0; n--) {
		op = gen_op(&g);
		push(g.w, &op, &g.cap);
		model_apply(&g, &op);
	}
	/* under host init, or under a running task, often in a container */
	op = (struct wl_op){ .kind = WL_RESTORE, .target = g.w->nr_objs,
			     .def = g.w->nr_tasks,
			     .flags = pct(&s, 35) ? WL_MIG_INTO : 0 };
	op.who = pct(&s, 30) ? 0 : pick_label(&g, pct(&s, 50) ? in_container : is_running, 0);
	op.who = op.who < 0 ? 0 : op.who;
	g.w->nr_tasks += (int)g.img->nr_tasks + 1;
	g.w->nr_objs += (int)g.img->nr_owners;
	push(g.w, &op, &g.cap);
	model_apply(&g, &op);
	for (n = pick_length(&g); n > 0; n--) {
		op = gen_op(&g);
		push(g.w, &op, &g.cap);
		model_apply(&g, &op);
	}
	pidsim_image_destroy(g.img);
	ref_fini(&g.m);
	free(g.mid);
	free(g.pick);
	return g.w;
}

struct wl *wl_generate(struct prop_rng *rng)
{
	struct src s = { .below = rng_below, .rng = rng };

	return generate(&s);
}

struct wl *wl_decode(const unsigned char *data, size_t size)
{
	struct src s = { .below = bytes_below, .data = data, .size = size };

	return generate(&s);
}

/* ---- Shrinking ------------------------------------------------------------- */

/* Tactics, largest simplification first (theft's order):
 *   1. drop a block of ops: halves, then quarters, ... then single ops;
 *   2. simplify one op: each of SIMPLIFY ways, op by op (for a migrate:
 *      no flags, no `into`, no `tree`, host init as the new parent, the
 *      root's first or last child as the root);
 *   3. the default pid_max;
 *   4. one task label replaced, in every op that names it, by host init,
 *      then by its parent (a migrate's root is left alone: ways 9 and 10
 *      move it down the tree, this would move it back up);
 *   5. drop a pair of ops: adjacent ones first, then ones further apart,
 *      PAIRS at most per pass.
 * One-at-a-time gets stuck where two changes are needed together: an op
 * that matters only with another one, or a label that must leave a
 * migrate and the wait after it at once.  4 and 5 come last, so that they
 * run only when every single change has failed; labels only shrink (a
 * migrate's root aside), so shrinking still ends. */
#define SIMPLIFY 12
#define PAIRS 256

/* The label of the first (or last) child root forked before op i, or -1:
 * a smaller tree to migrate, down to a single task. */
static int child_label(const struct wl *w, size_t i, int root, bool last)
{
	int l = -1;

	for (size_t j = 0; j < i; j++)
		if (w->ops[j].kind == WL_FORK && w->ops[j].who == root &&
		    w->ops[j].def >= 0) {
			l = w->ops[j].def;
			if (!last)
				break;
		}
	return l;
}

static size_t block_tactics(size_t n)
{
	size_t count = 0;

	for (size_t s = n / 2; s >= 1; s /= 2)
		count += (n + s - 1) / s;
	return n == 1 ? 1 : count;
}

static struct wl *drop_block(const struct wl *w, uint32_t t)
{
	size_t s = w->n / 2 ? w->n / 2 : 1;

	for (;; s /= 2) {
		size_t blocks = (w->n + s - 1) / s;

		if (t < blocks) {
			size_t from = t * s, to = from + s > w->n ? w->n : from + s;
			struct wl *c = wl_copy(w);

			memmove(c->ops + from, c->ops + to, (w->n - to) * sizeof *c->ops);
			c->n -= to - from;
			return c;
		}
		t -= (uint32_t)blocks;
		if (s == 1)
			return NULL;
	}
}

/* Simplify op i by way k: NULL when that way does not apply. */
static struct wl *simplify(const struct wl *w, size_t i, unsigned k)
{
	const struct wl_op *op = &w->ops[i];
	struct wl_op o = *op;
	struct wl *c;

	switch (k) {
	case 0:		/* a big churn or spawn, halved */
		if ((o.kind != WL_CHURN && o.kind != WL_SPAWN) || o.arg <= 1)
			return NULL;
		o.arg /= 2;
		break;
	case 1:		/* the plainest signal, code, flags */
		if ((o.kind == WL_KILL || o.kind == WL_KILL_IN || o.kind == WL_NOTIFY) &&
		    o.arg != 9)
			o.arg = 9;
		else if (o.kind == WL_EXIT && o.arg != 0)
			o.arg = 0;
		else if (o.kind == WL_FORK && (o.flags & ~PIDSIM_CLONE_NEWPID))
			o.flags &= PIDSIM_CLONE_NEWPID;
		else
			return NULL;
		break;
	case 2:		/* host init as the caller */
		if (o.who == 0 || o.kind == WL_NOTIFY || o.kind == WL_CLOSE ||
		    o.kind == WL_STATS_RESET)
			return NULL;
		o.who = 0;
		break;
	case 3:		/* a plain fork */
		if ((o.kind != WL_FORK && o.kind != WL_SPAWN) ||
		    !(o.flags & PIDSIM_CLONE_NEWPID))
			return NULL;
		o.flags &= ~PIDSIM_CLONE_NEWPID;
		break;
	case 4:		/* a small raw number */
		if (o.pid.kind != WL_PID_RAW || o.pid.raw == 1 ||
		    o.kind == WL_NOTIFY || o.kind == WL_CLOSE)
			return NULL;
		o.pid.raw = o.pid.raw > 1 ? o.pid.raw / 2 : 1;
		break;
	case 5:		/* the plainest migrate: a container, as a new one
			 * (a tree moved into a container whose init is
			 * the root needs both flags gone at once) */
		if (o.kind != WL_MIGRATE || o.flags != (WL_MIG_TREE | WL_MIG_INTO))
			return NULL;
		o.flags = 0;
		break;
	case 6:		/* a migrate as a new container, not into one */
		if (o.kind != WL_MIGRATE || !(o.flags & WL_MIG_INTO))
			return NULL;
		o.flags &= ~WL_MIG_INTO;
		break;
	case 7:		/* a migrate of a container, not a tree */
		if (o.kind != WL_MIGRATE || !(o.flags & WL_MIG_TREE))
			return NULL;
		o.flags &= ~WL_MIG_TREE;
		break;
	case 8:		/* a migrate under host init */
		if (o.kind != WL_MIGRATE || o.pid.task == 0)
			return NULL;
		o.pid.task = 0;
		break;
	case 9:		/* a migrate of a smaller tree: the root's first child, */
	case 10:	/* or its last (labels only grow: it ends) */
		if (o.kind != WL_MIGRATE ||
		    (o.target = child_label(w, i, op->target, k == 10)) < 0)
			return NULL;
		break;
	case 11:	/* setpgid into the target's own group */
		if (o.kind != WL_SETPGID || (o.pid2.kind == WL_PID_RAW && o.pid2.raw == 0))
			return NULL;
		o.pid2 = (struct wl_pid){ WL_PID_RAW, 0, 0 };
		break;
	default:
		return NULL;
	}
	c = wl_copy(w);
	c->ops[i] = o;
	return c;
}

/* Whether op's target is a task label (a container is named by its
 * init's); a migrate's root is, but relabel() leaves it alone. */
static bool target_is_task(int kind)
{
	return kind == WL_KILL_IN || kind == WL_PS_IN || kind == WL_FIND_IN ||
	       kind == WL_PID_OF;
}

static bool has_caller(int kind)
{
	return kind != WL_NOTIFY && kind != WL_CLOSE && kind != WL_STATS_RESET;
}

/* Rename task label from to to in op; true when op named it. */
static bool rename_task(struct wl_op *op, int from, int to)
{
	bool named = false;

	if (has_caller(op->kind) && op->who == from) {
		op->who = to;
		named = true;
	}
	if (target_is_task(op->kind) && op->target == from) {
		op->target = to;
		named = true;
	}
	if ((op->pid.kind == WL_PID_TASK || op->pid.kind == WL_PID_GROUP) &&
	    op->pid.task == from) {
		op->pid.task = to;
		named = true;
	}
	if (op->kind == WL_SETPGID && op->pid2.kind == WL_PID_TASK &&
	    op->pid2.task == from) {
		op->pid2.task = to;
		named = true;
	}
	return named;
}

/* The label of the task that l's fork made it under (a migrate's: the new
 * parent), or -1 (a restored task, or its op shrunk away). */
static int parent_label(const struct wl *w, int l)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct wl_op *op = &w->ops[i];

		if (op->def != l)
			continue;
		if (op->kind == WL_FORK)
			return op->who;
		if (op->kind == WL_MIGRATE)
			return op->pid.task;
	}
	return -1;
}

/* Tactic t of relabel: label 1 + t by host init, then (t past the labels)
 * label 1 + t - labels by its parent.  NULL when no op names it. */
static struct wl *relabel(const struct wl *w, uint32_t t)
{
	int labels = w->nr_tasks - 1, l, to = 0;
	bool named = false;
	struct wl *c;

	l = 1 + (int)(t % (uint32_t)labels);
	if ((int)t >= labels && (to = parent_label(w, l)) <= 0)
		return NULL;
	c = wl_copy(w);
	for (size_t i = 0; i < c->n; i++)
		named |= rename_task(&c->ops[i], l, to);
	if (!named) {
		wl_free(c);
		return NULL;
	}
	return c;
}

/* The pairs of ops to drop: adjacent, then two apart, ... at most PAIRS. */
static size_t pair_tactics(size_t n)
{
	size_t all = n * (n - 1) / 2;

	return all < PAIRS ? all : PAIRS;
}

static struct wl *drop_pair(const struct wl *w, uint32_t t)
{
	size_t d = 1, i, j;
	struct wl *c;

	while (t >= w->n - d) {
		t -= (uint32_t)(w->n - d);
		d++;
	}
	i = t;
	j = i + d;
	c = wl_copy(w);
	memmove(c->ops + j, c->ops + j + 1, (c->n - j - 1) * sizeof *c->ops);
	memmove(c->ops + i, c->ops + i + 1, (c->n - i - 2) * sizeof *c->ops);
	c->n -= 2;
	return c;
}

static enum prop_shrink wl_shrink(const void *inst, uint32_t tactic, void *env,
				  void **out)
{
	const struct wl *w = inst;
	size_t blocks = w->n ? block_tactics(w->n) : 0;

	(void)env;
	if (tactic < blocks) {
		*out = drop_block(w, tactic);
		return *out ? PROP_SHRINK_OK : PROP_SHRINK_DEAD_END;
	}
	tactic -= (uint32_t)blocks;
	if (tactic < w->n * SIMPLIFY) {
		*out = simplify(w, tactic / SIMPLIFY, tactic % SIMPLIFY);
		return *out ? PROP_SHRINK_OK : PROP_SHRINK_DEAD_END;
	}
	tactic -= (uint32_t)(w->n * SIMPLIFY);
	if (tactic == 0) {
		struct wl *c;

		if (w->pid_max == 0)
			return PROP_SHRINK_DEAD_END;
		c = wl_copy(w);
		c->pid_max = 0;
		*out = c;
		return PROP_SHRINK_OK;
	}
	tactic--;
	if (tactic < 2 * (uint32_t)(w->nr_tasks - 1)) {
		*out = relabel(w, tactic);
		return *out ? PROP_SHRINK_OK : PROP_SHRINK_DEAD_END;
	}
	tactic -= 2 * (uint32_t)(w->nr_tasks - 1);
	if (w->n >= 2 && tactic < pair_tactics(w->n)) {
		*out = drop_pair(w, tactic);
		return PROP_SHRINK_OK;
	}
	return PROP_SHRINK_NO_MORE_TACTICS;
}

static void *wl_alloc(struct prop_rng *rng, void *env)
{
	(void)env;
	return wl_generate(rng);
}

static void wl_free_cb(void *inst, void *env)
{
	(void)env;
	wl_free(inst);
}

static size_t wl_size(const void *inst, void *env)
{
	(void)env;
	return ((const struct wl *)inst)->n;
}

/* The workload as a scenario, its pids by label (print.h has the form
 * with the numbers a run passed). */
static void wl_print(FILE *f, const void *inst, void *env)
{
	char *text = wl_scenario(inst, NULL, -1, NULL, NULL, NULL);

	(void)env;
	fputs(text, f);
	free(text);
}

const struct prop_type wl_type = {
	.alloc = wl_alloc,
	.free = wl_free_cb,
	.shrink = wl_shrink,
	.size = wl_size,
	.print = wl_print,
};
