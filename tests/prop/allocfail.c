/*
 * allocfail.c - the allocation-failure sweep, as SQLite's malloc tests do
 * it: make the 1st, 2nd, ... allocation of a call fail, until the call
 * makes fewer allocations than that and succeeds.
 *
 * Every call that allocates (fork, fork into a new container, setown,
 * restore, migrate within the image: a container or a tree, as a new
 * container or into one), and setpgid and setsid, which allocate nothing
 * and so must run unchanged with a failure armed, in a set of
 * representative workloads, and in some generated ones, runs on
 * every design in two images side by side: a clean twin, and the image
 * under test, where the call is first made to fail at each of its
 * allocations in turn (include/pidsim_debug.h).  Each failure must
 *
 *   - return -ENOMEM;
 *   - leave everything observable as it was: census, every view's ps, every
 *     task's state and number in every view, every parent, every task's
 *     group and session, every stored owner (notify with signal 0), the
 *     bytes allocated;
 *   - and leak nothing (the ASan build's leak check at exit).
 *
 * After the failures the call is made again without one, and its result
 * and everything observable, the bytes included, must be the twin's: so a
 * failed call may not even move a pid cursor, and what a failed call keeps
 * must be what the successful call would have allocated anyway.  (A failed
 * call may keep memory, a weak-reference table grown before a later step
 * failed, say: the bytes then differ right after the failure, which the
 * sweep counts, and must be the twin's once the call has succeeded.)
 *
 * No allocation may fail without failing the call: a call that returns
 * anything but -ENOMEM after an allocation failed is a problem.
 *
 * Image creation and scenario parsing allocate with the C library's
 * malloc, not an image's counter, so they are swept through the linker:
 * this binary is linked with --wrap=malloc,realloc,calloc.  So are
 * restore and migrate, whose checkpoint and image decoding use malloc
 * too (the counted allocations of ps_alloc() call it as well).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim.h"
#include "pidsim_debug.h"
#include "pidsim_image.h"
#include "pidsim_scenario.h"
#include "prop.h"
#include "wl.h"

/* ---- malloc, wrapped ------------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_calloc(size_t n, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_calloc(size_t n, size_t size);

static uint64_t libc_fail_at, libc_calls;
static bool verbose;

static bool libc_fails(void)
{
	return libc_fail_at && ++libc_calls == libc_fail_at;
}

void *__wrap_malloc(size_t size)
{
	return libc_fails() ? NULL : __real_malloc(size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return libc_fails() ? NULL : __real_realloc(p, size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return libc_fails() ? NULL : __real_calloc(n, size);
}

/* Make the nth libc allocation from now fail; 0 disarms, keeping the
 * count of calls made while armed. */
static void libc_arm(uint64_t nth)
{
	if (nth)
		libc_calls = 0;
	libc_fail_at = nth;
}

/* ---- Scripts ------------------------------------------------------------------ */

enum { C_FORK, C_EXIT, C_WAIT, C_KILL, C_SETOWN, C_CLOSE, C_RESTORE, C_MIGRATE,
       C_SETPGID, C_SETSID };

/* kill: the target's group, -pgid */
#define C_GROUP 0x1u

/* Tasks a restore can bring back and record. */
#define TREE_CAP 256

/*
 * Tasks are named by labels, as in the workloads (wl.h): 0 is host init,
 * each fork defines the next label for its child, and so does a migrate
 * for the task it links to the new parent (the copies of the other tasks
 * have no label; the labels of the tasks that went name them still).
 */
struct call {
	int kind;
	int who;		/* a task label (0: host init) */
	unsigned flags;		/* fork; migrate: WL_MIG_*; kill: C_GROUP */
	int target;		/* kill, setown, setpgid: a task (setpgid: -1,
				 * the caller); close: an object index;
				 * restore: the init of the container to copy;
				 * migrate: the tree's root */
	int arg;		/* exit code, signal; migrate: the task it
				 * goes under; setpgid: a task whose group to
				 * join (-1: target's own number) */
	bool sweep;		/* sweep its allocations */
};

struct script {
	const char *name;
	int pid_max;
	struct call *calls;
	size_t n, cap;
	int tasks;		/* task labels its forks and migrates define */
};

static void add(struct script *s, struct call c)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->calls = realloc(s->calls, s->cap * sizeof *s->calls);
		if (!s->calls)
			abort();
	}
	s->calls[s->n++] = c;
}

/* A fork by who; the new task's label. */
static int fork_(struct script *s, int who, unsigned flags)
{
	add(s, (struct call){ C_FORK, who, flags, 0, 0, true });
	return ++s->tasks;
}

