/*
 * restore.c - an image rebuilt on a kernel image of any design, with its
 * pids (pidsim_image.h).
 *
 * Why here and not in each design?  A checkpoint and a restore are
 * process semantics, written once like fork and exit: the tree is rebuilt
 * with task.c's own steps (ps_ct_create(), ps_task_create(),
 * ps_link_child(), ps_release_task()).  A design only answers through its
 * ops: attach_pid() with a struct ps_pid_want takes each number a restore
 * asks for (clone3()'s set_tid), ct_state_get()/ct_state_set() read and
 * set a container's cursor (Linux's ns_last_pid), and ct_hint() hands
 * vpid-ibm its old container id.  So what differs between designs on
 * migration - which numbers a design can give back, what it converts,
 * what it must switch - is visible in the results and the counters, not
 * hidden in two implementations.
 *
 * The numbers of a task.  A restore asks for each number the image holds
 * (checkpoint.c), and each design takes those it gives and ignores the
 * rest; views above the tree give new numbers, as CRIU's set_tid array
 * covers only the namespaces it restores.  A view inside the tree where
 * the target numbers a task and the image has no number for it (pidspace
 * to pidns, say) gives a new one, taken above every number the image asks
 * for in that view, so that it never takes one a later task needs.
 *
 * All or nothing.  A restore that fails at any step - an image error, a
 * number taken, a design limit, an allocation - releases every task it
 * made, children first, destroys every container it made, and puts back
 * the cursor and mode of every container it touched, so the target is as
 * it was (tables keep any room they grew, as a failed fork's do).  Stored
 * owners are added last, into room reserved up front, so that they
 * cannot fail.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "ckpt.h"

struct restore {
	pidsim_kernel *k;
	const struct pidsim_image *img;
	unsigned mode;
	struct ps_task *parent;
	struct ps_task *stub;		/* the new init of a tree image's container */
	struct ps_container **cts;	/* per image container: on the target */
	struct ps_task **tasks;		/* per image task: on the target */
	struct ps_task **reaped;	/* per reaped leader: its remains */
	int *maxwant;			/* per image container: the highest
					 * number asked for in its view */
	int *objs;			/* per image owner: its new object */
	uint32_t made;			/* tasks made so far */
	uint32_t made_reaped;		/* reaped leaders made so far (pinned) */
	enum pidsim_limit limit;	/* the recorded limit that refused it */
	/* The containers from parent's up to the host, as they were. */
	int nr_chain;
	struct ps_container *chain[PIDSIM_MAX_LEVEL + 1];
	struct ps_alloc_state saved[PIDSIM_MAX_LEVEL + 1];
};

/* Whether the restore makes image container c (else it is parent's). */
static bool makes_ct(const struct restore *r, uint32_t c)
{
	return r->mode == PIDSIM_RESTORE_CONTAINER || c != 0;
}

/* The design's limits, checked before anything changes: nesting and the
 * number of containers (limits.c, as fork checks them), then pid_max (of
 * the numbers and of the cursors).  *limit: the recorded limit that
 * refused it, if one did. */
static int check_limits(const struct restore *r, enum pidsim_limit *limit)
{
	const struct pidsim_image *img = r->img;
	int base = r->parent->ct->level + (r->mode == PIDSIM_RESTORE_CONTAINER);
	unsigned made = 0;
	int deepest = -1;

	for (uint32_t c = 0; c < img->nr_containers; c++) {
		int d = 0;

		for (uint32_t p = c; p != 0; p = img->containers[p].parent)
			d++;
		if (makes_ct(r, c)) {
			made++;
			if (d > deepest)
				deepest = d;
		}
	}
	*limit = ps_limit_new_containers(r->k, deepest >= 0 ? base + deepest : 0,
					 made);
	if (*limit)
		return ps_limit_errno(pidsim_kernel_design(r->k), *limit);
	/* Every design gives every task a number in its own view, below
	 * pid_max: one the image asks for beyond it is refused up front, so
	 * that the error does not depend on which range fills first. */
	for (uint32_t i = 0; i < img->nr_tasks; i++)
		if (img->tasks[i].numbers[0] >= r->k->pid_max)
			return -EINVAL;
	for (uint32_t d = 0; d < img->nr_reaped; d++)
		if (img->reaped[d].numbers[0] >= r->k->pid_max)
			return -EINVAL;
	/* A container made gets the image's cursor: one past the target's
	 * pid_max is refused, as Linux refuses such a write to ns_last_pid
	 * (pid_ns_ctl_handler(): proc_dointvec_minmax() up to pid_max). */
	for (uint32_t c = 0; c < img->nr_containers; c++)
		if (makes_ct(r, c) && img->containers[c].cursor >= r->k->pid_max)
			return -EINVAL;
	return 0;
}

