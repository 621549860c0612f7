/*
 * test_migrate.c - checkpoint, restore and migrate (lib/ckpt/), every
 * point of issue 5, run once per design, and across every pair of designs.
 *
 * What "the same" means.  Inside the restored tree every result must be
 * what it was on the source: each task's number in each view inside the
 * tree (checked from every container's init, which is in the tree), its
 * parent, its state, the order wait(-1) reaps in, the next fork's number,
 * and where each stored owner leads.  Across designs, a view may show a
 * task the other design does not (a hierarchical design numbers nested
 * tasks in their ancestors' views); both then agree wherever both number.
 *
 * What "unchanged" means.  A failing restore must leave the target as a
 * control image built the same way and never restored into: assert_same()
 * takes both images' tasks in the order the library's checkpoint records
 * a tree in (host init, then each of its children's trees in pre-order)
 * and compares every task's state, status and numbers in every view above
 * it, every container's cursor and mode (so the next fork in every view
 * hands out the same number), the census and the stored owners.  Tables
 * may keep room they grew (a failed fork's do too); nothing may leak (the
 * ASan build checks).  That a checkpoint itself changes nothing is
 * checked without it (assert_rich_same()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim_debug.h"
#include "pidsim_image.h"
#include "vpid_openvz.h"
#include "white.h"

#define MAXT 64

/* ---- Fixtures (fixture.h's struct fx: the images a test boots) ------------- */

static bool nests(const char *design)
{
	return pidsim_design_find(design)->max_level >= 2;
}

/* ---- Internals for the comparisons ------------------------------------------ */

/* Tasks an image in assert_same() may hold. */
#define MAX_IMAGE 256

/*
 * Every task of k in pre-order, host init first, children in list order:
 * the order the library's checkpoint records a tree in, taken from a tree
 * image of each of host init's children in turn.  Returns how many: the
 * census's count, so that nothing is left out.
 */
static size_t image_order(pidsim_kernel *k, pidsim_tid *order, size_t cap)
{
	struct ps_task *host = k->host->init;
	struct pidsim_census c;
	size_t n = 0;

	order[n++] = host->ref;
	for (struct ps_task *t = host->first_child; t; t = t->next_sibling) {
		struct pidsim_tree tree = { .cap = cap - n, .src = order + n };
		void *img;
		size_t len;

		assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, t->ref,
						   PIDSIM_CKPT_TREE, &img, &len,
						   &tree), 0);
		pidsim_image_free(img);
		assert_true(tree.nr_tasks > 0 && tree.nr_tasks <= cap - n);
		assert_true(order[n] == t->ref);
		n += tree.nr_tasks;
	}
	pidsim_census_get(k, &c);
	assert_int_equal(n, c.tasks);
	return n;
}

/* Where t stands in order (n tasks); -1: nowhere, or no task. */
static int index_of(const pidsim_tid *order, size_t n, const struct ps_task *t)
{
	for (size_t i = 0; t && i < n; i++)
		if (order[i] == t->ref)
			return (int)i;
	return -1;
}

/* a and b hold the same state, as far as anything run in them can tell. */
static void assert_same(pidsim_kernel *a, pidsim_kernel *b)
{
	struct pidsim_census ca, cb;
	pidsim_tid oa[MAX_IMAGE], ob[MAX_IMAGE];
	size_t n;

	pidsim_census_get(a, &ca);
	pidsim_census_get(b, &cb);
	assert_memory_equal(&ca, &cb, sizeof ca);
	n = image_order(a, oa, MAX_IMAGE);
	assert_int_equal(image_order(b, ob, MAX_IMAGE), n);
	for (size_t i = 0; i < n; i++) {
		struct ps_task *ta = task_of(a, oa[i]), *tb = task_of(b, ob[i]);
		struct ps_container *va = ta->ct, *vb = tb->ct;

		assert_int_equal(ta->state, tb->state);
		assert_int_equal(ta->exit_status, tb->exit_status);
		assert_int_equal(ta->ct->level, tb->ct->level);
		assert_int_equal(ta == ta->ct->init, tb == tb->ct->init);
		assert_int_equal(index_of(oa, n, ta->parent),
				 index_of(ob, n, tb->parent));
		for (; va; va = va->parent, vb = vb->parent)
			assert_int_equal(a->design->task_nr(a, ta, va),
					 b->design->task_nr(b, tb, vb));
		if (ta == ta->ct->init) {
			struct ps_alloc_state sa, sb;

			ps_ct_state_get(a, ta->ct, &sa);
			ps_ct_state_get(b, tb->ct, &sb);
			assert_int_equal(sa.last, sb.last);
			assert_int_equal(sa.mode, sb.mode);
		}
	}
	assert_int_equal(a->nr_owners, b->nr_owners);
	assert_int_equal(a->free_owner, b->free_owner);
	for (int o = 0; o < a->nr_owners; o++) {
		assert_int_equal(a->owners[o].used, b->owners[o].used);
		if (a->owners[o].used)
			assert_int_equal(index_of(oa, n, ps_owner_task(a, o)),
					 index_of(ob, n, ps_owner_task(b, o)));
	}
}

/* ---- A tree worth moving ------------------------------------------------------ */

/*
 * host ── a                       (host task, owner of obj_out)
 *      └─ c1 (container)          3 tasks forked and reaped first: gaps
 *          ├─ x1 zombie, exit 7   (its children went to c1)
 *          ├─ x3                  owner of obj_in
 *          ├─ c2 (nested, when the designs nest)
 *          │   ├─ y1
 *          │   └─ y2 zombie, killed 9
 *          ├─ x4 zombie, exit 5
 *          ├─ x2 zombie, exit 3   (adopted from x1)
 *          ├─ x5                  (adopted from x1), parent of x6
 *          └─ m                   (adopted from l, forked by c1 and reaped)
 * wait(-1) in c1 reaps x1, x4, x2 in that order.
 * Groups and sessions: c1 called setsid(), so its tasks are in session 1
 * and, but for these, in group 1: x3 leads a group that x5 joined (x6
 * forked after), y1 called setsid() in c2 (c2 and y2 stay in c1's), and
 * l led a group whose only member, m, outlived it: its number stays.
 */
enum { A, C1, X1, X2, X3, X4, X5, X6, C2, Y1, Y2, M, NR_ROLES };

struct rich {
	pidsim_tid t[NR_ROLES];
	int obj_in, obj_out;
	bool nested;
};

static pidsim_tid fork_ok(pidsim_kernel *k, pidsim_tid cur, unsigned flags)
{
	pidsim_tid t;

	assert_true(pidsim_fork(k, cur, flags, &t) > 0);
	return t;
}

