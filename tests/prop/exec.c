/*
 * exec.c - run a workload on one design and check it (see exec.h).
 *
 * The executor knows only what the public interface tells it, and what the
 * workload did: which fork made which task, with which flags, so which
 * container each task lives in and which container each container is in.
 * From that alone it can say what the contract lets a container see
 * (ex_may_see()), which is what the invariants and the isolation check hold
 * the design to.  The reference model (ref.h) runs beside it only for the
 * CHK_REF property.
 */
#include "exec.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"
#include "pidsim_debug.h"
#include "pidsim_image.h"
#include "ref.h"

/* ---- Bookkeeping ------------------------------------------------------------ */

static void *grow(void *arr, int *cap, int want, size_t size)
{
	if (want <= *cap)
		return arr;
	while (*cap < want)
		*cap = *cap ? *cap * 2 : 64;
	arr = realloc(arr, (size_t)*cap * size);
	if (!arr)
		abort();
	return arr;
}

/* The first failure wins; later checks of the step return at once. */
int ex_fail(struct ex *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->out->failed)
		return 1;
	e->out->failed = true;
	e->out->step = e->step;
	n = snprintf(e->out->why, sizeof e->out->why, "step %d (%s): ", e->step + 1,
		     e->d->name);
	va_start(ap, fmt);
	vsnprintf(e->out->why + n, sizeof e->out->why - (size_t)n, fmt, ap);
	va_end(ap);
	return 1;
}

const char *ex_errstr(int err)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	if (err >= 0)
		snprintf(buf[i], sizeof buf[i], "%d", err);
	else
		snprintf(buf[i], sizeof buf[i], "-%s", pidsim_errname(err));
	return buf[i];
}

/* A task's name for a message: its label, or "a churn child". */
const char *ex_name(const struct ex *e, int x)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	if (x < 0)
		snprintf(buf[i], sizeof buf[i], "no task");
	else if (e->t[x].label == 0)
		snprintf(buf[i], sizeof buf[i], "host");
	else if (e->t[x].label > 0)
		snprintf(buf[i], sizeof buf[i], "t%d", e->t[x].label);
	else
		snprintf(buf[i], sizeof buf[i], "a churn child");
	return buf[i];
}

const char *ex_state(int state)
{
	return state == PIDSIM_RUNNING ? "running" : state == PIDSIM_ZOMBIE ? "zombie"
		: state == NEW ? "new" : "gone";
}

int ex_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

pidsim_tid ex_handle(const struct ex *e, int x)
{
	return x >= 0 ? e->t[x].h : PIDSIM_NO_TASK;
}

int ex_task_of(const struct ex *e, int label)
{
	return label >= 0 && label < e->w->nr_tasks ? e->label_task[label] : -1;
}

bool ex_alive(const struct ex *e, int x)
{
	return x >= 0 && e->t[x].state > 0;
}

bool ex_running(const struct ex *e, int x)
{
	return x >= 0 && e->t[x].state == PIDSIM_RUNNING;
}

bool ex_is_init(const struct ex *e, int x)
{
	return e->c[e->t[x].ct].init == x;
}

/* A running task in container c to look through, or no task. */
pidsim_tid ex_observer(const struct ex *e, int c)
{
	return c >= 0 && ex_running(e, e->c[c].init) ? e->t[e->c[c].init].h
						  : PIDSIM_NO_TASK;
}

bool ex_ct_contains(const struct ex *e, int a, int b)
{
	for (; b >= 0; b = e->c[b].parent)
		if (b == a)
			return true;
	return false;
}

/* What the contract lets view c see (rule 4, and the design's flags). */
bool ex_may_see(const struct ex *e, int c, int x)
{
	int own = e->t[x].ct;
	unsigned f = e->d->flags;

	if (c < 0)
		return false;
	return own == c || (ex_is_init(e, x) && e->c[own].parent == c) ||
	       ((f & PIDSIM_D_HIERARCHICAL) && ex_ct_contains(e, c, own)) ||
	       (c == 0 && (f & PIDSIM_D_HOST_SEES_ALL));
}

int ex_hist_nr(const struct ex *e, int x, int c)
{
	for (int i = e->nh - 1; i >= 0; i--)
		if (e->hist[i].task == x && e->hist[i].ct == c)
			return e->hist[i].nr;
	return 0;
}

/* The live task view c knew as nr when it was forked, or -1. */
int ex_hist_task(const struct ex *e, int c, int nr)
{
	for (int i = e->nh - 1; i >= 0; i--)
		if (e->hist[i].ct == c && e->hist[i].nr == nr && ex_alive(e, e->hist[i].task))
			return e->hist[i].task;
	return -1;
}

static int add_task(struct ex *e, pidsim_tid h, int label, int ct)
{
	e->t = grow(e->t, &e->cap_t, e->nt + 1, sizeof *e->t);
	e->t[e->nt] = (struct xtask){ h, label, -1, ct, PIDSIM_RUNNING, -1, -1 };
	return e->nt++;
}

static int add_ct(struct ex *e, int parent)
{
	e->c = grow(e->c, &e->cap_c, e->nc + 1, sizeof *e->c);
	e->c[e->nc] = (struct xct){ -1, parent, parent < 0 ? 0 : e->c[parent].level + 1,
				    -1, false };
	return e->nc++;
}

/* Every number a new task has, in every view that may see it (the
 * invariants check that the others do not). */
static void record_numbers(struct ex *e, int x)
{
	for (int c = 0; c < e->nc; c++) {
		pidsim_tid o = ex_observer(e, c);
		int nr;

		if (o == PIDSIM_NO_TASK || !ex_may_see(e, c, x))
			continue;
		nr = pidsim_pid_of(e->k, o, e->t[x].h);
		e->out->calls++;
		if (nr > 0) {
			e->hist = grow(e->hist, &e->cap_h, e->nh + 1, sizeof *e->hist);
			e->hist[e->nh++] = (struct xnum){ x, c, nr };
		}
	}
}

/* The task a handle names: by identity, or else by container and number. */
int ex_identify(struct ex *e, pidsim_tid h)
{
	pidsim_tid ct;
	int nr;

	if (h == PIDSIM_NO_TASK || h == NO_HANDLE)
		return -1;
	for (int x = 0; x < e->nt; x++)
		if (e->t[x].h == h)
			return x;
	if (pidsim_container_of(e->k, h, &ct) < 0)
		return -2;
	for (int x = 0; x < e->nt; x++) {
		pidsim_tid o = ex_observer(e, e->t[x].ct);

		if (ex_alive(e, x) && ex_handle(e, e->c[e->t[x].ct].init) == ct &&
		    o != PIDSIM_NO_TASK && (nr = pidsim_pid_of(e->k, o, h)) > 0 &&
		    nr == pidsim_pid_of(e->k, o, e->t[x].h))
			return x;
	}
	return -2;
}

static void refresh(struct ex *e)
{
	for (int x = 0; x < e->nt; x++) {
		if (e->t[x].state == GONE && e->t[x].label < 0)
			continue;	/* a churn child, checked when it went */
		e->t[x].state = pidsim_task_state(e->k, e->t[x].h);
		e->out->calls++;
	}
}

