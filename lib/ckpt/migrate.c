/*
 * migrate.c - a process tree moved from one kernel image to another (or
 * within one): a checkpoint, a restore, and the tree released on the
 * source as if its parent had reaped it (pidsim_image.h).
 *
 * "We can only migrate a self contained process tree (with some glue at
 * the top)", and "when we migrate we expect that the pid is preserved to
 * the user" (the 2006 summary): checkpoint.c writes each task's numbers
 * in the views inside the tree, restore.c asks for them again.
 */
#include <errno.h>
#include <stdlib.h>

#include "ckpt.h"

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
	struct ps_ckpt c = { 0 };
	struct ps_task *root, *p;
	void *image = NULL;
	size_t len;
	int ret;

	if (!src || !dst)
		return -EINVAL;
	ret = ps_ckpt_take(src, cur, root_tid, what, &image, &len, tree, &c, &root);
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
	/* A refusal now is the restore's, with the limit it names. */
	ret = pidsim_restore(dst, image, len, parent, mode, tree);
	if (ret < 0)
		goto out_restore;
	/* The objects moved with their owners; the tree goes as if reaped. */
	for (uint32_t o = 0; o < c.img.nr_owners; o++)
		pidsim_owner_close(src, c.objs[o]);
	ps_release_tree(src, root);
	goto out_restore;
out:
	ps_limit_refused(dst, PIDSIM_LIMIT_NONE);
out_restore:
	pidsim_image_free(image);
	ps_ckpt_free(&c);
	return ret;
}
