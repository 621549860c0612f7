/*
 * migrate.c - checkpoint a process tree into an image, restore it on
 * another kernel image (of any design) with its pids, and migrate it.
 *
 * Why here and not in each design?  A checkpoint and a restore are
 * process semantics, written once like fork and exit: the tree is walked
 * and rebuilt with task.c's own steps (ps_ct_create(), ps_task_create(),
 * ps_link_child(), ps_release_task()).  A design only answers through its
 * ops: task_nr() gives each number a checkpoint records, attach_pid() with
 * a struct ps_pid_want takes each number a restore asks for (clone3()'s
 * set_tid), ct_state_get()/ct_state_set() read and set a container's cursor
 * (Linux's ns_last_pid), and ct_hint() hands vpid-ibm its old container id.
 * So what differs between designs on migration - which numbers a design
 * can give back, what it converts, what it must switch - is visible in the
 * results and the counters, not hidden in two implementations.
 *
 * The numbers of a task.  An image holds, for every task, its number in
 * each view inside the tree (its own container's and every container up
 * to the tree's top one), as the source design answers task_nr(): 0 where
 * the design gives it none (pidspace has no number for a nested task in
 * its grandparent's view; pidns has one at every level).  A restore asks
 * for each of them, and each design takes those it gives and ignores the
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
#include <string.h>

#include "check.h"
#include "image.h"
#include "internal.h"

/* The task after t in a pre-order walk of top's family subtree, children
 * in list order; NULL at the end. */
static struct ps_task *preorder_next(struct ps_task *t, const struct ps_task *top)
{
	if (t->first_child)
		return t->first_child;
	while (t != top && !t->next_sibling)
		t = t->parent;
	return t == top ? NULL : t->next_sibling;
}

static uint32_t slot_of(ps_ref ref)
{
	return (uint32_t)ref - 1;
}

/* ---- Checkpoint ------------------------------------------------------------- */

/* A checkpoint being built: the image, and where each entry came from. */
struct ckpt {
	struct pidsim_image img;
	struct ps_task **tasks;		/* image order */
	struct ps_container **cts;
	int *numbers;
	int *objs;			/* object ids of the owners */
	uint32_t *slot_idx;		/* weak-reference slot -> task index + 1 */
};

static void ckpt_free(struct ckpt *c)
{
	free(c->img.tasks);
	free(c->img.containers);
	free(c->img.owners);
	free(c->tasks);
	free(c->cts);
	free(c->numbers);
	free(c->objs);
	free(c->slot_idx);
}

/* The image index of t, which is in the tree. */
static uint32_t idx_of(const struct ckpt *c, const struct ps_task *t)
{
	return c->slot_idx[slot_of(t->ref)] - 1;
}

/* Room for n tasks in nct containers with nnum numbers in all. */
static int ckpt_alloc(pidsim_kernel *k, struct ckpt *c, size_t n, size_t nct,
		      size_t nnum)
{
	c->img.tasks = calloc(n, sizeof *c->img.tasks);
	c->img.containers = calloc(nct, sizeof *c->img.containers);
	c->tasks = calloc(n, sizeof *c->tasks);
	c->cts = calloc(nct, sizeof *c->cts);
	c->numbers = calloc(nnum, sizeof *c->numbers);
	c->slot_idx = calloc(k->refs.nr, sizeof *c->slot_idx);
	if (!c->img.tasks || !c->img.containers || !c->tasks || !c->cts ||
	    !c->numbers || !c->slot_idx)
		return -ENOMEM;
	return 0;
}

/* One task: its family, its state, and its number in every view from its
 * own container up to the tree's top one, as the design answers. */
static void ckpt_task(pidsim_kernel *k, struct ckpt *c, struct ps_task *t,
		      uint32_t i, uint32_t *nct, size_t *used)
{
	struct pidsim_image_task *it = &c->img.tasks[i];
	struct ps_container *top = c->cts[0], *view = t->ct;

	c->tasks[i] = t;
	c->slot_idx[slot_of(t->ref)] = i + 1;
	it->parent = i ? idx_of(c, t->parent) : PIDSIM_IMAGE_NONE;
	if (t->ct == top) {
		it->ct = 0;
	} else if (ps_is_init(t)) {
		it->ct = (*nct)++;
		c->cts[it->ct] = t->ct;
	} else {
		it->ct = c->img.tasks[idx_of(c, t->ct->init)].ct;
	}
	it->state = t->state;
	it->exit_status = t->state == PIDSIM_ZOMBIE ? t->exit_status : 0;
	it->nr_numbers = (unsigned)(t->ct->level - top->level + 1);
	it->numbers = c->numbers + *used;
	for (unsigned j = 0; j < it->nr_numbers; j++, view = view->parent)
		c->numbers[(*used)++] = k->design->task_nr(k, t, view);
}