static void build_rich(pidsim_kernel *k, struct rich *r, bool nested)
{
	pidsim_tid host = pidsim_host_init(k), t;
	int st;

	memset(r, 0, sizeof *r);
	r->nested = nested;
	r->t[A] = fork_ok(k, host, 0);
	r->t[C1] = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	assert_int_equal(pidsim_setsid(k, r->t[C1]), 1);
	for (int i = 0; i < 3; i++) {
		t = fork_ok(k, r->t[C1], 0);
		assert_int_equal(pidsim_exit(k, t, 0), 0);
		assert_true(pidsim_wait(k, r->t[C1], -1, &st) > 0);
	}
	r->t[X1] = fork_ok(k, r->t[C1], 0);
	r->t[X2] = fork_ok(k, r->t[X1], 0);
	assert_int_equal(pidsim_exit(k, r->t[X2], 3), 0);
	r->t[X3] = fork_ok(k, r->t[C1], 0);
	assert_int_equal(pidsim_setpgid(k, r->t[X3], 0, 0), 0);
	r->obj_in = pidsim_setown(k, r->t[C1], pidsim_pid_of(k, r->t[C1], r->t[X3]));
	assert_true(r->obj_in >= 0);
	if (nested) {
		r->t[C2] = fork_ok(k, r->t[C1], PIDSIM_CLONE_NEWPID);
		r->t[Y1] = fork_ok(k, r->t[C2], 0);
		assert_true(pidsim_setsid(k, r->t[Y1]) > 0);
		r->t[Y2] = fork_ok(k, r->t[C2], 0);
		assert_int_equal(pidsim_kill(k, r->t[C2],
					     pidsim_pid_of(k, r->t[C2], r->t[Y2]), 9), 0);
	}
	r->t[X4] = fork_ok(k, r->t[C1], 0);
	assert_int_equal(pidsim_exit(k, r->t[X4], 5), 0);
	r->t[X5] = fork_ok(k, r->t[X1], 0);
	assert_int_equal(pidsim_setpgid(k, r->t[X1],
					pidsim_pid_of(k, r->t[X1], r->t[X5]),
					pidsim_pid_of(k, r->t[X1], r->t[X3])), 0);
	r->t[X6] = fork_ok(k, r->t[X5], 0);
	assert_int_equal(pidsim_exit(k, r->t[X1], 7), 0);
	t = fork_ok(k, r->t[C1], 0);
	assert_int_equal(pidsim_setpgid(k, t, 0, 0), 0);
	r->t[M] = fork_ok(k, t, 0);
	assert_int_equal(pidsim_exit(k, t, 0), 0);
	assert_true(pidsim_wait(k, r->t[C1], pidsim_pid_of(k, r->t[C1], t), &st) > 0);
	r->obj_out = pidsim_setown(k, host, pidsim_pid_of(k, host, r->t[A]));
	assert_true(r->obj_out >= 0);
}

/* The role of image task i, from the source handles a checkpoint gave. */
static int role_of(const struct rich *r, pidsim_tid t)
{
	for (int i = 0; i < NR_ROLES; i++)
		if (r->t[i] && r->t[i] == t)
			return i;
	return -1;
}

/* ---- "The same inside the tree" ---------------------------------------------- */

/*
 * What names a tree task's group or session, alike on two images: the
 * index in s (n tasks) of the leader; -1000 - its number in its own view
 * for the remains of a reaped leader inside the tree (its container's init
 * in s, as a checkpoint takes it); -1 for a leader outside the tree (after
 * a restore, the restoring parent's).
 */
static long pid_key(pidsim_kernel *k, const pidsim_tid *s, size_t n,
		    const struct ps_task *p)
{
	const struct ps_task *of = p;

	if (p->state == PS_REAPED) {
		of = p->ct->init;
		if (!of || of->state == PS_REAPED)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (task_of(k, s[i]) == of)
			return of == p ? (long)i
				       : -1000 - k->design->task_nr(k, p, p->ct);
	return -1;
}

/* Tasks i of the two trees are in the same groups and sessions, and read
 * the same numbers for them where the leader is inside the tree. */
static void assert_groups_same(pidsim_kernel *ka, const pidsim_tid *sa,
			       pidsim_kernel *kb, const pidsim_tid *sb, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ps_task *ia = task_of(ka, sa[i]), *ib = task_of(kb, sb[i]);
		long ga = pid_key(ka, sa, n, ia->pgrp);
		long ea = pid_key(ka, sa, n, ia->session);

		assert_int_equal(ga, pid_key(kb, sb, n, ib->pgrp));
		assert_int_equal(ea, pid_key(kb, sb, n, ib->session));
		if (ia->state != PIDSIM_RUNNING)
			continue;
		if (ga != -1)
			assert_int_equal(pidsim_getpgid(ka, sa[i], 0),
					 pidsim_getpgid(kb, sb[i], 0));
		if (ea != -1)
			assert_int_equal(pidsim_getsid(ka, sa[i], 0),
					 pidsim_getsid(kb, sb[i], 0));
	}
}

/*
 * Task i of tree sa (on ka) against task i of tree sb (on kb): numbers in
 * the view of every container init of the tree, parents, states.  Where
 * only one side numbers a task, that side's design must be hierarchical.
 */
