/*
 * pidspace_model.c - PID spaces: one allocator and one lookup table per
 * container, no conversions, stored owners kept as weak task references.
 *
 * Where it comes from: Eric Biederman's proposal in the 2006 thread, as the
 * summary puts it: "we provide one pidspace for each container.  All lookup
 * functions operate on the container's pidspace, hence this approach should
 * remove the conversion functions and the two logical domains".  Pids stop
 * being unique in the kernel ("there is no reason that we require unique
 * pids in the kernel", Alan Cox), so whatever keeps a task for later keeps a
 * weak task reference (weakref.h), never a number.
 *
 * The hierarchy is flat, as the summary's "from a kernel perspective,
 * containers form a flat hierarchy": a task has one number, in its own
 * container.  The one exception is the glue at the top: a container's init
 * also has a number in its parent container, so that its spawner can wait
 * for it and kill it.  So the host sees host tasks and the inits of its
 * direct child containers, and nothing deeper.
 *
 * Migration (lib/ckpt/restore.c) rebuilds the spaces with the same numbers: a
 * restore asks each space for the exact number the task had there, own
 * and glue, and sets each space's cursor back; nothing needs converting.
 *
 * Process groups and sessions (pgrp.c) are numbered as their leader's pid
 * is: in the leader's own space (and, for a container's init, by its glue
 * number in the parent's).  A group inherited from the parent container,
 * as a new container's init's is until it calls setsid(), has no number
 * inside: getpgid() and getsid() read 0 there, as on Linux, and no number
 * a task inside can give names it (kill(0) still reaches it: no number is
 * read).  A reaped leader's numbers stay taken while its group lives.
 *
 * Costs: a lookup from a container is one probe of that container's table;
 * a task's number in its own view is a field read; a conversion does not
 * exist.  Per task: one table node.  Per container: an allocator, a table,
 * and the init's glue node.
 */
#include <errno.h>
#include <stddef.h>

#include "check.h"
#include "internal.h"
#include "pidmap.h"
#include "pidtab.h"

struct space {			/* per container */
	struct ps_pidmap map;
	struct ps_pidtab table;
	struct ps_pidtab_node glue;	/* the init's number in the parent's space */
};

struct space_task {
	struct ps_pidtab_node own;	/* the task's number in its own space */
};

static struct space *space_of(const struct ps_container *ct)
{
	return ps_priv(ct);
}

static struct space_task *st_of(const struct ps_task *t)
{
	return ps_priv(t);
}

static int space_kernel_init(struct pidsim_kernel *k)
{
	(void)k;
	return 0;
}

static void space_kernel_fini(struct pidsim_kernel *k)
{
	(void)k;
}

static int space_ct_init(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct space *s = space_of(ct);

	s->table = (struct ps_pidtab){ 0 };
	return ps_pidmap_init(&k->mem, &s->map, k->pid_max);
}

static void space_ct_fini(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct space *s = space_of(ct);

	PS_BUG_ON(s->table.root);
	ps_pidmap_fini(&k->mem, &s->map);
}

/* A number in s for t (want if not 0, else the cyclic rule's), entered
 * in s's table through node; on failure s is as it was, cursor included. */
static int space_enter(struct pidsim_kernel *k, struct space *s,
		       struct ps_pidtab_node *node, struct ps_task *t, int want)
{
	int last = s->map.last, err;
	int nr = ps_pidmap_alloc_want(&k->mem, &s->map, want, s->map.pid_max);

	if (nr < 0)
		return nr;
	node->key = nr;
	node->val.task = t;
	err = ps_pidtab_add(&k->mem, &s->table, node, &k->stats.probes);
	if (err)
		ps_pidmap_unalloc(&k->mem, &s->map, nr, last);
	return err;
}

static void space_leave(struct pidsim_kernel *k, struct space *s,
			struct ps_pidtab_node *node)
{
	ps_pidtab_del(&k->mem, &s->table, node, &k->stats.probes);
	ps_pidmap_free(&k->mem, &s->map, node->key);
}

static bool has_glue(const struct ps_task *t)
{
	return t == t->ct->init && t->ct->parent;
}