static void exit_(struct script *s, int who)
{
	add(s, (struct call){ C_EXIT, who, 0, 0, 0, false });
}

static void wait_(struct script *s, int who)
{
	add(s, (struct call){ C_WAIT, who, 0, 0, 0, false });
}

/* A migrate by who of the tree at root (WL_MIG_* flags) under parent,
 * swept; the label of the task linked to parent. */
static int migrate_(struct script *s, int who, int root, unsigned flags, int parent)
{
	add(s, (struct call){ C_MIGRATE, who, flags, root, parent, true });
	return ++s->tasks;
}

static void setown_(struct script *s, int who, int target)
{
	add(s, (struct call){ C_SETOWN, who, 0, target, 0, false });
}

/* setpgid by who of target (-1: itself) into the group of leader (-1:
 * target's own), swept. */
static void setpgid_(struct script *s, int who, int target, int leader)
{
	add(s, (struct call){ C_SETPGID, who, 0, target, leader, true });
}

static void setsid_(struct script *s, int who)
{
	add(s, (struct call){ C_SETSID, who, 0, 0, 0, true });
}

/* Fork a child of who, exit it and reap it, count times, unswept: moves
 * who's view's cursor. */
static void churn(struct script *s, int who, int count)
{
	for (int i = 0; i < count; i++) {
		int c;

		add(s, (struct call){ C_FORK, who, 0, 0, 0, false });
		c = ++s->tasks;
		exit_(s, c);
		wait_(s, who);
	}
}

/* fork: children of host init, some exiting and reaped, past the weak
 * reference table's first growth (64 slots) and a pid table's second
 * level (pid 64). */
static void script_fork(struct script *s)
{
	s->name = "fork";
	for (int i = 0; i < 90; i++) {
		int c = fork_(s, 0, 0);

		if (i % 5 == 4) {
			exit_(s, c);
			wait_(s, 0);
		}
	}
}

/* restore: a container checkpointed and restored beside itself, again,
 * and (where nesting is allowed) inside a container; its tasks running,
 * zombie, nested, with stored owners. */
static void script_restore(struct script *s)
{
	int c, a, b, n, other;

	s->name = "restore";
	c = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	a = fork_(s, c, 0);
	b = fork_(s, a, 0);
	fork_(s, c, 0);
	add(s, (struct call){ C_SETOWN, a, 0, b, 0, false });
	exit_(s, b);
	n = fork_(s, c, PIDSIM_CLONE_NEWPID);
	fork_(s, n, 0);
	other = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	for (int i = 0; i < 3; i++)
		add(s, (struct call){ C_RESTORE, 0, 0, c, 0, true });
	add(s, (struct call){ C_RESTORE, other, 0, c, 0, true });
	fork_(s, 0, 0);
}

/* migrate within the image, every mode: a container and a task tree,
 * each as a new container and into a running task's container; with
 * zombies, nested containers and stored owners in the tree, callers in the
 * host and in a container, and the copies moved again.  A container
 * moved into a container asks for pid 1 there and fails (-EEXIST), as
 * does a tree moved into the container it is still in: their allocations
 * before that are swept too. */
static void script_migrate(struct script *s)
{
	int c, a, b, n, other, t, t1, t2, m;

	s->name = "migrate";
	c = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	a = fork_(s, c, 0);
	b = fork_(s, a, 0);
	fork_(s, c, 0);
	setown_(s, a, b);
	setown_(s, 0, a);
	exit_(s, b);
	n = fork_(s, c, PIDSIM_CLONE_NEWPID);
	fork_(s, n, 0);
	other = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	fork_(s, other, 0);
	t = fork_(s, 0, 0);
	t1 = fork_(s, t, 0);
	fork_(s, fork_(s, t1, PIDSIM_CLONE_NEWPID), 0);
	fork_(s, t1, 0);
	setown_(s, 0, t1);
	t2 = fork_(s, t, 0);
	fork_(s, fork_(s, t2, 0), 0);
	setown_(s, t2, t2);
	churn(s, 0, 3);
	/* a container: beside itself, then nested in other */
	m = migrate_(s, 0, c, 0, 0);
	m = migrate_(s, 0, m, 0, other);
	/* into a container: pid 1 is taken */
	migrate_(s, 0, m, WL_MIG_INTO, other);
	/* a subtree of a container, by its init, into a nested container,
	 * and into its own (its numbers are still taken there) */
	a = fork_(s, m, 0);
	b = fork_(s, a, 0);
	fork_(s, b, 0);
	n = fork_(s, m, PIDSIM_CLONE_NEWPID);
	migrate_(s, m, a, WL_MIG_TREE | WL_MIG_INTO, m);
	migrate_(s, m, a, WL_MIG_TREE | WL_MIG_INTO, n);
	/* host trees: into a container and back into the host, with and
	 * without a container nested in them (which the designs with one
	 * level refuse); what is left as a new container */
	m = migrate_(s, 0, t1, WL_MIG_TREE | WL_MIG_INTO, other);
	migrate_(s, 0, m, WL_MIG_TREE | WL_MIG_INTO, 0);
	m = migrate_(s, 0, t2, WL_MIG_TREE | WL_MIG_INTO, other);
	migrate_(s, 0, m, WL_MIG_TREE | WL_MIG_INTO, 0);
	migrate_(s, 0, t, WL_MIG_TREE, 0);
	fork_(s, 0, 0);
}