static void assert_tree_same(pidsim_kernel *ka, const pidsim_tid *sa,
			     pidsim_kernel *kb, const pidsim_tid *sb, size_t n)
{
	bool ha = pidsim_kernel_design(ka)->flags & PIDSIM_D_HIERARCHICAL;
	bool hb = pidsim_kernel_design(kb)->flags & PIDSIM_D_HIERARCHICAL;

	for (size_t j = 0; j < n; j++) {
		struct ps_task *ia = task_of(ka, sa[j]), *ib = task_of(kb, sb[j]);

		if (ia != ia->ct->init || ia->state != PIDSIM_RUNNING)
			continue;
		assert_true(ib == ib->ct->init);
		for (size_t i = 0; i < n; i++) {
			int na = pidsim_pid_of(ka, sa[j], sa[i]);
			int nb = pidsim_pid_of(kb, sb[j], sb[i]);

			if (na && nb)
				assert_int_equal(na, nb);
			else if (na)
				assert_true(ha);
			else if (nb)
				assert_true(hb);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct ps_task *ia = task_of(ka, sa[i]), *ib = task_of(kb, sb[i]);

		assert_int_equal(ia->state, ib->state);
		assert_int_equal(ia->exit_status, ib->exit_status);
		assert_int_equal(ia->ct->level - task_of(ka, sa[0])->ct->level,
				 ib->ct->level - task_of(kb, sb[0])->ct->level);
		if (ia->state == PIDSIM_RUNNING && ia != ia->ct->init)
			assert_int_equal(pidsim_getppid(ka, sa[i]),
					 pidsim_getppid(kb, sb[i]));
		if (i) {
			size_t pa = 0, pb = 0;

			while (pa < n && task_of(ka, sa[pa]) != ia->parent)
				pa++;
			while (pb < n && task_of(kb, sb[pb]) != ib->parent)
				pb++;
			assert_int_equal(pa, pb);
		}
	}
	assert_groups_same(ka, sa, kb, sb, n);
}

/* The next fork in the view of every running container init of the tree
 * hands out the same number on both sides (then is undone). */
static void assert_next_fork_same(pidsim_kernel *ka, const pidsim_tid *sa,
				  pidsim_kernel *kb, const pidsim_tid *sb, size_t n)
{
	int st;

	for (size_t j = 0; j < n; j++) {
		struct ps_task *ia = task_of(ka, sa[j]);
		pidsim_tid ca, cb;
		int na, nb;

		if (ia != ia->ct->init || ia->state != PIDSIM_RUNNING)
			continue;
		na = pidsim_fork(ka, sa[j], 0, &ca);
		nb = pidsim_fork(kb, sb[j], 0, &cb);
		assert_true(na > 0);
		assert_int_equal(na, nb);
		assert_int_equal(pidsim_exit(ka, ca, 0), 0);
		assert_int_equal(pidsim_exit(kb, cb, 0), 0);
		assert_int_equal(pidsim_wait(ka, sa[j], na, &st), na);
		assert_int_equal(pidsim_wait(kb, sb[j], nb, &st), nb);
	}
}

/* wait(-1) from the top init reaps the same children in the same order. */
static void assert_wait_order_same(pidsim_kernel *ka, pidsim_tid a,
				   pidsim_kernel *kb, pidsim_tid b)
{
	int sa, sb, na, nb;

	do {
		na = pidsim_wait(ka, a, -1, &sa);
		nb = pidsim_wait(kb, b, -1, &sb);
		assert_int_equal(na, nb);
		if (na > 0)
			assert_int_equal(sa, sb);
	} while (na > 0);
}

/*
 * Two rich trees built alike are the same, compared role by role through
 * the calls with no checkpoint of either: numbers in every init's view,
 * parents, states, where each stored owner leads, the next fork in every
 * view (then undone).
 */
static void assert_rich_same(pidsim_kernel *ka, const struct rich *ra,
			     pidsim_kernel *kb, const struct rich *rb)
{
	pidsim_tid sa[NR_ROLES + 1], sb[NR_ROLES + 1], xa, xb;
	size_t n = 1;

	sa[0] = pidsim_host_init(ka);
	sb[0] = pidsim_host_init(kb);
	for (int i = 0; i < NR_ROLES; i++) {
		assert_int_equal(!ra->t[i], !rb->t[i]);
		if (ra->t[i]) {
			sa[n] = ra->t[i];
			sb[n++] = rb->t[i];
		}
	}
	assert_tree_same(ka, sa, kb, sb, n);
	assert_int_equal(pidsim_notify(ka, ra->obj_in, 0, &xa), 0);
	assert_int_equal(pidsim_notify(kb, rb->obj_in, 0, &xb), 0);
	assert_int_equal(role_of(ra, xa), role_of(rb, xb));
	assert_int_equal(pidsim_notify(ka, ra->obj_out, 0, &xa), 0);
	assert_int_equal(pidsim_notify(kb, rb->obj_out, 0, &xb), 0);
	assert_int_equal(role_of(ra, xa), role_of(rb, xb));
	assert_next_fork_same(ka, sa, kb, sb, n);
}

/* ---- 1, 2, 5: checkpoint and restore as a container, round trip -------------- */

/* A checkpoint changes nothing on the source but its counters, and
 * records the tree in pre-order; the image is design-independent. */
static void test_checkpoint_changes_nothing(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *ctl = boot_image(f, NULL, 0);
	struct rich r, rc;
	pidsim_tid src[MAXT];
	struct pidsim_tree tree = { .cap = MAXT, .src = src };
	struct pidsim_stats s0, s1;
	void *img;
	size_t len;

	build_rich(k, &r, nests(f->info->name));
	build_rich(ctl, &rc, nests(f->info->name));
	pidsim_stats_reset(k);
	pidsim_stats_get(k, &s0);
	assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, r.t[C1],
					   PIDSIM_CKPT_CONTAINER, &img, &len, &tree), 0);
	pidsim_stats_get(k, &s1);
	assert_rich_same(k, &r, ctl, &rc);
	assert_same(k, ctl);
	assert_int_equal(s1.bytes, s0.bytes);
	assert_int_equal(s1.allocs, s0.allocs);
	assert_int_equal(s1.ckpt_tasks, tree.nr_tasks);
	assert_int_equal(s1.ckpt_bytes, len);
	/* pre-order, children in list order: c1 x1 x3 [c2 y1 y2] x4 x2 x5 x6 m */
	assert_int_equal(tree.nr_tasks, r.nested ? 11 : 8);
	assert_int_equal(role_of(&r, src[0]), C1);
	assert_int_equal(role_of(&r, src[1]), X1);
	assert_int_equal(role_of(&r, src[tree.nr_tasks - 1]), M);
	assert_int_equal(role_of(&r, src[tree.nr_tasks - 2]), X6);
	assert_int_equal(role_of(&r, src[tree.nr_tasks - 3]), X5);
	assert_int_equal(tree.nr_objs, 1);
	/* Conversions: what the design spends to name each task in a view. */
	if (strncmp(f->info->name, "vpid", 4) == 0)
		assert_true(s1.conversions > 0);
	else
		assert_int_equal(s1.conversions, 0);
	pidsim_image_free(img);
}

/* Restored as a container: every result inside it is the source's, and a
 * second checkpoint gives the same bytes. */
static void test_restore_container_same_inside(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d = boot_image(f, NULL, 0);
	struct rich r;
	pidsim_tid src[MAXT], dst[MAXT], x;
	int sobj[4], dobj[4];
	struct pidsim_tree ts = { .cap = MAXT, .src = src, .obj_cap = 4, .src_obj = sobj };
	struct pidsim_tree td = { .cap = MAXT, .dst = dst, .obj_cap = 4, .dst_obj = dobj };
	struct pidsim_stats s;
	void *img, *img2;
	size_t len, len2;
	int glue;

	build_rich(k, &r, nests(f->info->name));
	pidsim_fork(d, pidsim_host_init(d), 0, &x);	/* the target is not empty */
	assert_int_equal(pidsim_checkpoint(k, pidsim_host_init(k), r.t[C1],
					   PIDSIM_CKPT_CONTAINER, &img, &len, &ts), 0);
	pidsim_stats_reset(d);
	glue = pidsim_restore(d, img, len, pidsim_host_init(d),
			      PIDSIM_RESTORE_CONTAINER, &td);
	assert_true(glue > 0);
	assert_int_equal(td.nr_tasks, ts.nr_tasks);
	assert_true(td.top == dst[0]);
	assert_int_equal(pidsim_pid_of(d, pidsim_host_init(d), td.top), glue);
	assert_int_equal(pidsim_getpid(d, dst[0]), 1);
	assert_int_equal(pidsim_getppid(d, dst[0]), 0);
	pidsim_stats_get(d, &s);
	assert_int_equal(s.restore_tasks, ts.nr_tasks);
	assert_int_equal(s.restore_bytes, len);

	assert_tree_same(k, src, d, dst, ts.nr_tasks);
	/* The stored owner inside the tree came along. */
	assert_int_equal(td.nr_objs, 1);
	assert_int_equal(role_of(&r, src[2]), X3);
	assert_int_equal(pidsim_notify(d, dobj[0], 0, &x), 0);
	assert_true(x == dst[2]);

	assert_int_equal(pidsim_checkpoint(d, PIDSIM_NO_TASK, dst[0],
					   PIDSIM_CKPT_CONTAINER, &img2, &len2, NULL), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(img, img2, len);
	pidsim_image_free(img2);

	if (!(f->info->flags & PIDSIM_D_RENUMBERS))
		assert_next_fork_same(k, src, d, dst, ts.nr_tasks);
	assert_wait_order_same(k, src[0], d, dst[0]);
	pidsim_image_free(img);
}

/* Restored twice from one image, on the same target: two containers with
 * the same numbers inside, different glue pids. */
static void test_restore_twice(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0);
	pidsim_tid host = pidsim_host_init(k), c, a, b, t, x;
	void *img;
	size_t len;
	int g1, g2;

	c = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	t = fork_ok(k, c, 0);
	assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, c, PIDSIM_CKPT_CONTAINER,
					   &img, &len, NULL), 0);
	g1 = pidsim_restore(k, img, len, host, PIDSIM_RESTORE_CONTAINER, NULL);
	assert_true(g1 > 0);
	g2 = pidsim_restore(k, img, len, host, PIDSIM_RESTORE_CONTAINER, NULL);
	assert_true(g2 > 0 && g2 != g1);
	assert_int_equal(pidsim_find(k, host, g1, &a), 0);
	assert_int_equal(pidsim_find(k, host, g2, &b), 0);
	assert_int_equal(pidsim_find(k, a, pidsim_getpid(k, t), &x), 0);
	assert_true(x != t);
	assert_int_equal(pidsim_find(k, b, pidsim_getpid(k, t), &x), 0);
	assert_true(x != t);
	pidsim_image_free(img);
}