static void take_snapshot(struct ex *e)
{
	int cap = e->cap_snap;

	e->snap = grow(e->snap, &e->cap_snap, e->nt + 1, sizeof *e->snap);
	e->gsnap = grow(e->gsnap, &cap, e->nt + 1, sizeof *e->gsnap);
	for (int x = 0; x < e->nt; x++) {
		e->snap[x] = e->t[x].state;
		e->gsnap[x] = ex_alive(e, x) && (e->checks & CHK_ISO) ?
			      pidsim_debug_group_id(e->k, e->t[x].h, 0) : 0;
	}
	e->nt_before = e->nt;
}

int ex_before(const struct ex *e, int x)
{
	return x < e->nt_before ? e->snap[x] : NEW;
}

void ex_ensure_buf(struct ex *e)
{
	size_t want = (size_t)e->nt + 8;

	if (want <= e->cap_buf)
		return;
	e->cap_buf = want * 2;
	e->buf = realloc(e->buf, e->cap_buf * sizeof *e->buf);
	e->rbuf = realloc(e->rbuf, e->cap_buf * sizeof *e->rbuf);
	if (!e->buf || !e->rbuf)
		abort();
}

static int m_of(const struct ex *e, int x)
{
	return x >= 0 ? e->t[x].ref : -1;
}

static int x_of_m(const struct ex *e, int mt)
{
	return mt >= 0 && mt < e->cap_m2x ? e->m2x[mt] : -1;
}

static void link_model(struct ex *e, int x, int mt)
{
	int old = e->cap_m2x;

	e->m2x = grow(e->m2x, &e->cap_m2x, mt + 1, sizeof *e->m2x);
	for (int i = old; i < e->cap_m2x; i++)
		e->m2x[i] = -1;
	e->m2x[mt] = x;
	e->t[x].ref = mt;
}

static int ct_of_model(const struct ex *e, int mc)
{
	for (int c = 0; c < e->nc; c++)
		if (e->c[c].ref == mc)
			return c;
	return -1;
}

/* ---- Arguments ---------------------------------------------------------------- */

/* The number a pid argument stands for, read in view c through o. */
static int resolve(struct ex *e, const struct wl_pid *p, int c, pidsim_tid o,
		   struct step_log *lg)
{
	int x, nr;

	lg->symbolic = false;
	if (p->kind == WL_PID_ANY)
		return lg->pid = -1;
	if (p->kind == WL_PID_RAW)
		return lg->pid = p->raw;
	x = ex_task_of(e, p->task);
	nr = 0;
	if (ex_alive(e, x) && o != PIDSIM_NO_TASK) {
		nr = pidsim_pid_of(e->k, o, e->t[x].h);
		e->out->calls++;
		lg->symbolic = nr > 0;
	}
	if (nr <= 0 && x >= 0 && c >= 0)
		nr = ex_hist_nr(e, x, c);	/* a number this view saw it by */
	if (nr <= 0 && x >= 0)
		nr = ex_hist_nr(e, x, e->t[x].ct);	/* in its own container */
	if (nr <= 0)
		return lg->pid = p->raw;
	return lg->pid = p->kind == WL_PID_GROUP ? -nr : nr;	/* its group */
}

/* The view a qualified address names, as the workload built it: the
 * container whose init the label is, or -1. */
static int qualified_view(const struct ex *e, int label)
{
	int x = ex_task_of(e, label);

	return ex_alive(e, x) && ex_is_init(e, x) ? e->t[x].ct : -1;
}

/* ---- One step, per kind ------------------------------------------------------ */


int ex_check_eq(struct ex *e, const char *what, int got, int want)
{
	if (got == want)
		return 0;
	if (!e->out->failed) {
		e->out->has_want = true;
		e->out->want = want;
	}
	return ex_fail(e, "%s: got %s, the model says %s", what, ex_errstr(got), ex_errstr(want));
}

/* fork, for a step or a churn iteration: the child's task, or -1. */
static int do_fork(struct ex *e, int cur, unsigned flags, int label, int *ret)
{
	pidsim_tid ch = PIDSIM_NO_TASK;
	int x = -1, nct, mcur = m_of(e, cur), err = 0, mchild, want;
	/* now and then without asking for the child: the header allows it,
	 * and find gives the handle */
	bool no_child = e->step % 5 == 3 && label >= 0;

	*ret = pidsim_fork(e->k, ex_handle(e, cur), flags, no_child ? NULL : &ch);
	e->out->calls++;
	if (*ret >= 0 && no_child && pidsim_find(e->k, ex_handle(e, cur), *ret, &ch) != 0)
		ex_fail(e, "fork returned %d, which the caller cannot find", *ret);
	if (*ret >= 0) {
		if (ch == PIDSIM_NO_TASK) {
			ex_fail(e, "fork returned %d but no handle", *ret);
			return -1;
		}
		nct = e->t[cur].ct;
		if (flags & PIDSIM_CLONE_NEWPID)
			nct = add_ct(e, nct);
		x = add_task(e, ch, label, nct);
		if (flags & PIDSIM_CLONE_NEWPID)
			e->c[nct].init = x;
		for (int a = e->c[nct].parent; a >= 0; a = e->c[a].parent)
			if (!(flags & PIDSIM_CLONE_NEWPID) || a != e->c[nct].parent)
				e->c[a].deep = true;
		record_numbers(e, x);
	}
	if (!e->use_ref)
		return x;
	err = ref_fork_error(&e->m, mcur, flags);
	if (err) {
		ex_check_eq(e, "fork", *ret, err);
		return x;
	}
	if (*ret == -EAGAIN && ref_fork_may_eagain(&e->m, mcur, flags))
		return x;	/* a range the design numbers its own way is full */
	if (*ret < 0) {
		ex_fail(e, "fork: got %s, the model says it succeeds", ex_errstr(*ret));
		return x;
	}
	want = ref_fork(&e->m, mcur, flags, &mchild);
	link_model(e, x, mchild);
	if (flags & PIDSIM_CLONE_NEWPID)
		e->c[e->t[x].ct].ref = e->m.tasks[mchild].ct;
	{
		int *views = malloc(sizeof(int) * (size_t)(e->m.nr_cts + 1)), nv;

		if (!views)
			abort();
		nv = ref_adopt_views(&e->m, mchild, views);
		for (int i = 0; i < nv && !e->out->failed; i++) {
			int c = ct_of_model(e, views[i]);
			int nr = pidsim_pid_of(e->k, ex_observer(e, c), ch);
			const char *msg = ref_adopt(&e->m, views[i], mchild, nr);

			if (msg)
				ex_fail(e, "fork: the child's number %s in the view of "
				     "container %s: %s", ex_errstr(nr), ex_name(e, e->c[c].init), msg);
		}
		free(views);
	}
	if (want == REF_UNKNOWN)
		want = ref_nr(&e->m, e->m.tasks[mcur].ct, mchild);
	ex_check_eq(e, "fork", *ret, want);
	return x;
}

static int do_exit(struct ex *e, int cur, int code)
{
	int ret = pidsim_exit(e->k, ex_handle(e, cur), code);

	e->out->calls++;
	if (e->use_ref)
		ex_check_eq(e, "exit", ret, ref_exit(&e->m, m_of(e, cur), code));
	return ret;
}