/* groups: sessions and groups made in the host and in a container, the
 * leaders reaped while their groups live (their pids stay, allocated by
 * restore and migrate for the copies), the trees copied and moved with
 * them, and the numbers of reaped leaders asked for again. */
static void script_groups(struct script *s)
{
	int c, a, b, d, e, l, lm, m, other;

	s->name = "groups";
	c = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	a = fork_(s, c, 0);
	setsid_(s, a);
	b = fork_(s, a, 0);
	d = fork_(s, a, 0);
	setpgid_(s, a, b, -1);		/* b leads a group */
	setpgid_(s, a, d, b);		/* d joins it */
	setpgid_(s, d, -1, -1);		/* d leads a group of its own */
	setpgid_(s, a, d, b);		/* and is back in b's */
	setpgid_(s, c, a, -1);		/* refused: a leads a session */
	e = fork_(s, d, 0);
	setsid_(s, b);			/* refused: b leads a group */
	setsid_(s, e);			/* e leads a session of its own */
	exit_(s, a);			/* the session's leader, reaped */
	wait_(s, c);
	exit_(s, b);			/* the group's leader, reaped */
	wait_(s, c);
	l = fork_(s, 0, 0);		/* a host group with a reaped leader */
	setpgid_(s, 0, l, -1);
	lm = fork_(s, l, 0);
	setpgid_(s, l, fork_(s, lm, 0), -1);	/* refused: not l's child */
	exit_(s, l);
	wait_(s, 0);
	other = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	churn(s, c, 6);			/* cursors past the kept numbers */
	churn(s, 0, 6);
	/* the trees out of their groups: into a container, and as one */
	m = migrate_(s, 0, lm, WL_MIG_TREE | WL_MIG_INTO, other);
	add(s, (struct call){ C_KILL, other, C_GROUP, m, 0, false });
	migrate_(s, 0, e, WL_MIG_TREE, 0);
	/* the container with its reaped leaders: copied, and moved */
	add(s, (struct call){ C_RESTORE, 0, 0, c, 0, true });
	add(s, (struct call){ C_RESTORE, other, 0, c, 0, true });
	m = migrate_(s, 0, c, 0, 0);
	migrate_(s, 0, m, 0, other);
	fork_(s, 0, 0);
}

/* new containers: several beside each other, nested, with tasks in each. */
static void script_containers(struct script *s)
{
	int c[3], nested;

	s->name = "new container";
	for (int i = 0; i < 3; i++) {
		c[i] = fork_(s, 0, PIDSIM_CLONE_NEWPID);
		for (int j = 0; j < 15; j++)
			fork_(s, c[i], 0);
	}
	nested = fork_(s, c[0], PIDSIM_CLONE_NEWPID);
	for (int j = 0; j < 10; j++)
		fork_(s, nested, 0);
	fork_(s, fork_(s, nested, PIDSIM_CLONE_NEWPID), PIDSIM_CLONE_NEWPID);
	exit_(s, c[1]);
	wait_(s, 0);
	for (int i = 0; i < 5; i++)
		fork_(s, 0, PIDSIM_CLONE_NEWPID);
}

/* setown: owners in the host and in a container, past the object table's
 * growths (16, 32), ids closed and reused. */
static void script_setown(struct script *s)
{
	int ct, t[4];

	s->name = "setown";
	ct = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	t[0] = fork_(s, 0, 0);
	t[1] = fork_(s, ct, 0);
	t[2] = fork_(s, ct, 0);
	t[3] = ct;
	for (int i = 0; i < 40; i++) {
		int who = i % 2 ? t[1] : 0, target = i % 2 ? t[2] : t[i % 4 == 0 ? 0 : 3];

		add(s, (struct call){ C_SETOWN, who, 0, target, 0, true });
		if (i % 7 == 6)
			add(s, (struct call){ C_CLOSE, 0, 0, i - 3, 0, false });
	}
}