/* ---- 3: a tree into an existing container ------------------------------------- */

/* The seed's contrast: into an existing container the tree gets its pids
 * only if nobody holds them (-EEXIST otherwise, target unchanged); as its
 * own container it always does. */
static void test_restore_into_existing(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d = boot_image(f, NULL, 0);
	pidsim_kernel *ctl = boot_image(f, NULL, 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID);
	pidsim_tid root, kid, dc, cc, src[8], dst[8], x;
	struct pidsim_tree ts = { .cap = 8, .src = src }, td = { .cap = 8, .dst = dst };
	void *img;
	size_t len;
	int n;

	fork_ok(k, c, 0);
	root = fork_ok(k, c, 0);
	kid = fork_ok(k, root, 0);
	assert_int_equal(pidsim_exit(k, fork_ok(k, root, 0), 4), 0);
	assert_int_equal(pidsim_checkpoint(k, c, root, PIDSIM_CKPT_TREE,
					   &img, &len, &ts), 0);
	assert_int_equal(ts.nr_tasks, 3);

	/* The target container already has tasks holding those numbers. */
	dc = fork_ok(d, pidsim_host_init(d), PIDSIM_CLONE_NEWPID);
	cc = fork_ok(ctl, pidsim_host_init(ctl), PIDSIM_CLONE_NEWPID);
	for (int i = 0; i < 3; i++) {
		fork_ok(d, dc, 0);
		fork_ok(ctl, cc, 0);
	}
	assert_int_equal(pidsim_restore(d, img, len, dc, PIDSIM_RESTORE_INTO, NULL),
			 -EEXIST);
	assert_same(d, ctl);

	/* The same tree as its own container: a new init holds it. */
	n = pidsim_restore(d, img, len, pidsim_host_init(d),
			   PIDSIM_RESTORE_CONTAINER, &td);
	assert_true(n > 0);
	assert_int_equal(pidsim_getpid(d, td.top), 1);
	assert_true(task_of(d, dst[0])->parent == task_of(d, td.top));
	for (int i = 0; i < 3; i++)
		assert_int_equal(pidsim_pid_of(d, td.top, dst[i]),
				 pidsim_pid_of(k, c, src[i]));
	assert_int_equal(pidsim_getppid(d, dst[1]), pidsim_getppid(k, kid));

	/* Into a container where the numbers are free: kept, and the root is
	 * parent's child; the container's cursor does not move. */
	x = fork_ok(d, pidsim_host_init(d), PIDSIM_CLONE_NEWPID);
	td.top = 0;
	n = pidsim_restore(d, img, len, x, PIDSIM_RESTORE_INTO, &td);
	assert_int_equal(n, pidsim_pid_of(k, c, root));
	assert_true(td.top == dst[0]);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pidsim_pid_of(d, x, dst[i]), pidsim_pid_of(k, c, src[i]));
	assert_int_equal(pidsim_getppid(d, dst[0]), 1);
	assert_int_equal(pidsim_fork(d, x, 0, &kid), 2);
	pidsim_image_free(img);
}

/* A number at or above the target's pid_max: -EINVAL, in both modes, with
 * nothing changed. */
static void test_restore_pid_max_einval(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d, *ctl;
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID), t;
	void *ci, *ti;
	size_t cl, tl;
	/* vpid-openvz's vpids are internal pids + 1024 */
	int small = f->info->flags & PIDSIM_D_RENUMBERS ? 1050 : 50;

	d = boot_image(f, NULL, small);
	ctl = boot_image(f, NULL, small);
	for (int i = 0; i < 60; i++)
		t = fork_ok(k, c, 0);
	assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, c, PIDSIM_CKPT_CONTAINER,
					   &ci, &cl, NULL), 0);
	assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, t, PIDSIM_CKPT_TREE,
					   &ti, &tl, NULL), 0);
	fork_ok(d, pidsim_host_init(d), 0);
	fork_ok(ctl, pidsim_host_init(ctl), 0);
	assert_int_equal(pidsim_restore(d, ci, cl, pidsim_host_init(d),
					PIDSIM_RESTORE_CONTAINER, NULL), -EINVAL);
	assert_same(d, ctl);
	assert_int_equal(pidsim_restore(d, ti, tl, pidsim_host_init(d),
					PIDSIM_RESTORE_INTO, NULL), -EINVAL);
	assert_same(d, ctl);
	pidsim_image_free(ci);
	pidsim_image_free(ti);
}

/* A container image into an existing container asks for pid 1 there. */
static void test_restore_into_container_image_eexist(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *ctl = boot_image(f, NULL, 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID);
	void *img;
	size_t len;

	fork_ok(ctl, pidsim_host_init(ctl), PIDSIM_CLONE_NEWPID);
	assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, c, PIDSIM_CKPT_CONTAINER,
					   &img, &len, NULL), 0);
	assert_int_equal(pidsim_restore(k, img, len, pidsim_host_init(k),
					PIDSIM_RESTORE_INTO, NULL), -EEXIST);
	assert_same(k, ctl);
	pidsim_image_free(img);
}

/* ---- 4: migrate ---------------------------------------------------------------- */

/* The source's spawner sees its child go as if reaped; nothing is left of
 * the tree on the source, the objects that moved are closed there. */