/* The task a successful wait reaped: the one that went from zombie to
 * gone.  Call after refresh(). */
static int reaped_task(const struct ex *e)
{
	for (int x = 0; x < e->nt_before; x++)
		if (e->snap[x] == PIDSIM_ZOMBIE && e->t[x].state == GONE)
			return x;
	return -1;
}

static void model_wait(struct ex *e, struct step *s, int pid)
{
	int st = 0, reaped, want = ref_wait(&e->m, m_of(e, s->cur), pid, &st, &reaped);

	if (ex_check_eq(e, "wait", s->ret, want))
		return;
	if (s->ret > 0 && s->status != st && s->status != INT_MIN)
		ex_fail(e, "wait: status %#x, the model says %#x", s->status, st);
	else if (s->ret > 0 && s->x != x_of_m(e, reaped))
		ex_fail(e, "wait reaped %s, the model says %s", ex_name(e, s->x),
		     ex_name(e, x_of_m(e, reaped)));
}

/* churn: fork, exit 0 and reap, count times; stops when a fork fails.
 * The result is that fork's error, else 0; how many went round, s->n. */
static void do_churn(struct ex *e, struct step *s, int count)
{
	s->ret = 0;
	s->n = 0;
	for (int i = 0; i < count && !e->out->failed; i++) {
		int ret, x, st = -1, want_st = 0, reaped, w;

		x = do_fork(e, s->cur, 0, -1, &ret);
		if (ret < 0 || x < 0) {
			s->ret = ret;
			break;
		}
		if (do_exit(e, x, 0) != 0) {
			ex_fail(e, "churn: the child's exit failed");
			break;
		}
		w = pidsim_wait(e->k, ex_handle(e, s->cur), ret, &st);
		e->out->calls++;
		e->t[x].state = pidsim_task_state(e->k, e->t[x].h);
		if (w != ret || st != 0 || e->t[x].state != GONE) {
			ex_fail(e, "churn: wait for the child %d gave %s, status %#x",
			     ret, ex_errstr(w), st);
			break;
		}
		if (e->use_ref)
			ex_check_eq(e, "churn: wait", w,
				 ref_wait(&e->m, m_of(e, s->cur), ret, &want_st, &reaped));
		s->n++;
	}
}

static int obj_label_of_id(const struct ex *e, int id)
{
	for (int o = 0; o < e->w->nr_objs; o++)
		if (e->obj_open[o] && e->obj_id[o] == id)
			return o;
	return -1;
}

/*
 * A copy (migrate, restore) the design refused where the model would not
 * have, for a reason the designs are allowed: a range a design numbers its
 * own way is full, either of two errors where the order is the design's,
 * or vpid-openvz refusing a host number with its vpid bit set, which a tree
 * from a container asks for when it goes into the host (par: the task it
 * goes under, asked about only then).
 */
static bool refusal_allowed(const struct ex *e, int ret, int want, unsigned mode,
			    int par)
{
	unsigned f = e->d->flags;

	if (ret == -EAGAIN && (want == 0 || want == -EEXIST) &&
	    ((f & PIDSIM_D_RENUMBERS) ||
	     (f & (PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_SHARED_RANGE |
		   PIDSIM_D_HIERARCHICAL)) == PIDSIM_D_HOST_SEES_ALL))
		return true;
	if ((want == REF_EEXIST_OR_EAGAIN && (ret == -EEXIST || ret == -EAGAIN)) ||
	    (want == REF_EINVAL_OR_EAGAIN && (ret == -EINVAL || ret == -EAGAIN)))
		return true;
	return ret == -EINVAL && (f & PIDSIM_D_RENUMBERS) &&
	       mode == PIDSIM_RESTORE_INTO && par >= 0 && e->t[par].ct == 0 &&
	       want != -EINVAL;
}

/*
 * The model's side of a copy the design made and the model agreed to
 * (what: "migrate" or "restore"): link the n copies xn to the model's md
 * (and top_x, a new init holding them, to mtop), learn the numbers the
 * design chose its own way above the tree and the objects' new ids, and
 * check the call's result ret, the top's number in mpar's view.
 */
static void adopt_copies(struct ex *e, const char *what, int ret, const int *xn,
			 const int *md, int n, int x0, int top_x, int mtop, int mpar,
			 int no0, const struct pidsim_tree *tree)
{
	for (int i = 0; i < n; i++)
		link_model(e, xn[i], md[i]);
	if (top_x >= 0 && top_x != xn[0])
		link_model(e, top_x, mtop);
	for (int x = x0; x < e->nt; x++)
		if (ex_is_init(e, x))
			e->c[e->t[x].ct].ref = e->m.tasks[e->t[x].ref].ct;
	/* the numbers above the tree that the design chose */
	for (int x = x0; x < e->nt && !e->out->failed; x++) {
		int mt = e->t[x].ref;

		for (int v = 0; v < e->m.nr_cts && !e->out->failed; v++) {
			int c, nr;
			const char *msg;

			if (!e->m.cts[v].exists || !ref_visible(&e->m, v, mt) ||
			    ref_nr(&e->m, v, mt))
				continue;
			c = ct_of_model(e, v);
			nr = pidsim_pid_of(e->k, ex_observer(e, c), e->t[x].h);
			if ((msg = ref_adopt(&e->m, v, mt, nr)))
				ex_fail(e, "%s: %s's number %s in the view of container "
					"%s: %s", what, ex_name(e, x), ex_errstr(nr),
					ex_name(e, e->c[c].init), msg);
		}
	}
	if (e->m.nr_objs - no0 != (int)tree->nr_objs) {
		ex_fail(e, "%s copied %zu objects, the model says %d", what, tree->nr_objs,
			e->m.nr_objs - no0);
		return;
	}
	for (int o = no0; o < e->m.nr_objs && !e->out->failed; o++) {
		const char *msg = ref_obj_adopt(&e->m, o, tree->dst_obj[o - no0]);

		e->m.objs[o].owner_nr = ref_nr(&e->m, 0, e->m.objs[o].owner);
		if (msg)
			ex_fail(e, "%s: object id %d: %s", what, tree->dst_obj[o - no0], msg);
	}
	if (!e->out->failed)
		ex_check_eq(e, what, ret,
			    ref_nr(&e->m, e->m.tasks[mpar].ct, mtop));
}

/* The model's side of a migrate the design made: link the copies, learn
 * the numbers the design chose its own way, the objects' new ids. */
static void *zalloc(size_t n, size_t size);