/* a pid bitmap page crossed: the views' cursors moved to 4090 by churn,
 * then forks across the first 4096-number page, in the host and in a
 * container. */
static void script_pages(struct script *s)
{
	int ct;

	s->name = "pidmap pages";
	ct = fork_(s, 0, PIDSIM_CLONE_NEWPID);
	churn(s, ct, 4090);
	for (int i = 0; i < 12; i++)
		fork_(s, ct, 0);
	for (int i = 0; i < 12; i++)
		fork_(s, 0, 0);
}

/* A generated workload's allocating calls and the calls between them. */
static void script_generated(struct script *s, uint64_t seed)
{
	struct prop_rng rng = { seed };
	struct wl *w = wl_generate(&rng);
	int *task = malloc(sizeof(int) * (size_t)(w->nr_tasks + 1));
	int objs = 0;

	if (!task)
		abort();
	s->name = "generated";
	s->pid_max = w->pid_max;
	for (int i = 0; i <= w->nr_tasks; i++)
		task[i] = -1;
	task[0] = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct wl_op *op = &w->ops[i];
		int who = op->who < w->nr_tasks ? task[op->who] : -1;
		int target = op->pid.kind == WL_PID_TASK && op->pid.task < w->nr_tasks ?
			     task[op->pid.task] : -1;

		if (who < 0)
			continue;
		switch (op->kind) {
		case WL_FORK:
			task[op->def] = fork_(s, who, op->flags & PIDSIM_CLONE_NEWPID);
			break;
		case WL_EXIT:
			add(s, (struct call){ C_EXIT, who, 0, 0, op->arg, false });
			break;
		case WL_WAIT:
			wait_(s, who);
			break;
		case WL_KILL:
			if (op->pid.kind == WL_PID_GROUP && op->pid.task < w->nr_tasks &&
			    task[op->pid.task] >= 0)
				add(s, (struct call){ C_KILL, who, C_GROUP, task[op->pid.task],
						      op->arg, false });
			else if (target >= 0)
				add(s, (struct call){ C_KILL, who, 0, target, op->arg, false });
			break;
		case WL_SETPGID: {
			int lead = op->pid2.kind == WL_PID_TASK && op->pid2.task < w->nr_tasks ?
				   task[op->pid2.task] : -1;

			if (op->pid.kind == WL_PID_TASK && target < 0)
				break;
			setpgid_(s, who, op->pid.kind == WL_PID_TASK ? target : -1, lead);
			break;
		}
		case WL_SETSID:
			setsid_(s, who);
			break;
		case WL_SETOWN:
			if (target >= 0)
				add(s, (struct call){ C_SETOWN, who, 0, target, 0, true });
			objs++;
			break;
		case WL_CLOSE:
			if (objs && op->target >= 0)
				add(s, (struct call){ C_CLOSE, 0, 0, op->target % objs, 0, false });
			break;
		case WL_MIGRATE:
			task[op->def] = migrate_(s, who, op->target < w->nr_tasks ?
						 task[op->target] : -1, op->flags,
						 op->pid.task < w->nr_tasks ?
						 task[op->pid.task] : -1);
			break;
		default:
			break;
		}
	}
	free(task);
	wl_free(w);
}

/* ---- Images, and what can be seen of them ------------------------------- */

struct world {
	pidsim_kernel *k;
	pidsim_tid *h;		/* every task, by creation; NO_TASK when a
				 * fork failed */
	bool *init;
	int nt, cap;
	int *lbl;		/* a task label's index in h; -1 */
	int nl, cap_l;
	int *obj;		/* setown's ids, by index; -1 */
	int no, cap_o;
};

static void world_add(struct world *w, pidsim_tid h, bool init)
{
	if (w->nt == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->h = realloc(w->h, (size_t)w->cap * sizeof *w->h);
		w->init = realloc(w->init, (size_t)w->cap * sizeof *w->init);
		if (!w->h || !w->init)
			abort();
	}
	w->h[w->nt] = h;
	w->init[w->nt++] = init;
}

/* The next label names h[x] (-1: no task). */
static void world_label(struct world *w, int x)
{
	if (w->nl == w->cap_l) {
		w->cap_l = w->cap_l ? w->cap_l * 2 : 256;
		w->lbl = realloc(w->lbl, (size_t)w->cap_l * sizeof *w->lbl);
		if (!w->lbl)
			abort();
	}
	w->lbl[w->nl++] = x;
}

