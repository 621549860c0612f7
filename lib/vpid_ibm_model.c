/*
 * vpid_ibm_model.c - IBM's pidspace patch of December 2005: PID
 * virtualization with the container id masked into the internal pid.
 *
 * Where it comes from: the IBM series posted to linux-kernel in December
 * 2005 ("[PATCH 14/21]" and its neighbours: container-aware pid
 * allocation), which the 2006 summary describes as "we too have similar
 * optimizations by masking the container id into the internal pid".
 *
 * From the patch:
 *   - kernel pid = (container id << 22) | vpid: 9 bits of container id
 *     above 22 bits of vpid, so a pid_t still fits in 31 bits;
 *   - conversion in both directions is a shift and a mask, and every
 *     lookup goes to the one global pid table by kernel pid;
 *   - each container allocates its vpids itself, below 2^22 (and pid_max);
 *   - at most 512 container ids, the host's 0 among them: a 512th
 *     container beside the host is -EAGAIN;
 *   - container 0, the host, sees every task, by its kernel pid: the
 *     tasks of container 3 appear there as 3 << 22 | vpid;
 *   - no nested containers.
 *
 * The model's own choices: container ids are given lowest-free first; a
 * container's init is vpid 1, as in every design; stored owners keep the
 * kernel pid (the patch's bug, keeping the virtual one and reading it in
 * kernel context, is a mutant in the property suite, not this design).
 * On migration a checkpoint records the container id as the image's hint,
 * and a restore takes that id again when it is free on the target, the
 * lowest free one otherwise: the vpids are kept either way, while the
 * host-view numbers (id << 22 | vpid) follow the id the container got.
 *
 * Process groups and sessions (pgrp.c): a group's id is its leader's
 * kernel pid, container id bits and all, as the patch's
 * virt_process_group() is pid_to_vpid(process_group(p)) ("[RFC][patch
 * 18/21] PID Virtualization: Implementation of low level virtualization
 * functions", Dec 2005); kill(-pgid) and wait(-pgid) from a container or
 * the id in (vpgid_to_pgid()), as any vpid.  A group whose leader lives in
 * another container, as the host group a container's init inherits, is
 * "not meaningful" to the patch, which gives -1 for it
 * (__pid_to_vpid_ctx_excp()); the model's choice is 0, the number of a
 * pid the view does not see, because -1 from getpgid() would read as an
 * error.  A reaped leader's kernel pid stays taken while its group lives.
 *
 * Costs: a lookup from a container is a shift, an or and one probe of the
 * global table; a task's number in its container is a mask.  Per task: one
 * table node; per container: an allocator; per image: 512 container slots.
 */
#include <errno.h>
#include <stddef.h>

#include "check.h"
#include "internal.h"
#include "pidmap.h"
#include "pidtab.h"

#define CT_SHIFT 22
#define VPID_MASK ((1 << CT_SHIFT) - 1)
#define NR_CT_IDS 512

struct ibm_kernel {
	struct ps_pidtab by_pid;		/* kernel pid -> task */
	struct ps_container *by_id[NR_CT_IDS];
};

struct ibm_ct {
	struct ps_pidmap map;			/* this container's vpids */
	int id;
};

struct ibm_task {
	struct ps_pidtab_node pid;		/* key kernel pid, val.task */
};

static struct ibm_kernel *ik_of(const struct pidsim_kernel *k)
{
	return ps_priv(k);
}

static struct ibm_ct *ic_of(const struct ps_container *ct)
{
	return ps_priv(ct);
}

static struct ibm_task *it_of(const struct ps_task *t)
{
	return ps_priv(t);
}

static bool is_host(const struct ps_container *ct)
{
	return !ct->parent;
}

static struct ps_task *find_task_by_pid(struct pidsim_kernel *k, int pid)
{
	struct ps_pidtab_node *n =
		ps_pidtab_find(&ik_of(k)->by_pid, pid, &k->stats.probes);

	return n ? n->val.task : NULL;
}

static int ibm_kernel_init(struct pidsim_kernel *k)
{
	struct ibm_kernel *ik = ik_of(k);

	ik->by_pid = (struct ps_pidtab){ 0 };
	for (int i = 0; i < NR_CT_IDS; i++)
		ik->by_id[i] = NULL;
	return 0;
}

static void ibm_kernel_fini(struct pidsim_kernel *k)
{
	PS_BUG_ON(ik_of(k)->by_pid.root);
}

/* The host is container 0; the rest take the lowest free id, or, on
 * restore, the id they had on the source when it is free here. */
static int ibm_ct_init(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct ibm_kernel *ik = ik_of(k);
	int id = 0, err;

	if (!is_host(ct) && ct->hint > 0 && ct->hint < NR_CT_IDS &&
	    !ik->by_id[ct->hint])
		id = (int)ct->hint;
	else if (!is_host(ct))
		for (id = 1; id < NR_CT_IDS && ik->by_id[id]; id++)
			;
	if (id == NR_CT_IDS)
		return -EAGAIN;
	err = ps_pidmap_init(&k->mem, &ic_of(ct)->map, k->pid_max);
	if (err)
		return err;
	ic_of(ct)->id = id;
	ik->by_id[id] = ct;
	return 0;
}

static void ibm_ct_fini(struct pidsim_kernel *k, struct ps_container *ct)
{
	ik_of(k)->by_id[ic_of(ct)->id] = NULL;
	ps_pidmap_fini(&k->mem, &ic_of(ct)->map);
}

/* A restore's want keeps the vpid.  A container task's number in the
 * host's view is not allocated but made of its container's id and its
 * vpid, so it follows the id the container got, and a want for it is
 * ignored: the only number taken is in the task's own view. */
