/*
 * run_ckpt.c - the migration statements: checkpoint, restore, migrate
 * (pidsim_image.h).
 *
 * A checkpoint image is held by its label with the labels of the tasks it
 * was taken from, so that the tasks a restore makes of it are shown by
 * those labels (struct restored_task).  A migrate moves a tree from one
 * kernel to another: its tasks and its stored owners keep their labels,
 * and its cost counts on both kernels.  The task budget is checked before
 * anything is allocated: a checkpoint against the tasks every held image
 * has, a restore and a migrate against the target kernel's.
 */
#include <errno.h>
#include <stdlib.h>

#include "pidsim_image.h"
#include "run.h"

/* What a checkpoint or a migrate takes: a container, or a task tree (tree). */
static unsigned ckpt_what(const struct pidsim_sc_stmt *st)
{
	return (unsigned)st->arg & PIDSIM_SC_TREE ? PIDSIM_CKPT_TREE
						   : PIDSIM_CKPT_CONTAINER;
}

/* Whether a restore makes a new container or goes into one (into). */
static unsigned restore_mode(const struct pidsim_sc_stmt *st)
{
	return (unsigned)st->arg & PIDSIM_SC_INTO ? PIDSIM_RESTORE_INTO
						   : PIDSIM_RESTORE_CONTAINER;
}

/* Room for the handles of a tree of k (no tree has more tasks than k), and
 * for at_least (the tasks of the checkpoint image a restore makes). */
static pidsim_tid *tree_room(pidsim_kernel *k, size_t at_least,
			     struct pidsim_tree *tree)
{
	size_t tasks = run_tasks_on(k);

	tree->cap = tasks > at_least ? tasks : at_least;
	return calloc(tree->cap ? tree->cap : 1, sizeof(pidsim_tid));
}

/* What the room of a tree holds (tree_room(), migrate_room()). */
static void tree_free(struct pidsim_tree *tree)
{
	free(tree->src);
	free(tree->dst);
	free(tree->src_obj);
	free(tree->dst_obj);
}

/* The labels of a checkpointed tree's tasks, in image order (-1: none),
 * so that the tasks a restore makes of them can be shown by them. */
static int *tree_labels(const struct design_run *d, int kernel,
			const struct pidsim_tree *tree)
{
	int *labels = malloc((tree->nr_tasks ? tree->nr_tasks : 1) * sizeof *labels);

	for (size_t i = 0; labels && i < tree->nr_tasks; i++)
		labels[i] = run_label_of(d, kernel, tree->src[i]);
	return labels;
}

/* A task a restore made, to be shown by label from now on: 0, -ENOMEM. */
static int add_restored(struct design_run *d, int kernel, pidsim_tid t, int label)
{
	if (sc_tidmap_put(&d->label_by_tid[kernel], t, label))
		return -ENOMEM;
	if (d->nr_restored == d->cap_restored) {
		size_t cap = d->cap_restored ? 2 * d->cap_restored : 16;
		struct restored_task *p = realloc(d->restored, cap * sizeof *p);

		if (!p)
			return -ENOMEM;
		d->restored = p;
		d->cap_restored = cap;
	}
	d->restored[d->nr_restored++] = (struct restored_task){ t, kernel, label, 0 };
	return 0;
}

/* Show the tasks a restore made by labels[0..n), the labels of the tasks
 * they were checkpointed from (the top keeps the statement's own label). */
static int name_restored(struct design_run *d, int kernel, const int *labels,
			 size_t n, const struct pidsim_tree *tree)
{
	pidsim_kernel *k = d->kernel[kernel];
	pidsim_tid ct, top_ct = PIDSIM_NO_TASK;
	int view;

	/* A container restored inside another: the view it was restored
	 * in has containers nested in it now. */
	pidsim_container_of(k, tree->top, &top_ct);
	view = run_label_of(d, kernel, top_ct);
	for (size_t i = 0; view >= 0 && i < tree->nr_tasks && i < tree->cap; i++)
		if (tree->dst[i] != tree->top &&
		    pidsim_container_of(k, tree->dst[i], &ct) == 0 && ct == tree->dst[i])
			d->labels[view].has_nested = true;
	for (size_t i = 0; labels && i < n && i < tree->nr_tasks; i++) {
		if (labels[i] < 0 || tree->dst[i] == tree->top)
			continue;
		if (add_restored(d, kernel, tree->dst[i], labels[i]))
			return -ENOMEM;
	}
	return 0;
}