static void model_migrate(struct ex *e, struct step *s, int root, const int *xs,
			  const int *xn, int n, int x0, int top_x, int par,
			  const struct pidsim_tree *tree, unsigned what, unsigned mode)
{
	int *ms = malloc(sizeof(int) * (size_t)(e->m.nr_tasks + 1));
	int *md = malloc(sizeof(int) * (size_t)(e->m.nr_tasks + 1));
	int mn = 0, mtop = -1, no0 = e->m.nr_objs, mpar = m_of(e, par), want;

	if (!ms || !md)
		abort();
	want = ref_migrate(&e->m, m_of(e, s->cur), m_of(e, root), what, mpar, mode,
			   false, ms, md, &mn, &mtop);
	if (refusal_allowed(e, s->ret, want, mode, par))
		goto out;
	if (s->ret < 0 || want < 0) {
		ex_check_eq(e, "migrate", s->ret, want == REF_EEXIST_OR_EAGAIN ? -EEXIST
						  : want < 0 ? want : 0);
		goto out;
	}
	ref_migrate(&e->m, m_of(e, s->cur), m_of(e, root), what, mpar, mode, true,
		    ms, md, &mn, &mtop);
	if (mn != n) {
		ex_fail(e, "migrate moved %d tasks, the model says %d", n, mn);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (m_of(e, xs[i]) != ms[i]) {
			ex_fail(e, "migrate: task %d of the image is %s, the model says %s",
				i, ex_name(e, xs[i]), ex_name(e, x_of_m(e, ms[i])));
			goto out;
		}
	}
	adopt_copies(e, "migrate", s->ret, xn, md, n, x0, top_x, mtop, mpar, no0, tree);
out:
	free(ms);
	free(md);
}

/* migrate within the image: the copies are new tasks, unnamed but for the
 * one linked to the parent (the statement's label); the source's labels
 * name the tasks that went. */
static void do_migrate(struct ex *e, struct step *s)
{
	const struct wl_op *op = s->op;
	int root = ex_task_of(e, op->target), par = ex_task_of(e, op->pid.task);
	unsigned what = op->flags & WL_MIG_TREE ? PIDSIM_CKPT_TREE : PIDSIM_CKPT_CONTAINER;
	unsigned mode = op->flags & WL_MIG_INTO ? PIDSIM_RESTORE_INTO
						: PIDSIM_RESTORE_CONTAINER;
	size_t cap = (size_t)e->nt + 1, ocap = (size_t)e->w->nr_objs + 1;
	struct pidsim_tree tree = { cap, zalloc(cap, sizeof(pidsim_tid)),
				    zalloc(cap, sizeof(pidsim_tid)), ocap,
				    zalloc(ocap, sizeof(int)), zalloc(ocap, sizeof(int)),
				    0, 0, PIDSIM_NO_TASK };
	int *xs = zalloc(cap, sizeof(int)), *xn = zalloc(cap, sizeof(int));
	int *cmap = zalloc((size_t)e->nc, sizeof(int)), *lbl = zalloc(ocap, sizeof(int));
	int n = 0, topc, pc, nc0 = e->nc, top_x = -1, x0 = e->nt;

	s->x = root;
	s->view = par >= 0 ? e->t[par].ct : -1;
	/* a caller with no task is -ESRCH, not kernel context */
	s->ret = pidsim_migrate(e->k, s->cur >= 0 ? e->t[s->cur].h : NO_HANDLE,
				ex_handle(e, root), what, e->k, ex_handle(e, par), mode, &tree);
	e->out->calls++;
	if (s->ret >= 0) {
		n = (int)tree.nr_tasks;
		if (tree.nr_tasks > cap || tree.nr_objs > ocap) {
			ex_fail(e, "migrate moved %zu tasks and %zu objects, more than exist",
				tree.nr_tasks, tree.nr_objs);
			goto out;
		}
		for (int i = 0; i < n; i++)
			if ((xs[i] = ex_identify(e, tree.src[i])) < 0) {
				ex_fail(e, "migrate moved a task the workload did not make");
				goto out;
			}
		topc = e->t[root].ct;
		if (what == PIDSIM_CKPT_TREE && ex_is_init(e, root))
			topc = e->c[topc].parent;
		pc = e->t[par].ct;
		for (int c = 0; c < nc0; c++)
			cmap[c] = -1;
		if (mode == PIDSIM_RESTORE_INTO) {
			cmap[topc] = pc;
		} else {
			cmap[topc] = add_ct(e, pc);
			if (what == PIDSIM_CKPT_TREE) {
				top_x = add_task(e, tree.top, op->def, cmap[topc]);
				e->c[cmap[topc]].init = top_x;
			}
		}
		for (int i = 0; i < n; i++) {
			int sc = e->t[xs[i]].ct;

			if (cmap[sc] < 0)
				cmap[sc] = add_ct(e, cmap[e->c[sc].parent]);
			xn[i] = add_task(e, tree.dst[i], tree.dst[i] == tree.top ? op->def : -1,
					 cmap[sc]);
			e->t[xn[i]].state = e->t[xs[i]].state;
			if (e->c[cmap[sc]].init < 0)
				e->c[cmap[sc]].init = xn[i];
			if (tree.dst[i] == tree.top)
				top_x = xn[i];
		}
		for (int x = x0; x < e->nt; x++) {
			int nct = e->t[x].ct;

			for (int a = e->c[nct].parent; a >= 0; a = e->c[a].parent)
				if (!ex_is_init(e, x) || a != e->c[nct].parent)
					e->c[a].deep = true;
			record_numbers(e, x);
		}
		/* a view whose init is a zombie has no one to ask: inside
		 * the tree a copy has its source's numbers */
		for (int i = 0; i < n; i++)
			for (int h = 0, nh = e->nh; h < nh; h++)
				if (e->hist[h].task == xs[i] && e->hist[h].ct < nc0 &&
				    cmap[e->hist[h].ct] >= 0 &&
				    ex_observer(e, cmap[e->hist[h].ct]) == PIDSIM_NO_TASK &&
				    !ex_hist_nr(e, xn[i], cmap[e->hist[h].ct])) {
					e->hist = grow(e->hist, &e->cap_h, e->nh + 1,
						       sizeof *e->hist);
					e->hist[e->nh++] = (struct xnum){
						xn[i], cmap[e->hist[h].ct], e->hist[h].nr };
				}
		if (op->def >= 0 && top_x >= 0)
			e->label_task[op->def] = top_x;
		s->x = top_x;
		/* the objects moved: their labels name the new ones */
		for (size_t i = 0; i < tree.nr_objs; i++)
			lbl[i] = obj_label_of_id(e, tree.src_obj[i]);
		for (size_t i = 0; i < tree.nr_objs; i++) {
			int o = lbl[i];

			if (o < 0) {
				ex_fail(e, "migrate moved object %d, which no label holds",
					tree.src_obj[i]);
				goto out;
			}
			e->obj_id[o] = tree.dst_obj[i];
			for (int j = 0; j < n; j++)
				if (e->obj_owner[o] == xs[j])
					e->obj_owner[o] = xn[j], j = n;
		}
	}
	if (e->use_ref)
		model_migrate(e, s, root, xs, xn, n, x0, top_x, par, &tree, what, mode);
out:
	free(tree.src);
	free(tree.dst);
	free(tree.src_obj);
	free(tree.dst_obj);
	free(xs);
	free(xn);
	free(cmap);
	free(lbl);
}

/* The numbers the design must keep: every restored task's number in the
 * views the image has, as the image holds them (pidsim_image.h: all of
 * them inside the tree; with RESTORE_INTO, in the parent's view too),
 * but the host numbers vpid-ibm gives its own way. */