/* The task a label names, or NO_TASK. */
static pidsim_tid task_at(const struct world *w, int label)
{
	return label >= 0 && label < w->nl && w->lbl[label] >= 0 ? w->h[w->lbl[label]]
								 : PIDSIM_NO_TASK;
}

static void world_obj(struct world *w, int id)
{
	if (w->no == w->cap_o) {
		w->cap_o = w->cap_o ? w->cap_o * 2 : 64;
		w->obj = realloc(w->obj, (size_t)w->cap_o * sizeof *w->obj);
		if (!w->obj)
			abort();
	}
	w->obj[w->no++] = id;
}

static void world_free(struct world *w)
{
	pidsim_kernel_destroy(w->k);
	free(w->h);
	free(w->init);
	free(w->obj);
	free(w->lbl);
}

/* Everything observable, as a list of ints. */
struct snap {
	int *v;
	size_t n, cap;
	uint64_t bytes;
};

static void put(struct snap *s, int v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			abort();
	}
	s->v[s->n++] = v;
}

static void snapshot(struct world *w, struct snap *s)
{
	struct pidsim_census cs;
	struct pidsim_stats st;
	int *pids = malloc(sizeof(int) * (size_t)(w->nt + 1));

	if (!pids)
		abort();
	s->n = 0;
	pidsim_census_get(w->k, &cs);
	pidsim_stats_get(w->k, &st);
	s->bytes = st.bytes;
	put(s, (int)cs.tasks);
	put(s, (int)cs.zombies);
	put(s, (int)cs.containers);
	put(s, (int)cs.reaped_leaders);
	for (int i = 0; i < w->nt; i++) {
		put(s, pidsim_task_state(w->k, w->h[i]));
		put(s, pidsim_getppid(w->k, w->h[i]));
		put(s, pidsim_getpid(w->k, w->h[i]));
		put(s, pidsim_getpgid(w->k, w->h[i], 0));
		put(s, pidsim_getsid(w->k, w->h[i], 0));
	}
	/* every view, through each running init */
	for (int o = 0; o < w->nt; o++) {
		int n;

		if (!w->init[o] || pidsim_task_state(w->k, w->h[o]) != PIDSIM_RUNNING)
			continue;
		n = pidsim_ps(w->k, w->h[o], pids, (size_t)w->nt + 1);
		put(s, n);
		for (int i = 0; i < n && i <= w->nt; i++)
			put(s, pids[i]);
		for (int i = 0; i < w->nt; i++)
			put(s, pidsim_pid_of(w->k, w->h[o], w->h[i]));
	}
	for (int i = 0; i < w->no; i++) {
		pidsim_tid to = PIDSIM_NO_TASK;
		int r = pidsim_notify(w->k, w->obj[i], 0, &to), who = -1;

		for (int j = 0; j < w->nt && to; j++)
			if (w->h[j] == to)
				who = j;
		put(s, r);
		put(s, who);
	}
	free(pids);
}

/* The first difference between two snapshots, or -1. */
static long snap_diff(const struct snap *a, const struct snap *b)
{
	size_t n = a->n < b->n ? a->n : b->n;

	for (size_t i = 0; i < n; i++)
		if (a->v[i] != b->v[i])
			return (long)i;
	return a->n == b->n ? -1 : (long)n;
}

/* One call on one image; a fork's child in *child, a restore's or a
 * migrate's tasks in *tree. */
static int do_call(struct world *w, const struct call *c, pidsim_tid *child,
		   struct pidsim_tree *tree)
{
	pidsim_tid who = task_at(w, c->who), target = task_at(w, c->target);
	int st;