/* checkpoint WHO ROOT [tree] -> IMAGE: the label holds the checkpoint
 * image from now on, unless the task budget for images refuses it. */
int run_checkpoint(const struct run *r, struct design_run *d, pidsim_kernel *k,
		   const struct pidsim_sc_stmt *st)
{
	unsigned what = ckpt_what(st);
	struct held_ckpt *ckpt = &d->labels[st->def].ckpt;
	struct pidsim_tree tree = { 0 };
	struct pidsim_stats s0;
	void *bytes = NULL;
	size_t len = 0;
	int ret, err = 0;

	tree.src = tree_room(k, 0, &tree);
	if (!tree.src)
		return -ENOMEM;
	pidsim_stats_get(k, &s0);
	ret = pidsim_checkpoint(k, d->labels[st->who].tid, d->labels[st->pid.label].tid,
				what, &bytes, &len, &tree);
	run_cost_done(k, &s0, d);
	d->outcome.ret = d->outcome.nr = ret < 0 ? ret : (int)tree.nr_tasks;
	if (ret < 0) {
		d->labels[st->def].unbound_at = st->line;
		err = ret == -ENOMEM ? ret : 0;
	} else if (run_over_budget(r, d, st, d->ckpt_tasks, tree.nr_tasks)) {
		pidsim_image_free(bytes);
	} else {
		*ckpt = (struct held_ckpt){
			.bytes = bytes, .len = len, .nr_tasks = tree.nr_tasks,
			.labels = tree_labels(d, st->kernel, &tree),
			.tree = what == PIDSIM_CKPT_TREE,
		};
		d->ckpt_tasks += tree.nr_tasks;
		d->outcome.bytes = len;
		err = ckpt->labels ? 0 : -ENOMEM;
	}
	free(tree.src);
	return err;
}

/* What a restore or a migrate gave: the top's number in the view it was
 * restored under, bound to the statement's label; or why not. */
static int restore_outcome(struct run *r, struct design_run *d, pidsim_kernel *k,
			   const struct pidsim_sc_stmt *st, int ret, pidsim_tid top)
{
	int under = st->kind == PIDSIM_SC_MIGRATE ? st->ct : st->who;
	pidsim_tid parent = d->labels[under].tid;
	pidsim_tid ct, pc;
	int view;

	d->outcome.ret = d->outcome.nr = ret;
	if (ret < 0) {
		if (st->def >= 0)
			d->labels[st->def].unbound_at = st->line;
		run_note_limit_hit(d, k);
		return ret == -ENOMEM ? ret : 0;
	}
	/* A new container: its parent's view has a container nested in it. */
	if (pidsim_container_of(k, top, &ct) == 0 && ct == top &&
	    pidsim_container_of(k, parent, &pc) == 0 &&
	    (view = run_label_of(d, st->kernel, pc)) >= 0)
		d->labels[view].has_nested = true;
	if (st->def < 0)
		return 0;
	d->outcome.label = st->def;
	return run_bind_task(r, d, st->def, top);
}

/* restore WHO IMAGE [into] [-> LABEL]: the checkpoint image the label
 * holds, rebuilt on k under WHO, its tasks shown by the labels of the
 * tasks they were checkpointed from. */
int run_restore(struct run *r, struct design_run *d, pidsim_kernel *k,
		const struct pidsim_sc_stmt *st)
{
	const struct held_ckpt *ckpt = &d->labels[st->obj].ckpt;
	unsigned mode = restore_mode(st);
	bool adds_init = ckpt->tree && mode == PIDSIM_RESTORE_CONTAINER;
	struct pidsim_tree tree = { 0 };
	struct pidsim_stats s0;
	int ret, err = 0;

	tree.dst = tree_room(k, ckpt->nr_tasks, &tree);
	if (!tree.dst)
		return -ENOMEM;
	if (run_over_budget(r, d, st, run_tasks_on(k), ckpt->nr_tasks + adds_init))
		goto out;
	pidsim_stats_get(k, &s0);
	ret = pidsim_restore(k, ckpt->bytes, ckpt->len, d->labels[st->who].tid, mode,
			     &tree);
	run_cost_done(k, &s0, d);
	err = restore_outcome(r, d, k, st, ret, tree.top);
	if (!err && ret >= 0)
		err = name_restored(d, st->kernel, ckpt->labels, ckpt->nr_tasks, &tree);
out:
	free(tree.dst);
	return err;
}

/* The stored owners that moved with a migrated tree: their labels name the
 * new objects on the target from now on. */