/* The highest number each view is asked for that it can hold: one at or
 * above pid_max is no number of the view, refused (-EINVAL) by a design
 * that asks for it, ignored by one that does not (vpid-ibm's host-view
 * numbers); either way no new number has to be taken above it. */
static void maxwant_of(struct restore *r, uint32_t view, const int *numbers,
		       unsigned n)
{
	for (unsigned j = 0; j < n; j++) {
		if (numbers[j] > r->maxwant[view] && numbers[j] < r->k->pid_max)
			r->maxwant[view] = numbers[j];
		view = r->img->containers[view].parent;
	}
}

static void find_maxwant(struct restore *r)
{
	const struct pidsim_image *img = r->img;

	for (uint32_t i = 0; i < img->nr_tasks; i++)
		maxwant_of(r, img->tasks[i].ct, img->tasks[i].numbers,
			   img->tasks[i].nr_numbers);
	for (uint32_t d = 0; d < img->nr_reaped; d++)
		maxwant_of(r, img->reaped[d].ct, img->reaped[d].numbers,
			   img->reaped[d].nr_numbers);
}

/* What a pid of image container c with these numbers asks for, view by
 * view up from c. */
static void want_of(const struct restore *r, uint32_t c, const int *numbers,
		    unsigned n, struct ps_pid_want *want)
{
	struct ps_container *view = r->cts[c];

	for (unsigned j = 0; j < n; j++, view = view->parent)
		want->nr[view->level] = numbers[j];
}

/* Set ct's cursor, keeping its mode.  The allocator's rule: the last
 * number handed out, 0 .. pid_max - 1 (pidmap.h; ps_ct_state_set()
 * checks it). */
static void set_cursor(pidsim_kernel *k, struct ps_container *ct, int last)
{
	struct ps_alloc_state st;

	ps_ct_state_get(k, ct, &st);
	st.last = last;
	ps_ct_state_set(k, ct, &st);
}

/* A container the restore makes, nested in pc, its cursor past every
 * number the image asks for in it until the end of the restore. */
static int make_ct(struct restore *r, uint32_t c, struct ps_container *pc)
{
	int err = ps_ct_create(r->k, pc, r->img->containers[c].hint, &r->cts[c]);

	if (err)
		return err;
	set_cursor(r->k, r->cts[c], r->maxwant[c]);
	return 0;
}

/* The new init that holds a tree image restored as a container: pid 1. */
static int make_stub(struct restore *r)
{
	struct ps_pid_want want = { { 0 } };
	int err = make_ct(r, 0, r->parent->ct);

	if (err)
		return err;
	want.nr[r->cts[0]->level] = 1;
	err = ps_task_create(r->k, r->cts[0], &want, &r->stub);
	if (err) {
		ps_ct_destroy(r->k, r->cts[0]);
		return err;
	}
	ps_link_child(r->parent, r->stub);
	return 0;
}

/* Task i: its container if it is the init of one the restore makes, its
 * numbers, its parent, its state. */