	*child = PIDSIM_NO_TASK;
	switch (c->kind) {
	case C_FORK:
		return pidsim_fork(w->k, who, c->flags, child);
	case C_EXIT:
		return pidsim_exit(w->k, who, c->arg);
	case C_WAIT:
		return pidsim_wait(w->k, who, -1, &st);
	case C_KILL:
		return pidsim_kill(w->k, who, (c->flags & C_GROUP ? -1 : 1) *
				   pidsim_pid_of(w->k, who, target), c->arg);
	case C_SETPGID: {
		pidsim_tid lead = task_at(w, c->arg);
		int pid = c->target < 0 ? 0 : pidsim_pid_of(w->k, who, target);

		return pidsim_setpgid(w->k, who, pid, c->arg < 0 ? 0 :
				      pidsim_getpgid(w->k, who, pidsim_pid_of(w->k, who, lead)));
	}
	case C_SETSID:
		return pidsim_setsid(w->k, who);
	case C_SETOWN:
		return pidsim_setown(w->k, who, pidsim_pid_of(w->k, who, target));
	case C_CLOSE:
		return c->target >= 0 && c->target < w->no ?
		       pidsim_owner_close(w->k, w->obj[c->target]) : -EBADF;
	case C_RESTORE: {
		void *img = NULL;
		size_t len = 0;
		int r = pidsim_checkpoint(w->k, PIDSIM_NO_TASK, target,
					  PIDSIM_CKPT_CONTAINER, &img, &len, NULL);

		if (r < 0)
			return r;
		tree->nr_tasks = tree->nr_objs = 0;
		r = pidsim_restore(w->k, img, len, who, PIDSIM_RESTORE_CONTAINER, tree);
		pidsim_image_free(img);
		return r;
	}
	case C_MIGRATE:
		tree->nr_tasks = tree->nr_objs = 0;
		tree->top = PIDSIM_NO_TASK;
		return pidsim_migrate(w->k, who, target, c->flags & WL_MIG_TREE ?
				      PIDSIM_CKPT_TREE : PIDSIM_CKPT_CONTAINER, w->k,
				      task_at(w, c->arg), c->flags & WL_MIG_INTO ?
				      PIDSIM_RESTORE_INTO : PIDSIM_RESTORE_CONTAINER, tree);
	}
	return -EINVAL;
}

/* A restored task, init or not. */
static void add_restored(struct world *w, pidsim_tid t)
{
	pidsim_tid ct = PIDSIM_NO_TASK;

	pidsim_container_of(w->k, t, &ct);
	world_add(w, t, ct == t);
}

/* A fork's child, a setown's object, a restore's or a migrate's tasks and
 * objects, recorded after the call; the labels a fork and a migrate
 * define. */
static void after_call(struct world *w, const struct call *c, int r, pidsim_tid child,
		       const struct pidsim_tree *tree)
{
	if ((c->kind == C_RESTORE || c->kind == C_MIGRATE) && r >= 0) {
		int top = -1;

		/* a tree restored as a container: its new init first */
		if (c->kind == C_MIGRATE && (c->flags & WL_MIG_TREE) &&
		    !(c->flags & WL_MIG_INTO)) {
			top = w->nt;
			add_restored(w, tree->top);
		}
		for (size_t i = 0; i < tree->nr_tasks && i < tree->cap; i++) {
			if (tree->dst[i] == tree->top)
				top = w->nt;
			add_restored(w, tree->dst[i]);
		}
		for (size_t i = 0; i < tree->nr_objs && i < tree->obj_cap; i++)
			world_obj(w, tree->dst_obj[i]);
		if (c->kind == C_MIGRATE)
			world_label(w, top);
	} else if (c->kind == C_MIGRATE) {
		world_label(w, -1);
	} else if (c->kind == C_FORK) {
		world_label(w, r >= 0 ? w->nt : -1);
		world_add(w, r >= 0 ? child : PIDSIM_NO_TASK,
			  r >= 0 && (c->flags & PIDSIM_CLONE_NEWPID));
	} else if (c->kind == C_SETOWN) {
		world_obj(w, r);
	}
}

/* ---- The sweep ------------------------------------------------------------- */

struct totals {
	uint64_t calls, failures, kept_bytes, scripts;
	uint64_t migrates, migrated;	/* migrate calls; those that succeeded */
	int failed;
};