static void ckpt_containers(pidsim_kernel *k, struct ckpt *c, bool tree)
{
	for (uint32_t i = 0; i < c->img.nr_containers; i++) {
		struct pidsim_image_container *ic = &c->img.containers[i];
		struct ps_container *ct = c->cts[i];
		struct ps_alloc_state st;

		if (i == 0)
			ic->parent = PIDSIM_IMAGE_NONE;
		else if (ct->parent == c->cts[0])
			ic->parent = 0;
		else
			ic->parent = c->img.tasks[idx_of(c, ct->parent->init)].ct;
		ic->init = i == 0 && tree ? PIDSIM_IMAGE_NONE : idx_of(c, ct->init);
		k->design->ct_state_get(k, ct, &st);
		ic->cursor = st.last;
		ic->hint = k->design->ct_hint ? k->design->ct_hint(k, ct) : 0;
	}
}

/* The stored owners that resolve, from kernel context as notify would,
 * to a task of the tree. */
static int ckpt_owners(pidsim_kernel *k, struct ckpt *c)
{
	uint32_t n = 0;

	c->img.owners = calloc(k->nr_owners ? (size_t)k->nr_owners : 1,
			       sizeof *c->img.owners);
	c->objs = calloc(k->nr_owners ? (size_t)k->nr_owners : 1, sizeof *c->objs);
	if (!c->img.owners || !c->objs)
		return -ENOMEM;
	for (int obj = 0; obj < k->nr_owners; obj++) {
		const struct ps_owner *o = &k->owners[obj];
		struct ps_task *t = o->used ? k->design->owner_find(k, o) : NULL;

		if (!t || !c->slot_idx[slot_of(t->ref)])
			continue;
		c->img.owners[n].task = idx_of(c, t);
		c->objs[n++] = obj;
	}
	c->img.nr_owners = n;
	return 0;
}

/* Walk the tree at root twice: count, then record. */
static int ckpt_build(pidsim_kernel *k, struct ps_task *root, unsigned what,
		      struct ckpt *c)
{
	struct ps_container *top = what == PIDSIM_CKPT_CONTAINER ? root->ct
								: root->parent->ct;
	size_t n = 0, nct = 1, nnum = 0, used = 0;
	uint32_t i = 0, ct_next = 1;
	int err;

	for (struct ps_task *t = root; t; t = preorder_next(t, root)) {
		n++;
		nct += ps_is_init(t) && t->ct != top;
		nnum += (size_t)(t->ct->level - top->level + 1);
	}
	if (n > PIDSIM_IMAGE_MAX_TASKS || nct > PIDSIM_IMAGE_MAX_CONTAINERS)
		return -EFBIG;
	err = ckpt_alloc(k, c, n, nct, nnum);
	if (err)
		return err;
	c->img.version = PIDSIM_IMAGE_VERSION;
	c->img.flags = what == PIDSIM_CKPT_TREE ? PIDSIM_IMAGE_TREE : 0;
	c->img.pid_max = k->pid_max;
	for (size_t j = 0; j < 15 && k->design->info.name[j]; j++)
		c->img.design[j] = k->design->info.name[j];
	c->img.nr_tasks = (uint32_t)n;
	c->img.nr_containers = (uint32_t)nct;
	c->cts[0] = top;
	for (struct ps_task *t = root; t; t = preorder_next(t, root))
		ckpt_task(k, c, t, i++, &ct_next, &used);
	PS_BUG_ON(ct_next != nct || used != nnum);
	ckpt_containers(k, c, what == PIDSIM_CKPT_TREE);
	return ckpt_owners(k, c);
}

/* Check the arguments and build the image; *root_out is the tree's root. */
static int ckpt_make(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid root_tid,
		     unsigned what, struct ckpt *c, struct ps_task **root_out)
{
	struct ps_task *cur = NULL, *root;
	struct ps_container *top;

	if (!k)
		return -EINVAL;
	if (cur_tid != PIDSIM_NO_TASK) {
		cur = ps_task_resolve(k, cur_tid);
		if (!cur || cur->state != PIDSIM_RUNNING)
			return -ESRCH;
	}
	root = ps_task_resolve(k, root_tid);
	if (!root)
		return -ESRCH;
	if (what == PIDSIM_CKPT_CONTAINER) {
		if (!ps_is_init(root) || !root->ct->parent)
			return -EINVAL;
		top = root->ct;
	} else if (what == PIDSIM_CKPT_TREE) {
		if (!root->parent)
			return -EINVAL;	/* host init: the whole image */
		top = root->parent->ct;
	} else {
		return -EINVAL;
	}
	if (cur && !ps_sees_container(cur->ct, top))
		return -EPERM;
	*root_out = root;
	return ckpt_build(k, root, what, c);
}