static void check_kept_numbers(struct ex *e, const struct pidsim_image *img,
			       const int *xn, const int *cmap)
{
	unsigned f = e->d->flags;

	for (uint32_t i = 0; i < img->nr_tasks && !e->out->failed; i++) {
		const struct pidsim_image_task *tk = &img->tasks[i];
		uint32_t ic = tk->ct;

		for (unsigned j = 0; j < tk->nr_numbers && ic != PIDSIM_IMAGE_NONE;
		     j++, ic = img->containers[ic].parent) {
			int c = cmap[ic], x = xn[i], nr;
			pidsim_tid o = ex_observer(e, c);

			if (!tk->numbers[j] || o == PIDSIM_NO_TASK || !ex_may_see(e, c, x) ||
			    (c == 0 && e->t[x].ct != 0 && !(f & PIDSIM_D_RENUMBERS) &&
			     (f & (PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_SHARED_RANGE |
				   PIDSIM_D_HIERARCHICAL)) == PIDSIM_D_HOST_SEES_ALL))
				continue;
			nr = pidsim_pid_of(e->k, o, e->t[x].h);
			e->out->calls++;
			if (nr != tk->numbers[j])
				ex_fail(e, "restore: t%d (task %u of the image) is %s in the "
					"view of %s, the image says %d", e->t[x].label, i,
					ex_errstr(nr), ex_name(e, e->c[c].init), tk->numbers[j]);
		}
	}
}

/* The model's side of a restore the design made (model_migrate's, for an
 * image from another kernel image). */
static void model_restore(struct ex *e, struct step *s, const struct pidsim_image *img,
			  const int *xn, int x0, int top_x, const struct pidsim_tree *tree,
			  unsigned mode)
{
	int n = (int)img->nr_tasks, *md = zalloc((size_t)n + 1, sizeof(int));
	int mtop, no0 = e->m.nr_objs, mpar = m_of(e, s->cur), want;

	want = ref_restore(&e->m, img, mpar, mode, false, md, &mtop);
	if (refusal_allowed(e, s->ret, want, mode, s->cur))
		goto out;
	if (want == REF_EINVAL_OR_EAGAIN)
		want = -EINVAL;
	if (s->ret < 0 || want < 0) {
		ex_check_eq(e, "restore", s->ret, want == REF_EEXIST_OR_EAGAIN ? -EEXIST
						  : want < 0 ? want : 0);
		goto out;
	}
	ref_restore(&e->m, img, mpar, mode, true, md, &mtop);
	adopt_copies(e, "restore", s->ret, xn, md, n, x0, top_x, mtop, mpar, no0, tree);
out:
	free(md);
}

/* restore the workload's image, made on another kernel image, under the
 * caller: its tasks get the labels from op->def on, in image order, its
 * owners the object labels from op->target on. */
static void do_restore(struct ex *e, struct step *s)
{
	const struct wl_op *op = s->op;
	unsigned mode = op->flags & WL_MIG_INTO ? PIDSIM_RESTORE_INTO
						: PIDSIM_RESTORE_CONTAINER;
	struct pidsim_image *img = NULL;
	struct pidsim_tree tree = { 0 };
	int *xn, *cmap, n, par = s->cur, top_x = -1, x0 = e->nt, nc0 = e->nc;

	if (pidsim_image_decode(e->w->image, e->w->image_len, &img, NULL, 0)) {
		ex_fail(e, "restore: the image pidsim_checkpoint() made does not decode");
		return;
	}
	n = (int)img->nr_tasks;
	tree = (struct pidsim_tree){ (size_t)n, zalloc((size_t)n, sizeof(pidsim_tid)),
				     zalloc((size_t)n, sizeof(pidsim_tid)), img->nr_owners,
				     zalloc(img->nr_owners, sizeof(int)),
				     zalloc(img->nr_owners, sizeof(int)), 0, 0, PIDSIM_NO_TASK };
	xn = zalloc((size_t)n, sizeof(int));
	cmap = zalloc(img->nr_containers, sizeof(int));
	s->view = par >= 0 ? e->t[par].ct : -1;
	s->ret = pidsim_restore(e->k, e->w->image, e->w->image_len, ex_handle(e, par),
				mode, &tree);
	e->out->calls++;
	e->out->restore_ret = s->ret;
	if (s->ret >= 0) {
		if (tree.nr_tasks != (size_t)n || tree.nr_objs != img->nr_owners) {
			ex_fail(e, "restore made %zu tasks and %zu objects, the image "
				"holds %d and %u", tree.nr_tasks, tree.nr_objs, n,
				img->nr_owners);
			goto out;
		}
		for (uint32_t c = 0; c < img->nr_containers; c++)
			cmap[c] = -1;
		if (mode == PIDSIM_RESTORE_INTO) {
			cmap[0] = e->t[par].ct;
		} else {
			cmap[0] = add_ct(e, e->t[par].ct);
			if (img->flags & PIDSIM_IMAGE_TREE) {
				top_x = add_task(e, tree.top, op->def + n, cmap[0]);
				e->c[cmap[0]].init = top_x;
			}
		}
		for (int i = 0; i < n; i++) {
			uint32_t ic = img->tasks[i].ct;

			if (cmap[ic] < 0)
				cmap[ic] = add_ct(e, cmap[img->containers[ic].parent]);
			xn[i] = add_task(e, tree.dst[i], op->def + i, cmap[ic]);
			e->t[xn[i]].state = img->tasks[i].state;
			if (e->c[cmap[ic]].init < 0)
				e->c[cmap[ic]].init = xn[i];
			e->label_task[op->def + i] = xn[i];
		}
		if (top_x < 0)
			top_x = xn[0];
		e->label_task[op->def + n] = top_x != xn[0] ? top_x : -1;
		if (tree.top != e->t[top_x].h)
			ex_fail(e, "restore: the task linked to the parent is not the "
				"image's root nor a new init");
		for (int x = x0; x < e->nt; x++) {
			int nct = e->t[x].ct;

			for (int a = e->c[nct].parent; a >= 0; a = e->c[a].parent)
				if (!ex_is_init(e, x) || a != e->c[nct].parent)
					e->c[a].deep = true;
			record_numbers(e, x);
		}
		/* a view whose init is a zombie has no one to ask: inside
		 * the tree a task has the image's numbers */
		for (int i = 0; i < n; i++) {
			uint32_t ic = img->tasks[i].ct;

			for (unsigned j = 0; j < img->tasks[i].nr_numbers &&
			     ic != PIDSIM_IMAGE_NONE; j++, ic = img->containers[ic].parent)
				if (img->tasks[i].numbers[j] && cmap[ic] >= nc0 &&
				    ex_observer(e, cmap[ic]) == PIDSIM_NO_TASK &&
				    !ex_hist_nr(e, xn[i], cmap[ic])) {
					e->hist = grow(e->hist, &e->cap_h, e->nh + 1,
						       sizeof *e->hist);
					e->hist[e->nh++] = (struct xnum){
						xn[i], cmap[ic], img->tasks[i].numbers[j] };
				}
		}
		check_kept_numbers(e, img, xn, cmap);
		s->x = top_x;
		for (uint32_t o = 0; o < img->nr_owners; o++) {
			int l = op->target + (int)o;

			e->obj_id[l] = tree.dst_obj[o];
			e->obj_owner[l] = xn[img->owners[o].task];
			e->obj_ct[l] = e->t[xn[img->owners[o].task]].ct;
			e->obj_open[l] = true;
		}
	}
	if (e->use_ref && !e->out->failed)
		model_restore(e, s, img, xn, x0, top_x, &tree, mode);
out:
	pidsim_image_destroy(img);
	free(tree.src);
	free(tree.dst);
	free(tree.src_obj);
	free(tree.dst_obj);
	free(xn);
	free(cmap);
}