static void test_migrate_releases_source(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d = boot_image(f, NULL, 0);
	pidsim_tid src[MAXT], dst[MAXT], spawner, x;
	struct pidsim_tree tr = { .cap = MAXT, .src = src, .dst = dst };
	struct pidsim_census c0, c1;
	struct rich r;
	int st;

	build_rich(k, &r, nests(f->info->name));
	pidsim_census_get(k, &c0);
	spawner = pidsim_host_init(k);
	assert_true(pidsim_migrate(k, spawner, r.t[C1], PIDSIM_CKPT_CONTAINER, d,
				   pidsim_host_init(d), PIDSIM_RESTORE_CONTAINER, &tr) > 0);
	pidsim_census_get(k, &c1);
	assert_int_equal(c1.tasks, c0.tasks - tr.nr_tasks);
	assert_int_equal(c1.containers, c0.containers - (r.nested ? 2 : 1));
	assert_int_equal(c1.zombies, 0);
	for (size_t i = 0; i < tr.nr_tasks; i++)
		assert_int_equal(pidsim_task_state(k, src[i]), -ESRCH);
	assert_int_equal(pidsim_notify(k, r.obj_in, 0, &x), -EBADF);
	assert_int_equal(pidsim_notify(k, r.obj_out, 0, &x), 0);
	assert_true(x == r.t[A]);
	/* host's children: a only, running */
	assert_int_equal(pidsim_wait(k, spawner, -1, &st), 0);
	assert_int_equal(pidsim_kill(k, spawner, pidsim_pid_of(k, spawner, r.t[A]), 9), 0);
	assert_true(pidsim_wait(k, spawner, -1, &st) > 0);
	assert_int_equal(pidsim_wait(k, spawner, -1, &st), -ECHILD);
	/* The target holds it all, reapable by its new spawner. */
	assert_int_equal(pidsim_task_state(d, dst[0]), PIDSIM_RUNNING);
	assert_int_equal(pidsim_kill(d, pidsim_host_init(d),
				     pidsim_pid_of(d, pidsim_host_init(d), dst[0]), 9), 0);
	assert_true(pidsim_wait(d, pidsim_host_init(d), -1, &st) > 0);
	pidsim_census_get(d, &c1);
	assert_int_equal(c1.tasks, 1);
	assert_int_equal(c1.containers, 1);
}

/* A task tree migrated out of a container: its root's parent sees it go,
 * the rest of the container stays. */
static void test_migrate_tree(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d = boot_image(f, NULL, 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID);
	pidsim_tid p = fork_ok(k, c, 0), root = fork_ok(k, p, 0), dc;
	int nr = pidsim_getpid(k, root), st;

	fork_ok(k, root, 0);
	assert_int_equal(pidsim_exit(k, fork_ok(k, root, 0), 1), 0);
	dc = fork_ok(d, pidsim_host_init(d), PIDSIM_CLONE_NEWPID);
	assert_int_equal(pidsim_migrate(k, c, root, PIDSIM_CKPT_TREE, d, dc,
					PIDSIM_RESTORE_INTO, NULL), nr);
	assert_int_equal(pidsim_wait(k, p, -1, &st), -ECHILD);
	assert_int_equal(pidsim_ps(k, c, NULL, 0), 2);
	assert_int_equal(pidsim_ps(d, dc, NULL, 0), 4);
}

/* Migrating within one image: into a container elsewhere, but never
 * into the tree itself. */
static void test_migrate_same_image(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0);
	pidsim_tid host = pidsim_host_init(k), c, t, other;
	pidsim_tid dst[4];
	struct pidsim_tree tr = { .cap = 4, .dst = dst };
	int nr;

	c = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	t = fork_ok(k, c, 0);
	nr = pidsim_getpid(k, t);
	assert_int_equal(pidsim_migrate(k, PIDSIM_NO_TASK, c, PIDSIM_CKPT_CONTAINER,
					k, t, PIDSIM_RESTORE_CONTAINER, NULL), -EINVAL);
	assert_int_equal(pidsim_task_state(k, t), PIDSIM_RUNNING);
	other = fork_ok(k, host, 0);
	assert_true(pidsim_migrate(k, PIDSIM_NO_TASK, c, PIDSIM_CKPT_CONTAINER, k,
				   other, PIDSIM_RESTORE_CONTAINER, &tr) > 0);
	assert_int_equal(pidsim_task_state(k, c), -ESRCH);
	assert_int_equal(pidsim_getpid(k, dst[1]), nr);
	assert_true(task_of(k, dst[0])->parent == task_of(k, other));
}

/* ---- 6: errors, all or nothing ---------------------------------------------------- */

/* Within one image the new parent must be where the caller can see: a
 * task in a container cannot hand its subtree to a host task. */
static void test_migrate_parent_must_be_visible(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0);
	pidsim_tid host = pidsim_host_init(k), c1, t, u, other;
	struct snap before;

	c1 = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	t = fork_ok(k, c1, 0);
	u = fork_ok(k, t, 0);
	other = fork_ok(k, host, 0);
	snapshot_views(k, (const pidsim_tid[]){ host, c1, t, u }, 4, &before);
	assert_int_equal(pidsim_migrate(k, t, u, PIDSIM_CKPT_TREE, k, other,
					PIDSIM_RESTORE_CONTAINER, NULL), -EPERM);
	ASSERT_UNCHANGED(&before);
	assert_int_equal(pidsim_task_state(k, u), PIDSIM_RUNNING);
	/* The host sees both ends. */
	assert_true(pidsim_migrate(k, host, u, PIDSIM_CKPT_TREE, k, other,
				   PIDSIM_RESTORE_CONTAINER, NULL) > 0);
	assert_int_equal(pidsim_task_state(k, u), -ESRCH);
}