static int problem(struct totals *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int problem(struct totals *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("== FAIL allocfail: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	t->failed = 1;
	return 1;
}

static const char *what(const struct call *c)
{
	static const char *const names[] = { "fork", "exit", "wait", "kill",
					     "setown", "close", "restore", "migrate",
					     "setpgid", "setsid" };
	static const char *const migrates[] = {
		"migrate container", "migrate tree", "migrate container into",
		"migrate tree into" };

	if (c->kind == C_MIGRATE)
		return migrates[c->flags & (WL_MIG_TREE | WL_MIG_INTO)];
	return c->kind == C_FORK && (c->flags & PIDSIM_CLONE_NEWPID) ? "fork newpid"
	       : names[c->kind];
}

static int sweep_script(const struct pidsim_design_info *d, const struct script *s,
			struct totals *t)
{
	struct world twin = { 0 }, sut = { 0 };
	struct snap before = { 0 }, after = { 0 }, clean = { 0 };
	pidsim_tid src_t[TREE_CAP], dst_t[TREE_CAP], tsrc_t[TREE_CAP], tdst_t[TREE_CAP];
	int src_o[TREE_CAP], dst_o[TREE_CAP], tsrc_o[TREE_CAP], tdst_o[TREE_CAP];
	struct pidsim_tree tree = { TREE_CAP, src_t, dst_t, TREE_CAP, src_o, dst_o, 0, 0, 0 };
	struct pidsim_tree ttree = { TREE_CAP, tsrc_t, tdst_t, TREE_CAP, tsrc_o, tdst_o, 0, 0, 0 };
	int err = 0;

	if (s->pid_max > d->max_pid_max)
		return 0;
	if (pidsim_kernel_create(d->name, s->pid_max, &twin.k) ||
	    pidsim_kernel_create(d->name, s->pid_max, &sut.k))
		return problem(t, "%s: kernel_create failed", d->name);
	world_add(&twin, pidsim_host_init(twin.k), true);
	world_add(&sut, pidsim_host_init(sut.k), true);
	world_label(&twin, 0);
	world_label(&sut, 0);
	for (size_t i = 0; i < s->n && !err; i++) {
		const struct call *c = &s->calls[i];
		pidsim_tid tchild, child = PIDSIM_NO_TASK;
		int want = do_call(&twin, c, &tchild, &ttree), r = 0;
		/* a restore also decodes its image with malloc: its sweep is
		 * the C library's, which sees the image's allocations too
		 * (ps_alloc() calls malloc()) */
		bool libc = c->kind == C_RESTORE || c->kind == C_MIGRATE;

		after_call(&twin, c, want, tchild, &ttree);
		if (c->sweep)
			snapshot(&sut, &before);
		for (uint64_t nth = 1; c->sweep; nth++) {
			long at;
			bool fired;

			if (libc)
				libc_arm(nth);
			else
				pidsim_debug_fail_alloc(sut.k, nth);
			r = do_call(&sut, c, &child, &tree);
			fired = libc ? libc_calls >= nth : pidsim_debug_fail_fired(sut.k);
			pidsim_debug_fail_alloc(sut.k, 0);
			libc_arm(0);
			if (!fired)
				break;		/* fewer allocations than nth: it ran */
			t->failures++;
			if (verbose) {
				struct pidsim_stats st;

				pidsim_stats_get(sut.k, &st);
				printf("   %s %s call %zu (%s): allocation %" PRIu64 " failed: "
				       "%d, bytes %" PRIu64 " -> %" PRIu64 "\n", d->name,
				       s->name, i + 1, what(c), nth, r, before.bytes, st.bytes);
			}
			if (r != -ENOMEM) {
				err = problem(t, "%s, %s, call %zu (%s): allocation %" PRIu64
					      " failed and it returned %s, not -ENOMEM",
					      d->name, s->name, i + 1, what(c), nth,
					      pidsim_errname(r));
				break;
			}
			snapshot(&sut, &after);
			if ((at = snap_diff(&before, &after)) >= 0) {
				err = problem(t, "%s, %s, call %zu (%s): allocation %" PRIu64
					      " failed, and the call changed what can be "
					      "seen (item %ld)", d->name, s->name, i + 1,
					      what(c), nth, at);
				break;
			}
			if (after.bytes != before.bytes)
				t->kept_bytes++;
		}
		if (!c->sweep)
			r = do_call(&sut, c, &child, &tree);
		after_call(&sut, c, r, child, &tree);
		t->calls++;
		if (c->kind == C_MIGRATE) {
			t->migrates++;
			t->migrated += r >= 0;
			if (verbose)
				printf("   %s %s call %zu (%s): %d %s\n", d->name, s->name,
				       i + 1, what(c), r, r < 0 ? pidsim_errname(r) : "");
		}
		if (err)
			break;
		if (r != want) {
			err = problem(t, "%s, %s, call %zu (%s): after its allocation "
				      "failures it returned %d, a clean image %d", d->name,
				      s->name, i + 1, what(c), r, want);
			break;
		}
		if (c->sweep || i + 1 == s->n) {
			long at;

			snapshot(&sut, &after);
			snapshot(&twin, &clean);
			if ((at = snap_diff(&after, &clean)) >= 0 ||
			    after.bytes != clean.bytes)
				err = problem(t, "%s, %s, call %zu (%s): after its allocation "
					      "failures the image differs from a clean one "
					      "(item %ld; bytes %" PRIu64 " vs %" PRIu64 ")",
					      d->name, s->name, i + 1, what(c), at,
					      after.bytes, clean.bytes);
		}
	}
	free(before.v);
	free(after.v);
	free(clean.v);
	world_free(&twin);
	world_free(&sut);
	t->scripts++;
	return err;
}

/* kernel_create with its n-th libc allocation failing, for every n. */
static void sweep_create(const struct pidsim_design_info *d, struct totals *t)
{
	for (uint64_t nth = 1;; nth++) {
		pidsim_kernel *k = NULL;
		int r;

		libc_arm(nth);
		r = pidsim_kernel_create(d->name, 0, &k);
		libc_arm(0);
		if (libc_calls < nth) {
			pidsim_kernel_destroy(k);
			break;
		}
		t->failures++;
		if (r != -ENOMEM || k) {
			problem(t, "%s: kernel_create with allocation %" PRIu64 " failing "
				"returned %d%s", d->name, nth, r, k ? " and an image" : "");
			pidsim_kernel_destroy(k);
			break;
		}
	}
	t->calls++;
}

/* A scenario file, parsed with its n-th allocation failing, for every n. */
static void sweep_parse(const char *text, struct totals *t)
{
	for (uint64_t nth = 1;; nth++) {
		struct pidsim_scenario *sc = NULL;
		struct pidsim_sc_error err;
		int r;

		libc_arm(nth);
		r = pidsim_sc_parse(text, strlen(text), &sc, &err);
		libc_arm(0);
		if (libc_calls < nth) {
			if (r)
				problem(t, "the sample scenario does not parse (allocation "
					"%" PRIu64 " of %" PRIu64 "): line %u: %s", nth,
					libc_calls, err.line, err.msg);
			pidsim_sc_free(sc);
			break;
		}
		t->failures++;
		if (r != -ENOMEM) {
			problem(t, "scenario parsing with allocation %" PRIu64 " failing "
				"returned %d", nth, r);
			if (r == 0)
				pidsim_sc_free(sc);
			break;
		}
	}
	t->calls++;
}

static const char sample_scenario[] =
	"# the parser's allocations, swept\n"
	"kernel host pid_max 400\n"
	"fork host newpid -> c1\n"
	"fork c1 -> a\n"
	"fork c1 newpid -> c2\n"
	"fork a -> b\n"
	"ref host c1:a -> ra\n"
	"setown a b -> o1\n"
	"exit a 3\n"
	"expect ok\n"
	"wait c1 any\n"
	"kill host c1:b KILL\n"
	"notify o1 IO\n"
	"ps host c1\n"
	"resolve host ra\n"
	"churn c1 5\n"
	"kernel other\n"
	"fork other -> x\n"
	"getppid x\n";

int main(void)
{
	uint64_t generated = prop_env_u64("PIDSIM_ALLOCFAIL_GENERATED", 30);
	uint64_t seed = prop_env_seed(0xa110cfa1ull);
	void (*const scripts[])(struct script *) = {
		script_fork, script_containers, script_setown, script_pages,
		script_restore, script_migrate, script_groups,
	};
	struct totals t = { 0 };

	verbose = prop_env_u64("PIDSIM_VERBOSE", 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("== allocfail: every allocation of fork, new-container fork, "
	       "setown, restore and migrate (setpgid and setsid: none), %zu scripts and %" PRIu64 " generated workloads (seed "
	       "0x%016" PRIx64 ") on every design; kernel create; scenario parsing\n",
	       sizeof scripts / sizeof scripts[0], generated, seed);
	for (size_t i = 0; i < pidsim_design_count() && !t.failed; i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);
		uint64_t f0 = t.failures;

		sweep_create(d, &t);
		for (size_t j = 0; j < sizeof scripts / sizeof scripts[0] && !t.failed; j++) {
			struct script s = { 0 };

			scripts[j](&s);
			sweep_script(d, &s, &t);
			free(s.calls);
		}
		for (uint64_t g = 0; g < generated && !t.failed; g++) {
			struct script s = { 0 };

			script_generated(&s, prop_trial_seed(seed, g));
			if (sweep_script(d, &s, &t))
				printf("   (generated workload seed 0x%016" PRIx64 ")\n",
				       prop_trial_seed(seed, g));
			free(s.calls);
		}
		printf("   %-12s %" PRIu64 " allocation failures injected\n", d->name,
		       t.failures - f0);
	}
	if (!t.failed)
		sweep_parse(sample_scenario, &t);
	printf("== %s allocfail: %" PRIu64 " calls, %" PRIu64 " allocation failures "
	       "injected: each call -ENOMEM with nothing changed; %" PRIu64
	       " failed calls kept memory the retry then used; %" PRIu64
	       " migrates swept, %" PRIu64 " of them then succeeded\n",
	       t.failed ? "FAIL" : "PASS", t.calls, t.failures, t.kept_bytes,
	       t.migrates, t.migrated);
	return t.failed;
}