/* The model's group or session number the design gave: the model's, or
 * one only the design can tell (a restored reaped leader's, in a view the
 * design numbers its own way), learnt now. */
static void model_group(struct ex *e, struct step *s, const char *what, int want,
			int leader)
{
	const char *msg;

	if (want != REF_UNKNOWN) {
		ex_check_eq(e, what, s->ret, want);
		return;
	}
	msg = ref_adopt(&e->m, e->c[s->cc].ref, leader, s->ret);
	if (msg)
		ex_fail(e, "%s gave %s: %s", what, ex_errstr(s->ret), msg);
}

/* setpgid, setsid, getpgid, getsid, checked against the model. */
static void do_group_call(struct ex *e, struct step *s, struct step_log *lg,
			  pidsim_tid o_cc)
{
	const struct wl_op *op = s->op;
	pidsim_tid cur_h = ex_handle(e, s->cur);
	int mcur = m_of(e, s->cur), pid = 0, pgid = 0, leader, want;
	struct step_log lg2 = { 0 };

	if (op->kind != WL_SETSID)
		pid = resolve(e, &op->pid, s->cc, o_cc, lg);
	if (op->kind == WL_SETPGID) {
		pgid = resolve(e, &op->pid2, s->cc, o_cc, &lg2);
		lg->pid2 = lg2.pid;
		lg->symbolic2 = lg2.symbolic;
	}
	switch (op->kind) {
	case WL_SETPGID:
		s->ret = pidsim_setpgid(e->k, cur_h, pid, pgid);
		if (e->use_ref)
			ex_check_eq(e, "setpgid", s->ret, ref_setpgid(&e->m, mcur, pid, pgid));
		break;
	case WL_SETSID:
		s->ret = pidsim_setsid(e->k, cur_h);
		if (e->use_ref)
			ex_check_eq(e, "setsid", s->ret, ref_setsid(&e->m, mcur));
		break;
	default:
		s->ret = op->kind == WL_GETPGID ? pidsim_getpgid(e->k, cur_h, pid)
						: pidsim_getsid(e->k, cur_h, pid);
		if (!e->use_ref)
			break;
		want = op->kind == WL_GETPGID ? ref_getpgid(&e->m, mcur, pid, &leader)
					      : ref_getsid(&e->m, mcur, pid, &leader);
		model_group(e, s, wl_kind_name(op->kind), want, leader);
		break;
	}
	e->out->calls++;
	s->x = s->ret > 0 ? ex_hist_task(e, s->cc, s->ret) : -1;
}