static void tree_out_src(struct pidsim_tree *tree, const struct ckpt *c)
{
	if (!tree)
		return;
	tree->nr_tasks = c->img.nr_tasks;
	tree->nr_objs = c->img.nr_owners;
	for (size_t i = 0; tree->src && i < tree->cap && i < c->img.nr_tasks; i++)
		tree->src[i] = c->tasks[i]->ref;
	for (size_t i = 0; tree->src_obj && i < tree->obj_cap &&
			   i < c->img.nr_owners; i++)
		tree->src_obj[i] = c->objs[i];
}

/* Checkpoint into *image; c is kept for migrate. */
static int checkpoint(pidsim_kernel *k, pidsim_tid cur, pidsim_tid root_tid,
		      unsigned what, void **image, size_t *len,
		      struct pidsim_tree *tree, struct ckpt *c,
		      struct ps_task **root)
{
	int err;

	if (!image || !len)
		return -EINVAL;
	err = ckpt_make(k, cur, root_tid, what, c, root);
	if (!err)
		err = pidsim_image_encode(&c->img, image, len);
	if (err)
		return err;
	k->stats.ckpt_tasks += c->img.nr_tasks;
	k->stats.ckpt_bytes += *len;
	tree_out_src(tree, c);
	return 0;
}

int pidsim_checkpoint(pidsim_kernel *k, pidsim_tid cur, pidsim_tid root,
		      unsigned what, void **image, size_t *len,
		      struct pidsim_tree *tree)
{
	struct ckpt c = { 0 };
	struct ps_task *r;
	int err = checkpoint(k, cur, root, what, image, len, tree, &c, &r);

	ckpt_free(&c);
	return err;
}

void pidsim_image_free(void *image)
{
	free(image);
}

/* ---- Restore ---------------------------------------------------------------- */