static void test_checkpoint_errors(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0);
	pidsim_tid host = pidsim_host_init(k), c1, c2, t;
	void *img = NULL;
	size_t len;

	c1 = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	c2 = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	t = fork_ok(k, c1, 0);
	assert_int_equal(pidsim_checkpoint(k, 0, host, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, 0, host, PIDSIM_CKPT_TREE, &img, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, 0, t, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, 0, c1, 3, &img, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, 0, c1, PIDSIM_CKPT_CONTAINER, NULL, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, c2, c1, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), -EPERM);
	assert_int_equal(pidsim_checkpoint(k, c2, t, PIDSIM_CKPT_TREE, &img, &len, NULL), -EPERM);
	/* From inside the container itself: allowed. */
	assert_int_equal(pidsim_checkpoint(k, t, c1, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	pidsim_image_free(img);
	assert_int_equal(pidsim_exit(k, t, 0), 0);
	assert_int_equal(pidsim_checkpoint(k, t, c1, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), -ESRCH);
	assert_int_equal(pidsim_wait(k, c1, -1, NULL) > 0, 1);
	assert_int_equal(pidsim_checkpoint(k, 0, t, PIDSIM_CKPT_TREE, &img, &len, NULL), -ESRCH);
	/* A zombie init's container: one task. */
	assert_int_equal(pidsim_kill(k, host, pidsim_pid_of(k, host, c1), 9), 0);
	assert_int_equal(pidsim_checkpoint(k, host, c1, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	pidsim_image_free(img);
}

static void test_restore_errors(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *ctl = boot_image(f, NULL, 0);
	pidsim_tid host = pidsim_host_init(k), c, z;
	void *img;
	size_t len;

	c = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	fork_ok(ctl, pidsim_host_init(ctl), PIDSIM_CLONE_NEWPID);
	z = fork_ok(k, host, 0);
	assert_int_equal(pidsim_exit(k, z, 0), 0);
	assert_int_equal(pidsim_exit(ctl, fork_ok(ctl, pidsim_host_init(ctl), 0), 0), 0);
	assert_int_equal(pidsim_checkpoint(k, 0, c, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	assert_int_equal(pidsim_restore(k, img, len, host, 0, NULL), -EINVAL);
	assert_int_equal(pidsim_restore(k, img, len, host, 3, NULL), -EINVAL);
	assert_int_equal(pidsim_restore(NULL, img, len, host, 1, NULL), -EINVAL);
	assert_int_equal(pidsim_restore(k, img, len, z, 1, NULL), -ESRCH);
	assert_int_equal(pidsim_restore(k, img, len, 0, 1, NULL), -ESRCH);
	assert_int_equal(pidsim_restore(k, img, len - 1, host, 1, NULL), -ENODATA);
	assert_int_equal(pidsim_restore(k, NULL, 0, host, 1, NULL), -ENODATA);
	((unsigned char *)img)[70] ^= 1;
	assert_int_equal(pidsim_restore(k, img, len, host, 1, NULL), -EBADMSG);
	assert_same(k, ctl);
	pidsim_image_free(img);
}

/* A target with something in it: a host task, a container with tasks, an
 * owner; the same in the control. */
static pidsim_tid populate(pidsim_kernel *k)
{
	pidsim_tid host = pidsim_host_init(k), c;

	fork_ok(k, host, 0);
	c = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	fork_ok(k, c, 0);
	assert_int_equal(pidsim_setown(k, c, 1), 0);
	return c;
}

/* A populated target of design; *parent is its host init (into 0) or
 * the container populate() made (into 1). */
static pidsim_kernel *target(const char *design, int into, pidsim_tid *parent)
{
	pidsim_kernel *k;
	pidsim_tid c;

	assert_int_equal(pidsim_kernel_create(design, 0, &k), 0);
	c = populate(k);
	*parent = into ? c : pidsim_host_init(k);
	return k;
}

/*
 * Out of memory at every allocation a restore makes, in both modes, with
 * nested containers and stored owners: each time on a fresh target, the
 * restore fails with -ENOMEM and leaves the target exactly as a control
 * that was never restored into.
 */
static void sweep_enomem(const char *design, const void *img, size_t len,
			 int into, unsigned mode)
{
	pidsim_tid p;
	pidsim_kernel *ctl = target(design, into, &p);
	uint64_t n;

	for (n = 1; n < 100000; n++) {
		pidsim_kernel *d = target(design, into, &p);
		bool fired;
		int ret;

		pidsim_debug_fail_alloc(d, n);
		ret = pidsim_restore(d, img, len, p, mode, NULL);
		fired = pidsim_debug_fail_fired(d);
		pidsim_debug_fail_alloc(d, 0);
		if (ret < 0 || fired) {
			assert_true(fired);
			assert_int_equal(ret, -ENOMEM);
			assert_same(d, ctl);
		}
		pidsim_kernel_destroy(d);
		if (!fired) {
			assert_true(ret > 0);
			break;
		}
	}
	pidsim_kernel_destroy(ctl);
	assert_true(n > 1);
}

static void test_restore_enomem_sweep(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d, *ctl;
	pidsim_tid p, cp;
	struct rich r;
	void *img, *timg;
	size_t len, tlen;

	build_rich(k, &r, nests(f->info->name));
	assert_int_equal(pidsim_checkpoint(k, 0, r.t[C1], PIDSIM_CKPT_CONTAINER,
					   &img, &len, NULL), 0);
	sweep_enomem(f->info->name, img, len, 0, PIDSIM_RESTORE_CONTAINER);
	/* A tree with a nested container (when the design nests), into an
	 * existing container whose numbers are free. */
	if (r.nested) {
		pidsim_tid n = fork_ok(k, r.t[X5], PIDSIM_CLONE_NEWPID);

		fork_ok(k, n, 0);
	}
	assert_int_equal(pidsim_checkpoint(k, 0, r.t[X5], PIDSIM_CKPT_TREE, &timg,
					   &tlen, NULL), 0);
	sweep_enomem(f->info->name, timg, tlen, 1, PIDSIM_RESTORE_INTO);
	sweep_enomem(f->info->name, timg, tlen, 0, PIDSIM_RESTORE_CONTAINER);
	/* And the restores that succeed are the same, failures or not. */
	d = target(f->info->name, 1, &p);
	ctl = target(f->info->name, 1, &cp);
	pidsim_debug_fail_alloc(d, 2);
	assert_int_equal(pidsim_restore(d, img, len, pidsim_host_init(d),
					PIDSIM_RESTORE_CONTAINER, NULL), -ENOMEM);
	assert_true(pidsim_restore(d, img, len, pidsim_host_init(d),
				   PIDSIM_RESTORE_CONTAINER, NULL) > 0);
	assert_true(pidsim_restore(ctl, img, len, pidsim_host_init(ctl),
				   PIDSIM_RESTORE_CONTAINER, NULL) > 0);
	assert_true(pidsim_restore(d, timg, tlen, p, PIDSIM_RESTORE_INTO, NULL) > 0);
	assert_true(pidsim_restore(ctl, timg, tlen, cp, PIDSIM_RESTORE_INTO, NULL) > 0);
	assert_same(d, ctl);
	pidsim_kernel_destroy(d);
	pidsim_kernel_destroy(ctl);
	pidsim_image_free(img);
	pidsim_image_free(timg);
}

/* Migrate fails all or nothing too: a restore that fails leaves the
 * source whole. */
static void test_migrate_failure_keeps_source(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *kc = boot_image(f, NULL, 0);
	pidsim_kernel *d = boot_image(f, NULL, 0), *dc = boot_image(f, NULL, 0);
	struct rich r, rc;
	pidsim_tid t = populate(d), tc = populate(dc);

	for (int i = 0; i < 20; i++) {		/* numbers the tree needs */
		fork_ok(d, t, 0);
		fork_ok(dc, tc, 0);
	}
	build_rich(k, &r, false);
	build_rich(kc, &rc, false);
	assert_int_equal(pidsim_migrate(k, 0, r.t[X5], PIDSIM_CKPT_TREE, d, t,
					PIDSIM_RESTORE_INTO, NULL), -EEXIST);
	pidsim_debug_fail_alloc(d, 3);
	assert_int_equal(pidsim_migrate(k, 0, r.t[C1], PIDSIM_CKPT_CONTAINER, d,
					pidsim_host_init(d), PIDSIM_RESTORE_CONTAINER,
					NULL), -ENOMEM);
	assert_same(k, kc);
	assert_same(d, dc);
}

/* ---- 7: each design's own restore -------------------------------------------------- */

/* vpid: the vpids are kept, the internal pids (the host's view) are new. */
static void test_vpid_new_internal_pids(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, "vpid", 0), *d = boot_image(f, "vpid", 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID), t, dst[2];
	struct pidsim_tree tr = { .cap = 2, .dst = dst };

	for (int i = 0; i < 40; i++)
		fork_ok(d, pidsim_host_init(d), 0);
	t = fork_ok(k, c, 0);
	assert_true(pidsim_migrate(k, 0, c, PIDSIM_CKPT_CONTAINER, d,
				   pidsim_host_init(d), PIDSIM_RESTORE_CONTAINER, &tr) > 0);
	(void)t;
	assert_int_equal(pidsim_getpid(d, dst[1]), 2);
	assert_int_equal(pidsim_pid_of(d, pidsim_host_init(d), dst[1]), 43);
}

/* vpid-openvz: a restored container is sparse, with the linear vpids it
 * had; a restore into a linear container switches it, and a failed one
 * switches it back. */
static void test_openvz_restore_sparse(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, "vpid-openvz", 0), *d = boot_image(f, "vpid-openvz", 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID), t, dst[4], dc, x;
	struct pidsim_tree tr = { .cap = 4, .dst = dst };
	void *img;
	size_t len;
	int v;

	t = fork_ok(k, c, 0);
	v = pidsim_getpid(k, t);
	assert_true(v > 1024);
	for (int i = 0; i < 10; i++)
		fork_ok(d, pidsim_host_init(d), 0);
	dc = fork_ok(d, pidsim_host_init(d), PIDSIM_CLONE_NEWPID);
	x = fork_ok(d, dc, 0);
	assert_int_equal(pidsim_checkpoint(k, 0, c, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	assert_true(pidsim_restore(d, img, len, pidsim_host_init(d),
				   PIDSIM_RESTORE_CONTAINER, &tr) > 0);
	assert_true(ps_openvz_is_sparse(task_of(d, dst[0])->ct));
	assert_int_equal(pidsim_getpid(d, dst[1]), v);
	assert_int_equal(pidsim_find(d, dst[0], v, &x), 0);
	assert_true(x == dst[1]);
	assert_true(pidsim_pid_of(d, pidsim_host_init(d), dst[1]) != v - 1024);
	pidsim_image_free(img);

	/* A tree into a linear container: the number is taken, it stays
	 * linear; with a free number it goes sparse, every vpid kept. */
	x = fork_ok(d, dc, 0);
	v = pidsim_getpid(d, x);
	assert_int_equal(pidsim_checkpoint(d, 0, x, PIDSIM_CKPT_TREE, &img, &len, NULL), 0);
	assert_int_equal(pidsim_restore(d, img, len, dc, PIDSIM_RESTORE_INTO, NULL), -EEXIST);
	assert_false(ps_openvz_is_sparse(task_of(d, dc)->ct));
	assert_int_equal(pidsim_kill(d, dc, v, 9), 0);
	assert_int_equal(pidsim_wait(d, dc, v, NULL), v);
	assert_int_equal(pidsim_restore(d, img, len, dc, PIDSIM_RESTORE_INTO, &tr), v);
	assert_true(ps_openvz_is_sparse(task_of(d, dc)->ct));
	assert_int_equal(pidsim_getpid(d, dst[0]), v);
	assert_int_equal(pidsim_find(d, dc, v, &x), 0);
	assert_true(x == dst[0]);
	pidsim_image_free(img);
}

/* vpid-ibm: a restored container asks for its old id and gets it when it
 * is free on the target (its tasks' host-view numbers follow), a new one
 * when it is taken; with no id left, -EAGAIN and nothing changed. */
static void test_ibm_container_id(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, "vpid-ibm", 0), *d = boot_image(f, "vpid-ibm", 0);
	pidsim_tid host = pidsim_host_init(k), c[6], dst[2], t;
	struct pidsim_tree tr = { .cap = 2, .dst = dst };
	struct snap before;
	void *img;
	size_t len;

	for (int i = 0; i < 6; i++)
		c[i] = fork_ok(k, host, PIDSIM_CLONE_NEWPID);
	fork_ok(k, c[4], 0);
	assert_int_equal(pidsim_pid_of(k, host, c[4]), 5 << 22 | 1);
	assert_int_equal(pidsim_checkpoint(k, 0, c[4], PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	assert_int_equal(pidsim_restore(d, img, len, pidsim_host_init(d),
					PIDSIM_RESTORE_CONTAINER, &tr), 5 << 22 | 1);
	assert_int_equal(pidsim_pid_of(d, pidsim_host_init(d), dst[1]), 5 << 22 | 2);
	/* Id 5 is taken now: the next restore gets the lowest free, 1. */
	assert_int_equal(pidsim_restore(d, img, len, pidsim_host_init(d),
					PIDSIM_RESTORE_CONTAINER, &tr), 1 << 22 | 1);
	assert_int_equal(pidsim_getpid(d, dst[1]), 2);
	/* Out of container ids: -EAGAIN, nothing changed. */
	while (pidsim_fork(d, pidsim_host_init(d), PIDSIM_CLONE_NEWPID, &t) > 0)
		;
	snapshot_views(d, (const pidsim_tid[]){ pidsim_host_init(d) }, 1, &before);
	assert_int_equal(before.census.containers, 512);
	assert_int_equal(pidsim_restore(d, img, len, pidsim_host_init(d),
					PIDSIM_RESTORE_CONTAINER, NULL), -EAGAIN);
	ASSERT_UNCHANGED(&before);
	pidsim_image_free(img);
}

/* Nesting a design cannot do: its level_errno, nothing changed. */
static void test_restore_nesting_limit(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, "pidspace", 0), *d = boot_image(f, NULL, 0);
	pidsim_kernel *ctl = boot_image(f, NULL, 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID);
	pidsim_tid dc = pidsim_host_init(d), cc = pidsim_host_init(ctl);
	void *img;
	size_t len;

	fork_ok(k, c, PIDSIM_CLONE_NEWPID);	/* two levels */
	assert_int_equal(pidsim_checkpoint(k, 0, c, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	/* A parent where the image's two levels no longer fit. */
	for (int level = 0; level + 1 < f->info->max_level; level++) {
		dc = fork_ok(d, dc, PIDSIM_CLONE_NEWPID);
		cc = fork_ok(ctl, cc, PIDSIM_CLONE_NEWPID);
	}
	assert_int_equal(pidsim_restore(d, img, len, dc, PIDSIM_RESTORE_CONTAINER, NULL),
			 f->info->level_errno);
	assert_int_equal(pidsim_limit_hit(d), PIDSIM_LIMIT_MAX_LEVEL);
	assert_same(d, ctl);
	/* A refusal for another reason names no limit. */
	assert_int_equal(pidsim_restore(d, img, len, 0, PIDSIM_RESTORE_CONTAINER, NULL),
			 -ESRCH);
	assert_int_equal(pidsim_limit_hit(d), PIDSIM_LIMIT_NONE);
	if (f->info->max_level >= 2)
		assert_true(pidsim_restore(d, img, len, pidsim_host_init(d),
					   PIDSIM_RESTORE_CONTAINER, NULL) > 0);
	pidsim_image_free(img);
}

/* ---- 8 and issue 8: pidns keeps every level inside the tree ----------------------- */

static void test_pidns_levels_preserved(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, "pidns", 0), *d = boot_image(f, "pidns", 0);
	pidsim_tid ct[4], task[4], src[MAXT], dst[MAXT], p;
	struct pidsim_tree tr = { .cap = MAXT, .src = src, .dst = dst };
	int before[4][4];

	/* host -> ct0 -> ct1 -> ct2, two tasks a level, churned numbers. */
	p = pidsim_host_init(k);
	for (int l = 0; l < 3; l++) {
		for (int i = 0; i < 5 * (l + 1); i++)
			fork_ok(k, p, 0);
		ct[l] = fork_ok(k, p, PIDSIM_CLONE_NEWPID);
		task[l] = fork_ok(k, ct[l], 0);
		p = ct[l];
	}
	for (int l = 0; l < 3; l++)
		for (int v = 0; v < 3; v++)
			before[l][v] = pidsim_pid_of(k, ct[v], task[l]);
	/* The target: the tree goes two levels deeper than it was. */
	p = pidsim_host_init(d);
	for (int l = 0; l < 2; l++)
		p = fork_ok(d, p, PIDSIM_CLONE_NEWPID);
	assert_true(pidsim_migrate(k, 0, ct[0], PIDSIM_CKPT_CONTAINER, d, p,
				   PIDSIM_RESTORE_CONTAINER, &tr) > 0);
	for (size_t i = 0; i < tr.nr_tasks; i++) {
		for (int l = 0; l < 3; l++) {
			if (src[i] == ct[l])
				ct[l] = dst[i];
			if (src[i] == task[l])
				task[l] = dst[i];
		}
	}
	for (int l = 0; l < 3; l++) {
		assert_int_equal(pidsim_level_of(d, task[l]), l + 3);
		for (int v = 0; v < 3; v++)
			assert_int_equal(pidsim_pid_of(d, ct[v], task[l]), before[l][v]);
		/* and new numbers above the tree, at every level */
		assert_true(pidsim_pid_of(d, p, task[l]) > 0);
		assert_true(pidsim_pid_of(d, pidsim_host_init(d), task[l]) > 0);
	}
}

/* ---- 4: the cross-design matrix ---------------------------------------------------- */

/* Any design's image restores under any other, within the target's
 * limits, with every result inside the tree the source's. */
static void test_cross_design_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		for (size_t j = 0; j < pidsim_design_count(); j++) {
			const char *a = pidsim_design_at(i)->name;
			const char *b = pidsim_design_at(j)->name;
			pidsim_kernel *k, *kc, *d;
			pidsim_tid src[MAXT], dst[MAXT], c2[MAXT];
			struct pidsim_tree tr = { .cap = MAXT, .src = src, .dst = dst };
			struct pidsim_tree t2 = { .cap = MAXT, .src = c2 };
			int dobj[2];
			struct rich r, rc;
			pidsim_tid x;
			bool nested = nests(a) && nests(b);

			tr.obj_cap = 2;
			tr.dst_obj = dobj;
			assert_int_equal(pidsim_kernel_create(a, 0, &k), 0);
			assert_int_equal(pidsim_kernel_create(a, 0, &kc), 0);
			assert_int_equal(pidsim_kernel_create(b, 0, &d), 0);
			build_rich(k, &r, nested);
			build_rich(kc, &rc, nested);
			populate(d);
			assert_true(pidsim_migrate(k, 0, r.t[C1], PIDSIM_CKPT_CONTAINER,
						   d, pidsim_host_init(d),
						   PIDSIM_RESTORE_CONTAINER, &tr) > 0);
			/* Compare with the control source, task by task. */
			{
				void *img;
				size_t len;

				assert_int_equal(pidsim_checkpoint(kc, 0, rc.t[C1],
					PIDSIM_CKPT_CONTAINER, &img, &len, &t2), 0);
				pidsim_image_free(img);
			}
			assert_tree_same(kc, c2, d, dst, tr.nr_tasks);
			assert_int_equal(pidsim_notify(d, dobj[0], 0, &x), 0);
			assert_true(x == dst[2]);
			/* The next fork, where both designs number alike: not
			 * from a linear vpid-openvz container, and not past
			 * nested tasks only a hierarchical design numbers. */
			if (!(pidsim_design_at(i)->flags & PIDSIM_D_RENUMBERS) &&
			    (!nested || ((pidsim_design_at(i)->flags ^
					  pidsim_design_at(j)->flags) &
					 PIDSIM_D_HIERARCHICAL) == 0))
				assert_next_fork_same(kc, c2, d, dst, tr.nr_tasks);
			assert_wait_order_same(kc, c2[0], d, dst[0]);
			pidsim_kernel_destroy(k);
			pidsim_kernel_destroy(kc);
			pidsim_kernel_destroy(d);
		}
	}
}

/* ---- Cost counters --------------------------------------------------------------- */

/* Bytes of image per task, and what a checkpoint converts: the counters
 * say it.  A flat image costs 24 bytes of record (16 and a group and a
 * session) and 4 per number, after a 72-byte header. */
static void test_migration_counters(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = boot_image(f, NULL, 0), *d = boot_image(f, NULL, 0);
	pidsim_tid c = fork_ok(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID);
	struct pidsim_stats s;
	void *img;
	size_t len;

	for (int i = 0; i < 99; i++)
		fork_ok(k, c, 0);
	pidsim_stats_reset(k);
	assert_int_equal(pidsim_checkpoint(k, 0, c, PIDSIM_CKPT_CONTAINER, &img, &len, NULL), 0);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.ckpt_tasks, 100);
	assert_int_equal(s.ckpt_bytes, 72 + 16 + 100 * 28 + 4);
	assert_int_equal(s.lookups, 0);
	pidsim_stats_reset(d);
	assert_true(pidsim_restore(d, img, len, pidsim_host_init(d),
				   PIDSIM_RESTORE_CONTAINER, NULL) > 0);
	pidsim_stats_get(d, &s);
	assert_int_equal(s.restore_tasks, 100);
	assert_int_equal(s.restore_bytes, len);
	assert_true(s.probes > 0);
	pidsim_image_free(img);
}

#define TD(fn) cmocka_unit_test_prestate_setup_teardown(fn, fx_setup, fx_teardown, NULL)

static const struct CMUnitTest per_design[] = {
	TD(test_checkpoint_changes_nothing),
	TD(test_restore_container_same_inside),
	TD(test_restore_twice),
	TD(test_restore_into_existing),
	TD(test_restore_pid_max_einval),
	TD(test_restore_into_container_image_eexist),
	TD(test_migrate_releases_source),
	TD(test_migrate_tree),
	TD(test_migrate_same_image),
	TD(test_checkpoint_errors),
	TD(test_migrate_parent_must_be_visible),
	TD(test_restore_errors),
	TD(test_restore_enomem_sweep),
	TD(test_migrate_failure_keeps_source),
	TD(test_restore_nesting_limit),
	TD(test_migration_counters),
};

int main(void)
{
	static const struct pidsim_design_info any = { .name = "pidspace" };
	const struct CMUnitTest once[] = {
		cmocka_unit_test_prestate_setup_teardown(test_vpid_new_internal_pids,
							 fx_setup, fx_teardown, (void *)&any),
		cmocka_unit_test_prestate_setup_teardown(test_openvz_restore_sparse,
							 fx_setup, fx_teardown, (void *)&any),
		cmocka_unit_test_prestate_setup_teardown(test_ibm_container_id,
							 fx_setup, fx_teardown, (void *)&any),
		cmocka_unit_test_prestate_setup_teardown(test_pidns_levels_preserved,
							 fx_setup, fx_teardown, (void *)&any),
		cmocka_unit_test(test_cross_design_matrix),
	};
	int failed = run_per_design("migrate", per_design, ARRAY_SIZE(per_design));

	failed |= cmocka_run_group_tests_name("migrate/designs", once, NULL, NULL) != 0;
	return failed;
}