static int make_task(struct restore *r, uint32_t i)
{
	const struct pidsim_image_task *it = &r->img->tasks[i];
	const struct pidsim_image_container *ic = &r->img->containers[it->ct];
	struct ps_pid_want want = { { 0 } };
	struct ps_task *t, *parent;
	bool new_ct = ic->init == i && makes_ct(r, it->ct);
	int err;

	if (new_ct) {
		err = make_ct(r, it->ct, it->ct == 0 ? r->parent->ct
						     : r->cts[ic->parent]);
		if (err)
			return err;
	}
	want_of(r, it->ct, it->numbers, it->nr_numbers, &want);
	err = ps_task_create(r->k, r->cts[it->ct], &want, &t);
	if (err) {
		if (new_ct)
			ps_ct_destroy(r->k, r->cts[it->ct]);
		return err;
	}
	parent = i ? r->tasks[it->parent] : r->stub ? r->stub : r->parent;
	ps_link_child(parent, t);
	if (it->state == PIDSIM_ZOMBIE)
		ps_task_make_zombie(r->k, t, it->exit_status);
	r->tasks[i] = t;
	r->made++;
	return 0;
}

/* Reaped leader d: its remains, with its numbers, pinned until the
 * groups are joined. */
static int make_reaped(struct restore *r, uint32_t d)
{
	const struct pidsim_image_reaped *id = &r->img->reaped[d];
	struct ps_pid_want want = { { 0 } };
	int err;

	want_of(r, id->ct, id->numbers, id->nr_numbers, &want);
	err = ps_pid_remains(r->k, r->cts[id->ct], &want, &r->reaped[d]);
	if (!err)
		r->made_reaped++;
	return err;
}

/* The pid the image's pid index x names on the target. */
static struct ps_task *pid_at(const struct restore *r, uint32_t x)
{
	return x < r->img->nr_tasks ? r->tasks[x] : r->reaped[x - r->img->nr_tasks];
}

/*
 * Every task joins its group and session (nothing can fail here).  A
 * group or session outside the tree is the restoring parent's, as CRIU
 * --shell-job makes a tree whose session leader it did not dump join the
 * restorer's (without it, CRIU refuses such a tree; pidsim restores it
 * so, since every container whose init never called setsid() is one);
 * a group outside takes its session with it, so that a group never spans
 * two sessions.  A tree image's new init joins the parent's, as a fork's
 * child does.  Then the reaped leaders are unpinned.
 */
static void join_groups(struct restore *r)
{
	struct ps_task *gp = r->parent->pgrp, *sp = r->parent->session;

	if (r->stub)
		ps_pgrp_join(r->k, r->stub, gp, sp);
	for (uint32_t i = 0; i < r->img->nr_tasks; i++) {
		const struct pidsim_image_task *it = &r->img->tasks[i];
		bool outside = it->pgrp == PIDSIM_IMAGE_NONE;

		ps_pgrp_join(r->k, r->tasks[i], outside ? gp : pid_at(r, it->pgrp),
			     outside || it->session == PIDSIM_IMAGE_NONE ?
			     sp : pid_at(r, it->session));
	}
	while (r->made_reaped)
		ps_pid_unpin(r->k, r->reaped[--r->made_reaped]);
}

/* Undo everything: tasks in reverse pre-order (children first, each
 * container's tasks before its init), the reaped leaders made, then the
 * cursors and modes of the containers above.  A container goes with its
 * last pid. */
static void rollback(struct restore *r)
{
	while (r->made)
		ps_release_task(r->k, r->tasks[--r->made]);
	if (r->stub)
		ps_release_task(r->k, r->stub);
	while (r->made_reaped)
		ps_pid_unpin(r->k, r->reaped[--r->made_reaped]);
	for (int i = 0; i < r->nr_chain; i++)
		ps_ct_state_set(r->k, r->chain[i], &r->saved[i]);
}

/* Every container made gets the image's cursor; parent's container its
 * own back (mode INTO does not move it). */
static void finish(struct restore *r)
{
	for (uint32_t c = 0; c < r->img->nr_containers; c++)
		if (makes_ct(r, c))
			set_cursor(r->k, r->cts[c], r->img->containers[c].cursor);
	if (r->mode == PIDSIM_RESTORE_INTO)
		set_cursor(r->k, r->cts[0], r->saved[0].last);
	for (uint32_t o = 0; o < r->img->nr_owners; o++) {
		r->objs[o] = ps_owner_add(r->k, r->tasks[r->img->owners[o].task]);
		PS_BUG_ON(r->objs[o] < 0);	/* the room was reserved */
	}
}