static void move_objects(const struct run *r, struct design_run *d, int from, int to,
			 const struct pidsim_tree *tree)
{
	for (size_t i = 0; i < tree->nr_objs && i < tree->obj_cap; i++) {
		for (size_t l = 0; l < r->sc->nr_labels; l++) {
			struct label_state *object = &d->labels[l];
			int at = object->obj_kernel >= 0 ? object->obj_kernel
						     : r->sc->labels[l].kernel;

			if (r->sc->labels[l].kind != PIDSIM_SC_OBJECT || at != from ||
			    object->obj != tree->src_obj[i])
				continue;
			object->obj = tree->dst_obj[i];
			object->obj_kernel = to;
			break;
		}
	}
}

/* Whether the tree a migrate copies onto k before it releases it on src
 * would pass the task budget there.  The tree is at most src's tasks but
 * host init; only when that bound does not fit is it counted, by a
 * checkpoint that changes nothing but src's counters.  (run_migrate()
 * opens the cost window before this, so those counters show in the
 * statement's cost: kept so, for the transcripts' sake.) */
static bool migrate_over_budget(const struct run *r, struct design_run *d,
				pidsim_kernel *k, pidsim_kernel *src,
				const struct pidsim_sc_stmt *st)
{
	size_t init = ckpt_what(st) == PIDSIM_CKPT_TREE &&
		      restore_mode(st) == PIDSIM_RESTORE_CONTAINER;
	struct pidsim_tree tree = { 0 };
	void *bytes = NULL;
	size_t len;

	if (run_tasks_on(k) + run_tasks_on(src) - 1 + init <= r->max_tasks)
		return false;
	if (pidsim_checkpoint(src, d->labels[st->who].tid, d->labels[st->pid.label].tid,
			      ckpt_what(st), &bytes, &len, &tree) < 0)
		return false;	/* the migrate fails on its own */
	pidsim_image_free(bytes);
	return run_over_budget(r, d, st, run_tasks_on(k), tree.nr_tasks + init);
}

/* Room for what a migrate from src reports: its tasks on both sides, and
 * its stored owners (every object of a scenario has a label). */
static int migrate_room(const struct design_run *d, pidsim_kernel *src,
			struct pidsim_tree *tree)
{
	tree->dst = tree_room(src, 0, tree);
	tree->src = calloc(tree->cap + 1, sizeof *tree->src);
	tree->obj_cap = d->nr_labels;
	tree->src_obj = calloc(d->nr_labels, sizeof *tree->src_obj);
	tree->dst_obj = calloc(d->nr_labels, sizeof *tree->dst_obj);
	return tree->dst && tree->src && tree->src_obj && tree->dst_obj ? 0 : -ENOMEM;
}

/* migrate WHO ROOT TARGET [tree] [into] [-> LABEL]: the tree moves from
 * WHO's kernel to k, under TARGET; the tasks and objects that moved keep
 * their labels, and its cost counts on both kernels. */
int run_migrate(struct run *r, struct design_run *d, pidsim_kernel *k,
		const struct pidsim_sc_stmt *st)
{
	int from = r->sc->labels[st->who].kernel, ret, err, *labels = NULL;
	pidsim_kernel *src = d->kernel[from];
	struct pidsim_tree tree = { 0 };
	struct pidsim_stats s0, s0_src;

	err = migrate_room(d, src, &tree);
	if (err)
		goto out;
	/* opened before the budget's checkpoint, which is then counted
	 * (see migrate_over_budget()) */
	pidsim_stats_get(k, &s0);
	pidsim_stats_get(src, &s0_src);
	if (migrate_over_budget(r, d, k, src, st))
		goto out;
	run_effects_before(r, d);
	ret = pidsim_migrate(src, d->labels[st->who].tid, d->labels[st->pid.label].tid,
			     ckpt_what(st), k, d->labels[st->ct].tid, restore_mode(st),
			     &tree);
	run_cost_done(k, &s0, d);
	if (src != k)
		run_cost_add(src, &s0_src, d);
	if (ret >= 0) {
		labels = tree_labels(d, from, &tree);
		move_objects(r, d, from, st->kernel, &tree);
	}
	err = restore_outcome(r, d, k, st, ret, tree.top);
	run_effects_after(r, d, st->line);
	if (!err && ret >= 0)
		err = labels ? name_restored(d, st->kernel, labels, tree.nr_tasks, &tree)
			     : -ENOMEM;
	free(labels);
out:
	tree_free(&tree);
	return err;
}
