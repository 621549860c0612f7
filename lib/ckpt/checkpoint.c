/*
 * checkpoint.c - a process tree written into an image (pidsim_image.h).
 *
 * The tree is walked in pre-order, as the image lists it, and each task's
 * number in every view from its own container up to the tree's top one
 * is the design's answer (ps_task_nr(), task_nr_ns()): 0 where the design
 * gives it none (pidspace has no number for a nested task in its
 * grandparent's view; pidns has one at every level).  Each container
 * records its cursor (Linux's ns_last_pid) and the id a design may want
 * back (vpid-ibm's container id).  A checkpoint changes nothing on the
 * image but its counters.  Why checkpoint and restore are written once
 * and not per design: restore.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ckpt.h"
#include "image.h"

void ps_ckpt_free(struct ps_ckpt *c)
{
	free(c->img.tasks);
	free(c->img.containers);
	free(c->img.owners);
	free(c->tasks);
	free(c->cts);
	free(c->numbers);
	free(c->objs);
	free(c->slot_idx);
	free(c->img.reaped);
	free(c->reaped);
	free(c->reaped_numbers);
}

/* The image index of t, which is in the tree. */
static uint32_t idx_of(const struct ps_ckpt *c, const struct ps_task *t)
{
	return c->slot_idx[ps_ref_index(t->ref)] - 1;
}

/* Room for n tasks in nct containers with nnum numbers in all. */
static int ckpt_alloc(pidsim_kernel *k, struct ps_ckpt *c, size_t n, size_t nct,
		      size_t nnum)
{
	c->img.tasks = calloc(n, sizeof *c->img.tasks);
	c->img.containers = calloc(nct, sizeof *c->img.containers);
	c->tasks = calloc(n, sizeof *c->tasks);
	c->cts = calloc(nct, sizeof *c->cts);
	c->numbers = calloc(nnum, sizeof *c->numbers);
	c->slot_idx = calloc(ps_task_slots(k), sizeof *c->slot_idx);
	if (!c->img.tasks || !c->img.containers || !c->tasks || !c->cts ||
	    !c->numbers || !c->slot_idx)
		return -ENOMEM;
	return 0;
}

/* One task: its family, its state, and its number in every view from its
 * own container up to the tree's top one, as the design answers. */
static void ckpt_task(pidsim_kernel *k, struct ps_ckpt *c, struct ps_task *t,
		      uint32_t i, uint32_t *nct, size_t *used)
{
	struct pidsim_image_task *it = &c->img.tasks[i];
	struct ps_container *top = c->cts[0], *view = t->ct;

	c->tasks[i] = t;
	c->slot_idx[ps_ref_index(t->ref)] = i + 1;
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
		c->numbers[(*used)++] = ps_task_nr(k, t, view);
}

static void ckpt_containers(pidsim_kernel *k, struct ps_ckpt *c, bool tree)
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
		ps_ct_state_get(k, ct, &st);
		ic->cursor = st.last;
		ic->hint = ps_ct_hint(k, ct);
	}
}

/* ---- Process groups and sessions ------------------------------------------ */

/* A pid a group or session of the tree names, and the first reference to
 * it in image order (tasks, group before session). */
struct pidref {
	const struct ps_task *pid;
	uint32_t seq, idx;
};