static void run_step(struct ex *e, struct step *s, struct step_log *lg)
{
	const struct wl_op *op = s->op;
	pidsim_tid cur_h = ex_handle(e, s->cur), out = PIDSIM_NO_TASK;
	int pid = 0, mcur = m_of(e, s->cur), want, mx, ctl, qv, id;
	pidsim_tid o_cc = ex_running(e, s->cur) ? cur_h : ex_observer(e, s->cc);

	s->view = s->cc;
	switch (op->kind) {
	case WL_FORK:
		s->x = do_fork(e, s->cur, op->flags, op->def, &s->ret);
		if (s->x >= 0 && op->def >= 0)
			e->label_task[op->def] = s->x;
		break;
	case WL_EXIT:
		s->ret = do_exit(e, s->cur, op->arg);
		break;
	case WL_WAIT:
		pid = resolve(e, &op->pid, s->cc, o_cc, lg);
		s->status = INT_MIN;
		/* now and then without asking for the status */
		s->ret = pidsim_wait(e->k, cur_h, pid, e->step % 5 == 4 ? NULL : &s->status);
		e->out->calls++;
		refresh(e);
		s->x = s->ret > 0 ? reaped_task(e) : -1;
		if (s->ret > 0 && s->x < 0)
			ex_fail(e, "wait returned %d but no zombie was reaped", s->ret);
		if (e->use_ref)
			model_wait(e, s, pid);
		break;
	case WL_KILL:
		pid = resolve(e, &op->pid, s->cc, o_cc, lg);
		if ((e->checks & CHK_ISO) && ex_running(e, s->cur) && pid <= 0 && pid != -1)
			s->group = pid == 0 ? pidsim_debug_group_id(e->k, cur_h, 0)
			      : pid == INT_MIN ? 0 : pidsim_debug_find_group_id(e->k, cur_h, -pid);
		s->ret = pidsim_kill(e->k, cur_h, pid, op->arg);
		e->out->calls++;
		if (e->use_ref)
			ex_check_eq(e, "kill", s->ret, ref_kill(&e->m, mcur, pid, op->arg));
		break;
	case WL_KILL_IN:
		ctl = ex_task_of(e, op->target);
		qv = qualified_view(e, op->target);
		s->view = qv;
		pid = resolve(e, &op->pid, qv < 0 ? s->cc : qv,
			      qv < 0 ? o_cc : ex_observer(e, qv), lg);
		s->ret = pidsim_kill_in(e->k, cur_h, ex_handle(e, ctl), pid, op->arg);
		e->out->calls++;
		if (e->use_ref)
			ex_check_eq(e, "kill_in", s->ret,
				 ref_kill_in(&e->m, mcur, m_of(e, ctl), pid, op->arg));
		break;
	case WL_GETPID:
		s->ret = pidsim_getpid(e->k, cur_h);
		e->out->calls++;
		if (e->use_ref)
			ex_check_eq(e, "getpid", s->ret, ref_getpid(&e->m, mcur));
		break;
	case WL_GETPPID:
		s->ret = pidsim_getppid(e->k, cur_h);
		e->out->calls++;
		if (e->use_ref)
			ex_check_eq(e, "getppid", s->ret, ref_getppid(&e->m, mcur));
		break;
	case WL_PS:
	case WL_PS_IN:
		ex_ensure_buf(e);
		ctl = ex_task_of(e, op->target);
		if (op->kind == WL_PS) {
			s->ret = pidsim_ps(e->k, cur_h, e->buf, e->cap_buf);
			want = e->use_ref ? ref_ps(&e->m, mcur, e->rbuf) : 0;
		} else {
			s->view = qualified_view(e, op->target);
			s->ret = pidsim_ps_in(e->k, cur_h, ex_handle(e, ctl), e->buf, e->cap_buf);
			want = e->use_ref ? ref_ps_in(&e->m, mcur, m_of(e, ctl), e->rbuf) : 0;
		}
		e->out->calls++;
		s->n = s->ret > 0 ? s->ret : 0;
		if (s->ret > (int)e->cap_buf)
			ex_fail(e, "ps listed %d tasks, more than the %d that exist",
			     s->ret, e->nt);
		if (e->use_ref && !ex_check_eq(e, wl_kind_name(op->kind), s->ret, want))
			for (int i = 0; i < s->n; i++)
				if (e->buf[i] != e->rbuf[i]) {
					ex_fail(e, "%s: entry %d is %d, the model says %d",
					     wl_kind_name(op->kind), i, e->buf[i], e->rbuf[i]);
					break;
				}
		break;
	case WL_FIND:
	case WL_FIND_IN:
		ctl = ex_task_of(e, op->target);
		if (op->kind == WL_FIND) {
			pid = resolve(e, &op->pid, s->cc, o_cc, lg);
			s->ret = pidsim_find(e->k, cur_h, pid, &out);
			want = e->use_ref ? ref_find_task(&e->m, mcur, pid, &mx) : 0;
		} else {
			qv = qualified_view(e, op->target);
			s->view = qv;
			pid = resolve(e, &op->pid, qv < 0 ? s->cc : qv,
				      qv < 0 ? o_cc : ex_observer(e, qv), lg);
			s->ret = pidsim_find_in(e->k, cur_h, ex_handle(e, ctl), pid, &out);
			want = e->use_ref ? ref_find_in(&e->m, mcur, m_of(e, ctl), pid, &mx) : 0;
		}
		e->out->calls++;
		s->x = s->ret == 0 ? ex_identify(e, out) : -1;
		if (s->x == -2)
			ex_fail(e, "%s returned a handle to no task the workload made",
			     wl_kind_name(op->kind));
		if (s->ret == 0 && op->def >= 0) {
			e->refs[op->def] = out;
			e->ref_task[op->def] = s->x;
		}
		if (e->use_ref && !ex_check_eq(e, wl_kind_name(op->kind), s->ret, want) &&
		    s->ret == 0 && s->x != x_of_m(e, mx))
			ex_fail(e, "%s %d found %s, the model says %s", wl_kind_name(op->kind),
			     pid, ex_name(e, s->x), ex_name(e, x_of_m(e, mx)));
		break;
	case WL_PID_OF:
		ctl = ex_task_of(e, op->target);
		s->x = ctl;
		s->ret = pidsim_pid_of(e->k, cur_h, ex_handle(e, ctl));
		e->out->calls++;
		if (e->use_ref)
			ex_check_eq(e, "pid_of", s->ret, ref_pid_of(&e->m, mcur, m_of(e, ctl)));
		break;
	case WL_RESOLVE: {
		pidsim_tid rh = op->target >= 0 && op->target < e->w->nr_refs ?
				e->refs[op->target] : PIDSIM_NO_TASK;
		int rx = rh ? e->ref_task[op->target] : -1, st;

		s->x = rx;
		s->ret = pidsim_pid_of(e->k, cur_h, rh);
		st = pidsim_task_state(e->k, rh);
		e->out->calls += 2;
		s->status = st;
		if (e->use_ref && !ex_check_eq(e, "resolve (pid_of)", s->ret,
					   ref_pid_of(&e->m, mcur, m_of(e, rx))))
			ex_check_eq(e, "resolve (task_state)", st, ref_state(&e->m, m_of(e, rx)));
		break;
	}
	case WL_SETOWN:
		pid = resolve(e, &op->pid, s->cc, o_cc, lg);
		s->owner = -1;
		if (ex_running(e, s->cur))
			for (int x = 0; x < e->nt; x++)
				if (ex_alive(e, x) && pid > 0 &&
				    pidsim_pid_of(e->k, cur_h, e->t[x].h) == pid)
					s->owner = x;
		s->ret = pidsim_setown(e->k, cur_h, pid);
		e->out->calls++;
		if (s->ret >= 0 && op->def >= 0) {
			int old = obj_label_of_id(e, s->ret);

			if (old >= 0)
				ex_fail(e, "setown returned id %d, which object o%d still "
				     "holds", s->ret, old);
			e->obj_id[op->def] = s->ret;
			e->obj_owner[op->def] = s->owner;
			e->obj_ct[op->def] = s->cc;
			e->obj_open[op->def] = true;
		}
		if (e->use_ref) {
			int mo = ref_setown(&e->m, mcur, pid);
			const char *msg;

			if ((s->ret >= 0) != (mo >= 0) || (s->ret < 0 && s->ret != mo))
				ex_fail(e, "setown: got %s, the model says %s", ex_errstr(s->ret),
				     mo >= 0 ? "an object" : ex_errstr(mo));
			else if (s->ret >= 0 && (msg = ref_obj_adopt(&e->m, mo, s->ret)))
				ex_fail(e, "setown: id %d: %s", s->ret, msg);
		}
		break;
	case WL_NOTIFY:
	case WL_CLOSE:
		id = op->target >= 0 ? (op->target < e->w->nr_objs ? e->obj_id[op->target] : -1)
				     : op->pid.raw;
		lg->pid = id;
		s->owner = obj_label_of_id(e, id);
		if (op->kind == WL_CLOSE) {
			s->ret = pidsim_owner_close(e->k, id);
			e->out->calls++;
			if (s->ret == 0 && s->owner >= 0)
				e->obj_open[s->owner] = false;
			if (e->use_ref)
				ex_check_eq(e, "close", s->ret, ref_close(&e->m, id));
			break;
		}
		out = NO_HANDLE;
		s->ret = pidsim_notify(e->k, id, op->arg, &out);
		e->out->calls++;
		s->x = ex_identify(e, out);
		if (s->x == -2)
			ex_fail(e, "notify reached a handle to no task the workload made");
		if ((s->ret == 0 || s->ret == -ESRCH) && out == NO_HANDLE)
			ex_fail(e, "notify returned %s without saying whom it reached",
			     ex_errstr(s->ret));
		if (s->ret == -ESRCH && out != PIDSIM_NO_TASK)
			ex_fail(e, "notify returned -ESRCH but reached %s", ex_name(e, s->x));
		if (e->use_ref) {
			want = ref_notify(&e->m, id, op->arg, &mx);
			if (!ex_check_eq(e, "notify", s->ret, want) &&
			    (s->ret == 0 || s->ret == -ESRCH) && s->x != x_of_m(e, mx))
				ex_fail(e, "notify reached %s, the model says %s", ex_name(e, s->x),
				     ex_name(e, x_of_m(e, mx)));
		}
		break;
	case WL_CHURN:
		do_churn(e, s, op->arg);
		break;
	case WL_SETPGID:
	case WL_SETSID:
	case WL_GETPGID:
	case WL_GETSID:
		do_group_call(e, s, lg, o_cc);
		break;
	case WL_SPAWN:
		/* 0 when every fork succeeded, else the first failure's error;
		 * how many did in s->n */
		s->n = 0;
		for (int i = 0; i < op->arg && !e->out->failed; i++) {
			do_fork(e, s->cur, op->flags, -1, &s->ret);
			if (s->ret < 0)
				break;
			s->ret = 0;
			s->n++;
		}
		break;
	case WL_MIGRATE:
		do_migrate(e, s);
		break;
	case WL_RESTORE:
		do_restore(e, s);
		break;
	case WL_STATS_RESET: {
		struct pidsim_stats st;

		pidsim_stats_reset(e->k);
		pidsim_stats_get(e->k, &st);
		e->out->calls += 2;
		if (st.lookups || st.conversions || st.probes || st.allocs ||
		    st.peak_bytes != st.bytes)
			ex_fail(e, "stats_reset left lookups %" PRIu64 ", conversions %"
			     PRIu64 ", probes %" PRIu64 ", allocs %" PRIu64 ", peak %"
			     PRIu64 " with bytes %" PRIu64, st.lookups, st.conversions,
			     st.probes, st.allocs, st.peak_bytes, st.bytes);
		e->prev = st;
		s->ret = 0;
		break;
	}
	}
}