static int restore_run(struct restore *r)
{
	pidsim_kernel *k = r->k;
	int err = check_limits(r, &r->limit);

	if (err)
		return err;
	r->cts = calloc(r->img->nr_containers, sizeof *r->cts);
	r->tasks = calloc(r->img->nr_tasks, sizeof *r->tasks);
	r->reaped = calloc(r->img->nr_reaped ? r->img->nr_reaped : 1,
			   sizeof *r->reaped);
	r->maxwant = calloc(r->img->nr_containers, sizeof *r->maxwant);
	r->objs = calloc(r->img->nr_owners ? r->img->nr_owners : 1, sizeof *r->objs);
	if (!r->cts || !r->tasks || !r->reaped || !r->maxwant || !r->objs)
		return -ENOMEM;
	err = ps_owner_reserve(k, r->img->nr_owners);
	if (err)
		return err;
	find_maxwant(r);
	for (struct ps_container *ct = r->parent->ct; ct; ct = ct->parent) {
		r->chain[r->nr_chain] = ct;
		ps_ct_state_get(k, ct, &r->saved[r->nr_chain++]);
	}
	if (r->mode == PIDSIM_RESTORE_INTO) {
		r->cts[0] = r->parent->ct;
		if (r->maxwant[0])
			set_cursor(k, r->cts[0], r->maxwant[0]);
	} else if (r->img->flags & PIDSIM_IMAGE_TREE) {
		err = make_stub(r);
	}
	for (uint32_t i = 0; !err && i < r->img->nr_tasks; i++)
		err = make_task(r, i);
	for (uint32_t d = 0; !err && d < r->img->nr_reaped; d++)
		err = make_reaped(r, d);
	if (err) {
		if (err == -EAGAIN)
			r->limit = ps_limit_eagain(k, r->parent->ct, false);
		rollback(r);
		return err;
	}
	join_groups(r);
	finish(r);
	return 0;
}

static void tree_out_dst(struct pidsim_tree *tree, const struct restore *r)
{
	if (!tree)
		return;
	tree->nr_tasks = r->img->nr_tasks;
	tree->nr_objs = r->img->nr_owners;
	tree->top = (r->stub ? r->stub : r->tasks[0])->ref;
	for (size_t i = 0; tree->dst && i < tree->cap && i < r->img->nr_tasks; i++)
		tree->dst[i] = r->tasks[i]->ref;
	for (size_t i = 0; tree->dst_obj && i < tree->obj_cap &&
			   i < r->img->nr_owners; i++)
		tree->dst_obj[i] = r->objs[i];
}

int pidsim_restore(pidsim_kernel *k, const void *image, size_t len,
		   pidsim_tid parent_tid, unsigned mode, struct pidsim_tree *tree)
{
	struct restore r = { .k = k, .mode = mode };
	struct pidsim_image *img = NULL;
	struct ps_task *top;
	int err;

	if (!k || (mode != PIDSIM_RESTORE_CONTAINER && mode != PIDSIM_RESTORE_INTO))
		return -EINVAL;
	err = pidsim_image_decode(image, len, &img, NULL, 0);
	if (err)
		return err;
	r.img = img;
	r.parent = ps_task_resolve(k, parent_tid);
	if (!r.parent || r.parent->state != PIDSIM_RUNNING) {
		err = -ESRCH;
		goto out;
	}
	err = restore_run(&r);
	if (err)
		goto out;
	k->stats.restore_tasks += img->nr_tasks;
	k->stats.restore_bytes += len;
	tree_out_dst(tree, &r);
	top = r.stub ? r.stub : r.tasks[0];
	err = ps_task_nr(k, top, r.parent->ct);
out:
	if (err < 0)
		ps_limit_refused(k, r.limit);
	free(r.cts);
	free(r.tasks);
	free(r.reaped);
	free(r.maxwant);
	free(r.objs);
	pidsim_image_destroy(img);
	return err;
}