static int cmp_pid_seq(const void *a, const void *b)
{
	const struct pidref *x = a, *y = b;

	if (x->pid != y->pid)
		return (uintptr_t)x->pid < (uintptr_t)y->pid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_seq(const void *a, const void *b)
{
	const struct pidref *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Whether ct is a container of the image: its init a task of the tree. */
static bool ct_in_image(const struct ps_ckpt *c, const struct ps_container *ct)
{
	const struct ps_task *init = ct->init;

	return init && init->state != PS_REAPED &&
	       c->slot_idx[ps_ref_index(init->ref)];
}

/* Whether pid p is the remains of a reaped leader inside the tree. */
static bool reaped_inside(const struct ps_ckpt *c, const struct ps_task *p)
{
	return p->state == PS_REAPED && ct_in_image(c, p->ct);
}

/*
 * The reaped leaders inside the tree that the tree's groups and sessions
 * name, in the order of their first reference, each once: every
 * reference collected, sorted by pid, the first of each kept, then put
 * back in reference order.  *n: how many.
 */
static int collect_reaped(const struct ps_ckpt *c, struct pidref **out,
			  uint32_t *n)
{
	uint32_t m = 0, u = 0;
	struct pidref *refs = calloc(2 * (size_t)c->img.nr_tasks, sizeof *refs);

	if (!refs)
		return -ENOMEM;
	for (uint32_t i = 0; i < c->img.nr_tasks; i++) {
		const struct ps_task *t = c->tasks[i];

		if (reaped_inside(c, t->pgrp))
			refs[m++] = (struct pidref){ t->pgrp, 2 * i, 0 };
		if (reaped_inside(c, t->session))
			refs[m++] = (struct pidref){ t->session, 2 * i + 1, 0 };
	}
	qsort(refs, m, sizeof *refs, cmp_pid_seq);
	for (uint32_t j = 0; j < m; j++)
		if (j == 0 || refs[j].pid != refs[j - 1].pid)
			refs[u++] = refs[j];
	qsort(refs, u, sizeof *refs, cmp_seq);
	for (uint32_t j = 0; j < u; j++)
		refs[j].idx = j;
	*out = refs;
	*n = u;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct pidref *x = a, *y = b;

	return x->pid == y->pid ? 0 : (uintptr_t)x->pid < (uintptr_t)y->pid ? -1 : 1;
}

/* The image's pid index of a group's or session's pid p: a task of the
 * tree, a reaped leader inside it (found in byptr, n of them sorted by
 * pid), or NONE: outside the tree. */
static uint32_t pid_index(const struct ps_ckpt *c, const struct ps_task *p,
			  const struct pidref *byptr, uint32_t n)
{
	struct pidref key = { p, 0, 0 };
	const struct pidref *hit;

	if (p->state != PS_REAPED)
		return c->slot_idx[ps_ref_index(p->ref)] ? idx_of(c, p)
							 : PIDSIM_IMAGE_NONE;
	hit = n ? bsearch(&key, byptr, n, sizeof *byptr, cmp_pid) : NULL;
	return hit ? c->img.nr_tasks + hit->idx : PIDSIM_IMAGE_NONE;
}

/* A reaped leader's record: its container and its numbers from there up
 * to the tree's top container, as the design answers. */
static void ckpt_reaped(pidsim_kernel *k, struct ps_ckpt *c, uint32_t d,
			size_t *used)
{
	struct pidsim_image_reaped *ir = &c->img.reaped[d];
	const struct ps_task *p = c->reaped[d];
	struct ps_container *top = c->cts[0], *view = p->ct;

	ir->ct = c->img.tasks[idx_of(c, p->ct->init)].ct;
	ir->nr_numbers = (unsigned)(p->ct->level - top->level + 1);
	ir->numbers = c->reaped_numbers + *used;
	for (unsigned j = 0; j < ir->nr_numbers; j++, view = view->parent)
		c->reaped_numbers[(*used)++] = ps_task_nr(k, p, view);
}

/* Each task's group and session, and the reaped leaders inside the tree
 * that name some of them (docs/image-format.md). */
static int ckpt_groups(pidsim_kernel *k, struct ps_ckpt *c)
{
	struct pidref *refs = NULL;
	uint32_t n = 0;
	size_t nnum = 0, used = 0;
	int err = collect_reaped(c, &refs, &n);

	if (err)
		return err;
	c->img.nr_reaped = n;
	c->img.reaped = calloc(n ? n : 1, sizeof *c->img.reaped);
	c->reaped = calloc(n ? n : 1, sizeof *c->reaped);
	for (uint32_t d = 0; d < n; d++)
		nnum += (size_t)(refs[d].pid->ct->level - c->cts[0]->level + 1);
	c->reaped_numbers = calloc(nnum ? nnum : 1, sizeof *c->reaped_numbers);
	if (!c->img.reaped || !c->reaped || !c->reaped_numbers) {
		free(refs);
		return -ENOMEM;
	}
	for (uint32_t d = 0; d < n; d++) {
		c->reaped[d] = (struct ps_task *)refs[d].pid;
		ckpt_reaped(k, c, d, &used);
	}
	qsort(refs, n, sizeof *refs, cmp_pid);
	for (uint32_t i = 0; i < c->img.nr_tasks; i++) {
		struct pidsim_image_task *it = &c->img.tasks[i];

		it->pgrp = pid_index(c, c->tasks[i]->pgrp, refs, n);
		it->session = pid_index(c, c->tasks[i]->session, refs, n);
	}
	free(refs);
	return 0;
}

/* ---- Stored owners ----------------------------------------------------------- */

/* The stored owners that resolve, from kernel context as notify would,
 * to a task of the tree. */
static int ckpt_owners(pidsim_kernel *k, struct ps_ckpt *c)
{
	int nr_objs = ps_owner_count(k);
	uint32_t n = 0;

	c->img.owners = calloc(nr_objs ? (size_t)nr_objs : 1,
			       sizeof *c->img.owners);
	c->objs = calloc(nr_objs ? (size_t)nr_objs : 1, sizeof *c->objs);
	if (!c->img.owners || !c->objs)
		return -ENOMEM;
	for (int obj = 0; obj < nr_objs; obj++) {
		struct ps_task *t = ps_owner_task(k, obj);

		if (!t || !c->slot_idx[ps_ref_index(t->ref)])
			continue;
		c->img.owners[n].task = idx_of(c, t);
		c->objs[n++] = obj;
	}
	c->img.nr_owners = n;
	return 0;
}

/* Walk the tree at root twice: count, then record. */
static int ckpt_build(pidsim_kernel *k, struct ps_task *root, unsigned what,
		      struct ps_ckpt *c)
{
	struct ps_container *top = what == PIDSIM_CKPT_CONTAINER ? root->ct
								: root->parent->ct;
	size_t n = 0, nct = 1, nnum = 0, used = 0;
	uint32_t i = 0, ct_next = 1;
	int err;

	for (struct ps_task *t = root; t; t = ps_preorder_next(t, root)) {
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
	for (size_t j = 0; j < PIDSIM_IMAGE_DESIGN_LEN - 1 && pidsim_kernel_design(k)->name[j]; j++)
		c->img.design[j] = pidsim_kernel_design(k)->name[j];
	c->img.nr_tasks = (uint32_t)n;
	c->img.nr_containers = (uint32_t)nct;
	c->cts[0] = top;
	for (struct ps_task *t = root; t; t = ps_preorder_next(t, root))
		ckpt_task(k, c, t, i++, &ct_next, &used);
	PS_BUG_ON(ct_next != nct || used != nnum);
	ckpt_containers(k, c, what == PIDSIM_CKPT_TREE);
	err = ckpt_groups(k, c);
	return err ? err : ckpt_owners(k, c);
}

/* Check the arguments and build the image; *root_out is the tree's root. */
static int ckpt_make(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid root_tid,
		     unsigned what, struct ps_ckpt *c, struct ps_task **root_out)
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

static void tree_out_src(struct pidsim_tree *tree, const struct ps_ckpt *c)
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
int ps_ckpt_take(pidsim_kernel *k, pidsim_tid cur, pidsim_tid root_tid,
		 unsigned what, void **image, size_t *len,
		 struct pidsim_tree *tree, struct ps_ckpt *c,
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
	struct ps_ckpt c = { 0 };
	struct ps_task *r;
	int err = ps_ckpt_take(k, cur, root, what, image, len, tree, &c, &r);

	ps_ckpt_free(&c);
	return err;
}

void pidsim_image_free(void *image)
{
	free(image);
}