/* ---- The run ------------------------------------------------------------------ */

const char *const exec_outcome_names[EXEC_NR_OUTCOMES] = {
	"ok", "ESRCH", "EINVAL", "ECHILD", "EAGAIN", "level limit", "EBADF",
	"EPERM", "other",
};

static int outcome(const struct pidsim_design_info *d, int kind, int ret)
{
	if (ret >= 0)
		return EXEC_OK;
	if (kind == WL_FORK && ret == d->level_errno)
		return EXEC_ELIMIT;
	switch (-ret) {
	case ESRCH: return EXEC_ESRCH;
	case EINVAL: return EXEC_EINVAL;
	case ECHILD: return EXEC_ECHILD;
	case EAGAIN: return EXEC_EAGAIN;
	case EBADF: return EXEC_EBADF;
	case EPERM: return EXEC_EPERM;
	default: return EXEC_OTHER;
	}
}

static void ex_free(struct ex *e)
{
	pidsim_kernel_destroy(e->k);
	if (e->use_ref)
		ref_fini(&e->m);
	free(e->t);
	free(e->c);
	free(e->hist);
	free(e->snap);
	free(e->gsnap);
	free(e->label_task);
	free(e->refs);
	free(e->ref_task);
	free(e->obj_id);
	free(e->obj_owner);
	free(e->obj_ct);
	free(e->obj_open);
	free(e->m2x);
	free(e->buf);
	free(e->rbuf);
}

static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static int setup(struct ex *e)
{
	const struct wl *w = e->w;
	int err = pidsim_kernel_create(e->d->name, w->pid_max, &e->k);

	if (w->pid_max > e->d->max_pid_max) {
		if (err != -EINVAL)
			return ex_fail(e, "kernel_create with pid_max %d, above the "
				    "design's %d: got %s", w->pid_max, e->d->max_pid_max,
				    ex_errstr(err));
		e->out->skipped = true;
		return 0;
	}
	if (err)
		return ex_fail(e, "kernel_create(pid_max %d): %s", w->pid_max, ex_errstr(err));
	e->label_task = zalloc((size_t)w->nr_tasks, sizeof *e->label_task);
	for (int l = 0; l < w->nr_tasks; l++)
		e->label_task[l] = -1;
	e->refs = zalloc((size_t)w->nr_refs, sizeof *e->refs);
	e->ref_task = zalloc((size_t)w->nr_refs, sizeof *e->ref_task);
	e->obj_id = zalloc((size_t)w->nr_objs, sizeof *e->obj_id);
	e->obj_owner = zalloc((size_t)w->nr_objs, sizeof *e->obj_owner);
	e->obj_ct = zalloc((size_t)w->nr_objs, sizeof *e->obj_ct);
	e->obj_open = zalloc((size_t)w->nr_objs, sizeof *e->obj_open);
	for (int o = 0; o < w->nr_objs; o++)
		e->obj_id[o] = -1;
	add_ct(e, -1);
	e->label_task[0] = add_task(e, pidsim_host_init(e->k), 0, 0);
	e->c[0].init = 0;
	record_numbers(e, 0);
	if (e->use_ref) {
		ref_init(&e->m, e->d, w->pid_max);
		link_model(e, 0, 0);
		e->c[0].ref = 0;
	}
	pidsim_stats_get(e->k, &e->prev);
	if (ex_hist_nr(e, 0, 0) != 1)
		return ex_fail(e, "host init is pid %d, not 1 (rule 1)", ex_hist_nr(e, 0, 0));
	return 0;
}

/* After the last step: checkpoint the ck->pick-th candidate root, in the
 * order the run made them (exec.h). */
static void checkpoint_at_end(struct ex *e, struct exec_ckpt *ck)
{
	int nr = 0, k, root = -1, err;

	for (int pass = 0; pass < 2; pass++) {
		k = nr ? (int)(ck->pick % (uint32_t)nr) : 0;
		for (int x = 1; x < e->nt; x++)
			if (ex_alive(e, x) && (ck->what == PIDSIM_CKPT_TREE ||
					       (ex_is_init(e, x) && e->t[x].ct != 0))) {
				if (pass == 0)
					nr++;
				else if (k-- == 0)
					root = x;
			}
	}
	if (root < 0 && ck->what == PIDSIM_CKPT_CONTAINER) {
		ck->what = PIDSIM_CKPT_TREE;	/* no container: a tree, then */
		return checkpoint_at_end(e, ck);
	}
	if (root < 0)
		return;
	ck->root = root;
	err = pidsim_checkpoint(e->k, PIDSIM_NO_TASK, e->t[root].h, ck->what, &ck->image,
				&ck->len, NULL);
	e->out->calls++;
	if (err)
		ex_fail(e, "checkpoint of %s from kernel context: %s", ex_name(e, root),
			ex_errstr(err));
}

int exec_run(const struct wl *w, const struct pidsim_design_info *d,
	     unsigned checks, struct exec_out *out)
{
	return exec_run_ckpt(w, d, checks, out, NULL);
}

int exec_run_ckpt(const struct wl *w, const struct pidsim_design_info *d,
		  unsigned checks, struct exec_out *out, struct exec_ckpt *ck)
{
	struct ex e = { .d = d, .w = w, .checks = checks, .out = out,
			.use_ref = checks & CHK_REF };

	memset(out, 0, sizeof *out);
	out->step = -1;
	out->restore_ret = INT_MIN;
	out->log = zalloc(w->n, sizeof *out->log);
	if (checks & CHK_TRACE)
		out->trace = zalloc(w->n, sizeof *out->trace);
	if (setup(&e) || out->skipped) {
		ex_free(&e);
		return out->failed;
	}
	for (size_t i = 0; i < w->n && !out->failed; i++) {
		struct step s = { .op = &w->ops[i], .x = -1, .owner = -1 };

		e.step = (int)i;
		s.cur = ex_task_of(&e, s.op->who);
		s.cc = s.cur >= 0 ? e.t[s.cur].ct : 0;
		s.cur_ran = ex_running(&e, s.cur);
		take_snapshot(&e);
		out->log[i].ran = true;
		run_step(&e, &s, &out->log[i]);
		out->cover[s.op->kind][outcome(d, s.op->kind, s.ret)]++;
		refresh(&e);
		if (out->failed)
			break;
		if (checks & CHK_ISO)
			ex_check_isolation(&e, &s);
		if ((checks & CHK_WEAK) && !out->failed)
			ex_check_weak(&e, &s);
		if (e.use_ref && !out->failed)
			ex_check_model_state(&e);
		if ((checks & CHK_INV) && !out->failed)
			ex_check_invariants(&e);
		if ((checks & CHK_TRACE) && !out->failed)
			ex_record(&e, &s, &out->log[i], &out->trace[i]);
	}
	if (ck && !out->failed)
		checkpoint_at_end(&e, ck);
	ex_free(&e);
	return out->failed;
}

void exec_out_free(struct exec_out *out)
{
	free(out->trace);
	free(out->log);
	out->trace = NULL;
	out->log = NULL;
}