/* A restore's want names the task's own number and its glue number; a
 * number in any other view is one this design does not give.  Numbers
 * are taken in the task's own view first, then in its glue view. */
static int space_attach_pid(struct pidsim_kernel *k, struct ps_task *t,
			    const struct ps_pid_want *want)
{
	struct space *s = space_of(t->ct);
	int last = s->map.last;
	int err = space_enter(k, s, &st_of(t)->own, t, ps_want_nr(want, t->ct));

	if (err || !has_glue(t))
		return err;
	err = space_enter(k, space_of(t->ct->parent), &s->glue, t,
			  ps_want_nr(want, t->ct->parent));
	if (err) {
		space_leave(k, s, &st_of(t)->own);
		s->map.last = last;
	}
	return err;
}

static void space_detach_pid(struct pidsim_kernel *k, struct ps_task *t)
{
	struct space *s = space_of(t->ct);

	if (has_glue(t))
		space_leave(k, space_of(t->ct->parent), &s->glue);
	space_leave(k, s, &st_of(t)->own);
}

static void space_ct_state_get(const struct pidsim_kernel *k,
			       const struct ps_container *ct,
			       struct ps_alloc_state *st)
{
	(void)k;
	st->last = space_of(ct)->map.last;
	st->mode = 0;
}

static void space_ct_state_set(struct pidsim_kernel *k, struct ps_container *ct,
			       const struct ps_alloc_state *st)
{
	(void)k;
	space_of(ct)->map.last = st->last;
}

static struct ps_task *space_find_task(struct pidsim_kernel *k,
				       const struct ps_container *view, int nr)
{
	struct ps_pidtab_node *n =
		ps_pidtab_find(&space_of(view)->table, nr, &k->stats.probes);

	return n ? n->val.task : NULL;
}

static int space_task_nr(struct pidsim_kernel *k, const struct ps_task *t,
			 const struct ps_container *view)
{
	(void)k;
	if (view == t->ct)
		return st_of(t)->own.key;
	if (has_glue(t) && view == t->ct->parent)
		return space_of(t->ct)->glue.key;
	return 0;
}

static struct ps_task *space_find_ge(struct pidsim_kernel *k,
				     const struct ps_container *view, int nr,
				     int *found)
{
	int next = ps_pidmap_next(&space_of(view)->map, nr);

	if (!next)
		return NULL;
	*found = next;
	return space_find_task(k, view, next);
}

static void space_owner_set(struct pidsim_kernel *k, struct ps_owner *o,
			    const struct ps_task *t)
{
	(void)k;
	o->u.ref = t->ref;
}

static struct ps_task *space_owner_find(struct pidsim_kernel *k,
				       const struct ps_owner *o)
{
	return ps_ref_resolve(&k->refs, o->u.ref);
}

const struct ps_design ps_design_pidspace = {
	.info = {
		.name = "pidspace",
		.summary = "PID spaces: a pid allocator and table per container "
			   "(Biederman, 2006)",
		.lookup = "one probe of the caller's container table",
		.conversion = "none: a field read (glue pid: another field)",
		.max_level = PIDSIM_MAX_LEVEL,
		.level_errno = -ENOSPC,
		.max_containers = 0,
		.max_pid_max = PIDSIM_PID_MAX_LIMIT,
		.min_ct_pid_max = 0,
		.flags = 0,
		.host_view = "the host sees only child inits (flat); each "
			     "container has a range of its own",
	},
	.kernel_priv = 0,
	.ct_priv = sizeof(struct space),
	.task_priv = sizeof(struct space_task),
	.kernel_init = space_kernel_init,
	.kernel_fini = space_kernel_fini,
	.ct_init = space_ct_init,
	.ct_fini = space_ct_fini,
	.ct_state_get = space_ct_state_get,
	.ct_state_set = space_ct_state_set,
	.attach_pid = space_attach_pid,
	.detach_pid = space_detach_pid,
	.find_task = space_find_task,
	.task_nr = space_task_nr,
	.find_group = space_find_task,
	.group_nr = space_task_nr,
	.find_ge = space_find_ge,
	.owner_set = space_owner_set,
	.owner_find = space_owner_find,
};