static int ibm_attach_pid(struct pidsim_kernel *k, struct ps_task *t,
			  const struct ps_pid_want *want)
{
	struct ibm_ct *ic = ic_of(t->ct);
	struct ibm_task *it = it_of(t);
	int nr = ps_want_nr(want, t->ct), last = ic->map.last, err;
	int vpid = ps_pidmap_alloc_want(&k->mem, &ic->map, nr, ic->map.pid_max);

	if (vpid < 0)
		return vpid;
	it->pid.key = ic->id << CT_SHIFT | vpid;
	it->pid.val.task = t;
	err = ps_pidtab_add(&k->mem, &ik_of(k)->by_pid, &it->pid,
			    &k->stats.probes);
	if (err)
		ps_pidmap_unalloc(&k->mem, &ic->map, vpid, last);
	return err;
}

static void ibm_detach_pid(struct pidsim_kernel *k, struct ps_task *t)
{
	struct ibm_task *it = it_of(t);

	ps_pidtab_del(&k->mem, &ik_of(k)->by_pid, &it->pid, &k->stats.probes);
	ps_pidmap_free(&k->mem, &ic_of(t->ct)->map, it->pid.key & VPID_MASK);
}

static void ibm_ct_state_get(const struct pidsim_kernel *k,
			     const struct ps_container *ct,
			     struct ps_alloc_state *st)
{
	(void)k;
	st->last = ic_of(ct)->map.last;
	st->mode = 0;
}

static void ibm_ct_state_set(struct pidsim_kernel *k, struct ps_container *ct,
			     const struct ps_alloc_state *st)
{
	(void)k;
	ic_of(ct)->map.last = st->last;
}

/* A checkpoint records the container id, which a restore tries first. */
static uint32_t ibm_ct_hint(const struct pidsim_kernel *k,
			    const struct ps_container *ct)
{
	(void)k;
	return (uint32_t)ic_of(ct)->id;
}

/* A number from user space: kernel pid for the host, container id or'ed
 * in for a container. */
static struct ps_task *ibm_find_task(struct pidsim_kernel *k,
				     const struct ps_container *view, int nr)
{
	if (is_host(view))
		return find_task_by_pid(k, nr);
	if (nr > VPID_MASK)
		return NULL;
	k->stats.conversions++;
	return find_task_by_pid(k, ic_of(view)->id << CT_SHIFT | nr);
}

static int ibm_task_nr(struct pidsim_kernel *k, const struct ps_task *t,
		       const struct ps_container *view)
{
	if (is_host(view))
		return it_of(t)->pid.key;
	if (view != t->ct)
		return 0;
	k->stats.conversions++;
	return it_of(t)->pid.key & VPID_MASK;
}

/* The host's view is every container's range, in container id order. */
static struct ps_task *ibm_find_ge(struct pidsim_kernel *k,
				   const struct ps_container *view, int nr,
				   int *found)
{
	struct ibm_kernel *ik = ik_of(k);
	int next;

	if (nr < 1)
		nr = 1;
	if (!is_host(view)) {
		next = ps_pidmap_next(&ic_of(view)->map, nr);
		if (!next)
			return NULL;
		*found = next;
		return ibm_find_task(k, view, next);
	}
	for (int id = nr >> CT_SHIFT; id < NR_CT_IDS; id++, nr = 0) {
		if (!ik->by_id[id])
			continue;
		next = ps_pidmap_next(&ic_of(ik->by_id[id])->map, nr & VPID_MASK);
		if (next) {
			*found = id << CT_SHIFT | next;
			return find_task_by_pid(k, *found);
		}
	}
	return NULL;
}

static void ibm_owner_set(struct pidsim_kernel *k, struct ps_owner *o,
			  const struct ps_task *t)
{
	(void)k;
	o->u.nr = it_of(t)->pid.key;
#ifdef PS_MUTANT_OWNER_VIRTUAL
	/* mutant (make mutants): the patch's bug, the keventd report: the
	 * owner kept as its virtual pid, read back in kernel context */
	o->u.nr = it_of(t)->pid.key & VPID_MASK;
#endif
}

static struct ps_task *ibm_owner_find(struct pidsim_kernel *k,
				     const struct ps_owner *o)
{
	return find_task_by_pid(k, o->u.nr);
}

const struct ps_design ps_design_vpid_ibm = {
	.info = {
		.name = "vpid-ibm",
		.summary = "IBM pidspaces (Dec 2005): kernel pid = "
			   "container id << 22 | vpid, one global table",
		.lookup = "shift + or, then a global table probe",
		.conversion = "a mask",
		.max_level = 1,
		.level_errno = -EPERM,
		.max_containers = NR_CT_IDS - 1,
		.max_pid_max = 1 << CT_SHIFT,
		.min_ct_pid_max = 0,
		.flags = PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_OWNER_BY_NUMBER,
		.host_view = "the host sees a container's tasks with the "
			     "container id in bits 22 and up",
	},
	.kernel_priv = sizeof(struct ibm_kernel),
	.ct_priv = sizeof(struct ibm_ct),
	.task_priv = sizeof(struct ibm_task),
	.kernel_init = ibm_kernel_init,
	.kernel_fini = ibm_kernel_fini,
	.ct_init = ibm_ct_init,
	.ct_fini = ibm_ct_fini,
	.ct_state_get = ibm_ct_state_get,
	.ct_state_set = ibm_ct_state_set,
	.ct_hint = ibm_ct_hint,
	.attach_pid = ibm_attach_pid,
	.detach_pid = ibm_detach_pid,
	.find_task = ibm_find_task,
	.task_nr = ibm_task_nr,
	.find_group = ibm_find_task,
	.group_nr = ibm_task_nr,
	.find_ge = ibm_find_ge,
	.owner_set = ibm_owner_set,
	.owner_find = ibm_owner_find,
};
