/*
 * ckpt.h - what checkpoint.c, restore.c and migrate.c share: a checkpoint
 * being built (migrate keeps it to release the tree it took), and the
 * walk in image order.
 */
#ifndef PS_CKPT_H
#define PS_CKPT_H

#include "internal.h"
#include "pidsim_image.h"

/* The task after t in a pre-order walk of top's family subtree, children
 * in list order; NULL at the end.  An image lists its tasks in this order. */
static inline struct ps_task *ps_preorder_next(struct ps_task *t,
					       const struct ps_task *top)
{
	if (t->first_child)
		return t->first_child;
	while (t != top && !t->next_sibling)
		t = t->parent;
	return t == top ? NULL : t->next_sibling;
}

/* A checkpoint being built: the image, and where each entry came from. */
struct ps_ckpt {
	struct pidsim_image img;
	struct ps_task **tasks;		/* image order */
	struct ps_container **cts;
	int *numbers;
	int *objs;			/* object ids of the owners */
	uint32_t *slot_idx;		/* weak-reference slot -> task index + 1 */
	struct ps_task **reaped;	/* reaped leaders, in image order */
	int *reaped_numbers;
};

/* pidsim_checkpoint() keeping what it built in *c (free it with
 * ps_ckpt_free(), also after a failure) and the tree's root in *root. */
int ps_ckpt_take(pidsim_kernel *k, pidsim_tid cur, pidsim_tid root_tid,
		 unsigned what, void **image, size_t *len,
		 struct pidsim_tree *tree, struct ps_ckpt *c,
		 struct ps_task **root);
void ps_ckpt_free(struct ps_ckpt *c);

#endif