struct restore {
	pidsim_kernel *k;
	const struct pidsim_image *img;
	unsigned mode;
	struct ps_task *parent;
	struct ps_task *stub;		/* the new init of a tree image's container */
	struct ps_container **cts;	/* per image container: on the target */
	struct ps_task **tasks;		/* per image task: on the target */
	int *maxwant;			/* per image container: the highest
					 * number asked for in its view */
	int *objs;			/* per image owner: its new object */
	uint32_t made;			/* tasks made so far */
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

/* The design's limits, checked before anything changes: nesting, the
 * number of containers, pid_max (of the numbers and of the cursors). */
static int check_limits(const struct restore *r)
{
	const struct pidsim_design_info *info = &r->k->design->info;
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
	if (deepest >= 0 && base + deepest > info->max_level)
		return info->level_errno;
	if (info->max_containers &&
	    r->k->nr_containers - 1 + made > info->max_containers)
		return -EAGAIN;
	/* Every design gives every task a number in its own view, below
	 * pid_max: one the image asks for beyond it is refused up front, so
	 * that the error does not depend on which range fills first. */
	for (uint32_t i = 0; i < img->nr_tasks; i++)
		if (img->tasks[i].numbers[0] >= r->k->pid_max)
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
static void find_maxwant(struct restore *r)
{
	const struct pidsim_image *img = r->img;

	for (uint32_t i = 0; i < img->nr_tasks; i++) {
		const struct pidsim_image_task *t = &img->tasks[i];
		uint32_t view = t->ct;

		for (unsigned j = 0; j < t->nr_numbers; j++) {
			if (t->numbers[j] > r->maxwant[view] &&
			    t->numbers[j] < r->k->pid_max)
				r->maxwant[view] = t->numbers[j];
			view = img->containers[view].parent;
		}
	}
}

/* Set ct's cursor, keeping its mode.  The allocator's rule: the last
 * number handed out, 0 .. pid_max - 1 (pidmap.h). */
static void set_cursor(pidsim_kernel *k, struct ps_container *ct, int last)
{
	struct ps_alloc_state st;

	PS_BUG_ON(last < 0 || last >= k->pid_max);
	k->design->ct_state_get(k, ct, &st);
	st.last = last;
	k->design->ct_state_set(k, ct, &st);
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
	struct ps_container *view;
	struct ps_task *t, *parent;
	bool new_ct = ic->init == i && makes_ct(r, it->ct);
	int err;

	if (new_ct) {
		err = make_ct(r, it->ct, it->ct == 0 ? r->parent->ct
						     : r->cts[ic->parent]);
		if (err)
			return err;
	}
	view = r->cts[it->ct];
	for (unsigned j = 0; j < it->nr_numbers; j++, view = view->parent)
		want.nr[view->level] = it->numbers[j];
	err = ps_task_create(r->k, r->cts[it->ct], &want, &t);
	if (err) {
		if (new_ct)
			ps_ct_destroy(r->k, r->cts[it->ct]);
		return err;
	}
	parent = i ? r->tasks[it->parent] : r->stub ? r->stub : r->parent;
	ps_link_child(parent, t);
	if (it->state == PIDSIM_ZOMBIE) {
		t->state = PIDSIM_ZOMBIE;
		t->exit_status = it->exit_status;
		r->k->nr_zombies++;
	}
	r->tasks[i] = t;
	r->made++;
	return 0;
}

/* Undo everything: tasks in reverse pre-order (children first, each
 * container's tasks before its init, whose release destroys it), then
 * the cursors and modes of the containers above. */
static void rollback(struct restore *r)
{
	while (r->made)
		ps_release_task(r->k, r->tasks[--r->made]);
	if (r->stub)
		ps_release_task(r->k, r->stub);
	for (int i = 0; i < r->nr_chain; i++)
		r->k->design->ct_state_set(r->k, r->chain[i], &r->saved[i]);
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
	int err = check_limits(r);

	if (err)
		return err;
	r->cts = calloc(r->img->nr_containers, sizeof *r->cts);
	r->tasks = calloc(r->img->nr_tasks, sizeof *r->tasks);
	r->maxwant = calloc(r->img->nr_containers, sizeof *r->maxwant);
	r->objs = calloc(r->img->nr_owners ? r->img->nr_owners : 1, sizeof *r->objs);
	if (!r->cts || !r->tasks || !r->maxwant || !r->objs)
		return -ENOMEM;
	err = ps_owner_reserve(k, r->img->nr_owners);
	if (err)
		return err;
	find_maxwant(r);
	for (struct ps_container *ct = r->parent->ct; ct; ct = ct->parent) {
		r->chain[r->nr_chain] = ct;
		k->design->ct_state_get(k, ct, &r->saved[r->nr_chain++]);
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
	if (err) {
		rollback(r);
		return err;
	}
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
	err = k->design->task_nr(k, top, r.parent->ct);
out:
	free(r.cts);
	free(r.tasks);
	free(r.maxwant);
	free(r.objs);
	pidsim_image_destroy(img);
	return err;
}

/* ---- Migrate ------------------------------------------------------------------ */

/* Whether t is top or a descendant of it. */
static bool in_tree(const struct ps_task *t, const struct ps_task *top)
{
	for (; t; t = t->parent)
		if (t == top)
			return true;
	return false;
}

int pidsim_migrate(pidsim_kernel *src, pidsim_tid cur, pidsim_tid root_tid,
		   unsigned what, pidsim_kernel *dst, pidsim_tid parent,
		   unsigned mode, struct pidsim_tree *tree)
{
	struct ckpt c = { 0 };
	struct ps_task *root, *p;
	void *image = NULL;
	size_t len;
	int ret;

	if (!src || !dst)
		return -EINVAL;
	ret = checkpoint(src, cur, root_tid, what, &image, &len, tree, &c, &root);
	if (ret)
		goto out;
	p = src == dst ? ps_task_resolve(dst, parent) : NULL;
	if (p && in_tree(p, root)) {
		ret = -EINVAL;	/* the tree would be restored into itself */
		goto out;
	}
	/* Within one image the caller moves the tree only where it can see:
	 * a container must not hand its tasks to the host or a sibling. */
	if (p && cur && !ps_sees_container(ps_task_resolve(src, cur)->ct, p->ct)) {
		ret = -EPERM;
		goto out;
	}
	ret = pidsim_restore(dst, image, len, parent, mode, tree);
	if (ret < 0)
		goto out;
	/* The objects moved with their owners; the tree goes as if reaped. */
	for (uint32_t o = 0; o < c.img.nr_owners; o++)
		pidsim_owner_close(src, c.objs[o]);
	ps_release_tree(src, root);
out:
	pidsim_image_free(image);
	ckpt_free(&c);
	return ret;
}
