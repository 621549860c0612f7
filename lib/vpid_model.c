/*
 * vpid_model.c - PID virtualization: one internal pid space per kernel
 * image, converted to per-container virtual pids at every crossing.
 *
 * Where it comes from: the summary's design (a), shared by the OpenVZ and
 * IBM patches of early 2006: "The kernel continues to use its current
 * internal pid management.  Each task has a unique internal pid ... At the
 * user/kernel boundary these pids are virtualized on a per container base.
 * Hence pids coming from user space are converted to an internal pid and
 * internal pids handed to the user are converted to the virtual pid."  This
 * is the plain form the summary describes first: "One can keep a full
 * pid->vpid and vpid->pid hash with the container".  The patches'
 * optimizations are designs of their own (vpid-openvz, vpid-ibm).
 *
 * Host tasks see internal pids directly, and so see every task in every
 * container (both patches did).  A container sees its own tasks by their
 * vpids and the init of each direct child container by a glue vpid.
 * Stored owners keep the internal pid (F_SETOWN kept a pid_t), so after
 * the owner is reaped, notify reaches whatever task reuses that number.
 *
 * Migration keeps every vpid and gives new internal pids: on another
 * kernel image the task must be found under the same vpids while the
 * kernel's own number for it changes (unless the host's view is inside the
 * restored tree, whose numbers are internal pids and are then kept).
 *
 * Process groups and sessions (pgrp.c): a group's and a session's id is
 * its leader's internal pid, as the 2006 kernels' signal->pgrp and
 * signal->session were, so every crossing converts: getpgid() and getsid()
 * give pid_to_vpid() of it (0 in a container that has no vpid for it, as
 * the host group a container's init inherits), and a group number from
 * user space -- kill(-pgid), wait(-pgid), setpgid()'s pgid -- is converted
 * to an internal pid first (OpenVZ's comb_vpid_to_pid() converts
 * negative pids so), each counted like any conversion.  A reaped leader's
 * internal pid and vpids stay taken while its group or session lives.
 *
 * The summary's two hashes are two pid tables here (pidtab.h), the table
 * every design uses, so that a conversion costs what a lookup costs.
 *
 * Costs: a lookup from a container is a conversion (a probe of the
 * container's vpid -> pid table) and then a probe of the global pid table;
 * a task's number as a container sees it is a probe of the container's
 * pid -> vpid table, even for its own getpid().  Every container task holds
 * two numbers and three table nodes, and every fork into a container
 * allocates from two ranges: the container's and the one shared by all.
 */
#include <errno.h>
#include <stddef.h>

#include "check.h"
#include "pidmap.h"
#include "pidtab.h"
#include "vpid.h"

struct vpid_kernel {
	struct ps_pidmap map;			/* the internal pid space */
	struct ps_pidtab by_pid;		/* internal pid -> task */
};

/* One entry of a container's two-way map. */
struct vmap {
	struct ps_pidtab_node by_vpid;		/* key vpid, val.nr internal pid */
	struct ps_pidtab_node by_pid;		/* key internal pid, val.nr vpid */
};

struct vpid_ct {				/* unused for the host */
	struct ps_pidmap map;			/* the container's vpids */
	struct ps_pidtab by_vpid, by_pid;
	struct vmap glue;			/* init's vpid in a non-host parent */
};

struct vpid_task {
	struct ps_pidtab_node pid;		/* key internal pid, val.task */
	struct vmap own;			/* in its container's map */
};

static struct vpid_kernel *vk_of(const struct pidsim_kernel *k)
{
	return ps_priv(k);
}

static struct vpid_ct *vc_of(const struct ps_container *ct)
{
	return ps_priv(ct);
}

static struct vpid_task *vt_of(const struct ps_task *t)
{
	return ps_priv(t);
}

static bool is_host(const struct ps_container *ct)
{
	return !ct->parent;
}

static ps_ipid task_pid(const struct ps_task *t)
{
	return (ps_ipid){ vt_of(t)->pid.key };
}

/* ---- The conversions, and the one table of internal pids ---------------- */

ps_ipid ps_vpid_to_pid(struct pidsim_kernel *k, const struct ps_container *ct,
		       ps_vpid v)
{
	struct ps_pidtab_node *n;

	k->stats.conversions++;
	n = ps_pidtab_find(&vc_of(ct)->by_vpid, v.nr, &k->stats.probes);
	return (ps_ipid){ n ? n->val.nr : 0 };
}

ps_vpid ps_pid_to_vpid(struct pidsim_kernel *k, const struct ps_container *ct,
		       ps_ipid p)
{
	struct ps_pidtab_node *n;

	k->stats.conversions++;
	n = ps_pidtab_find(&vc_of(ct)->by_pid, p.nr, &k->stats.probes);
	return (ps_vpid){ n ? n->val.nr : 0 };
}

/* find_task_by_pid(): the kernel's own lookup, in internal pids. */
static struct ps_task *find_task_by_pid(struct pidsim_kernel *k, ps_ipid p)
{
	struct ps_pidtab_node *n =
		ps_pidtab_find(&vk_of(k)->by_pid, p.nr, &k->stats.probes);

	return n ? n->val.task : NULL;
}

/* ---- Set-up ------------------------------------------------------------- */

static int vpid_kernel_init(struct pidsim_kernel *k)
{
	struct vpid_kernel *vk = vk_of(k);

	vk->by_pid = (struct ps_pidtab){ 0 };
	return ps_pidmap_init(&k->mem, &vk->map, k->pid_max);
}

static void vpid_kernel_fini(struct pidsim_kernel *k)
{
	PS_BUG_ON(vk_of(k)->by_pid.root);
	ps_pidmap_fini(&k->mem, &vk_of(k)->map);
}

static int vpid_ct_init(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct vpid_ct *vc = vc_of(ct);

	vc->by_vpid = vc->by_pid = (struct ps_pidtab){ 0 };
	if (is_host(ct))
		return 0;
	return ps_pidmap_init(&k->mem, &vc->map, k->pid_max);
}

static void vpid_ct_fini(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct vpid_ct *vc = vc_of(ct);

	if (is_host(ct))
		return;
	PS_BUG_ON(vc->by_vpid.root || vc->by_pid.root);
	ps_pidmap_fini(&k->mem, &vc->map);
}

/* ---- alloc_pid() and free_pid() ----------------------------------------- */


/* Give internal pid p a vpid in ct (want, or the cyclic rule's), entered
 * both ways through e. */
static int vmap_enter(struct pidsim_kernel *k, struct ps_container *ct,
		      struct vmap *e, ps_ipid p, int want)
{
	struct vpid_ct *vc = vc_of(ct);
	uint64_t *probes = &k->stats.probes;
	int last = vc->map.last, err;
	int v = ps_pidmap_alloc_want(&k->mem, &vc->map, want, vc->map.pid_max);

	if (v < 0)
		return v;
	e->by_vpid.key = v;
	e->by_vpid.val.nr = p.nr;
	e->by_pid.key = p.nr;
	e->by_pid.val.nr = v;
	err = ps_pidtab_add(&k->mem, &vc->by_vpid, &e->by_vpid, probes);
	if (err)
		goto out_free;
	err = ps_pidtab_add(&k->mem, &vc->by_pid, &e->by_pid, probes);
	if (err)
		goto out_del;
	return 0;

out_del:
	ps_pidtab_del(&k->mem, &vc->by_vpid, &e->by_vpid, probes);
out_free:
	ps_pidmap_unalloc(&k->mem, &vc->map, v, last);
	return err;
}

static void vmap_leave(struct pidsim_kernel *k, struct ps_container *ct,
		       struct vmap *e)
{
	struct vpid_ct *vc = vc_of(ct);
	uint64_t *probes = &k->stats.probes;

	ps_pidtab_del(&k->mem, &vc->by_pid, &e->by_pid, probes);
	ps_pidtab_del(&k->mem, &vc->by_vpid, &e->by_vpid, probes);
	ps_pidmap_free(&k->mem, &vc->map, e->by_vpid.key);
}

/* A container's init needs a glue vpid in its parent, unless the parent
 * is the host, which sees internal pids. */
static bool has_glue(const struct ps_task *t)
{
	return t == t->ct->init && t->ct->parent && !is_host(t->ct->parent);
}

/*
 * alloc_pid() and the patches' alloc_vpid(): all or nothing, every
 * allocator's cursor put back on failure.  A restore's want keeps the
 * vpids; the internal pid is the number in the host's view, so it is kept
 * only when the host's view is inside the restored tree, and is new
 * otherwise: on another kernel image a task keeps its vpids while its
 * internal pid changes under it.  The internal pid is taken first, then
 * the vpids.
 */
static int vpid_attach_pid(struct pidsim_kernel *k, struct ps_task *t,
			   const struct ps_pid_want *want)
{
	struct vpid_kernel *vk = vk_of(k);
	struct vpid_task *vt = vt_of(t);
	int last = vk->map.last, own_last = 0;
	int nr = ps_pidmap_alloc_want(&k->mem, &vk->map, ps_want_nr(want, k->host),
				       vk->map.pid_max), err;

	if (nr < 0)
		return nr;
	vt->pid.key = nr;
	vt->pid.val.task = t;
	err = ps_pidtab_add(&k->mem, &vk->by_pid, &vt->pid, &k->stats.probes);
	if (err)
		goto out_free;
	if (!is_host(t->ct)) {
		own_last = vc_of(t->ct)->map.last;
		err = vmap_enter(k, t->ct, &vt->own, task_pid(t),
				 ps_want_nr(want, t->ct));
		if (err)
			goto out_del;
	}
	if (has_glue(t)) {
		err = vmap_enter(k, t->ct->parent, &vc_of(t->ct)->glue,
				 task_pid(t), ps_want_nr(want, t->ct->parent));
		if (err)
			goto out_leave;
	}
	return 0;

out_leave:
	if (!is_host(t->ct)) {
		vmap_leave(k, t->ct, &vt->own);
		vc_of(t->ct)->map.last = own_last;
	}
out_del:
	ps_pidtab_del(&k->mem, &vk->by_pid, &vt->pid, &k->stats.probes);
out_free:
	ps_pidmap_unalloc(&k->mem, &vk->map, nr, last);
	return err;
}

static void vpid_detach_pid(struct pidsim_kernel *k, struct ps_task *t)
{
	struct vpid_kernel *vk = vk_of(k);
	struct vpid_task *vt = vt_of(t);

	if (has_glue(t))
		vmap_leave(k, t->ct->parent, &vc_of(t->ct)->glue);
	if (!is_host(t->ct))
		vmap_leave(k, t->ct, &vt->own);
	ps_pidtab_del(&k->mem, &vk->by_pid, &vt->pid, &k->stats.probes);
	ps_pidmap_free(&k->mem, &vk->map, vt->pid.key);
}

/* The host's view is the internal pid space: its cursor is the internal
 * allocator's. */
static void vpid_ct_state_get(const struct pidsim_kernel *k,
			      const struct ps_container *ct,
			      struct ps_alloc_state *st)
{
	st->last = is_host(ct) ? vk_of(k)->map.last : vc_of(ct)->map.last;
	st->mode = 0;
}

static void vpid_ct_state_set(struct pidsim_kernel *k, struct ps_container *ct,
			      const struct ps_alloc_state *st)
{
	if (is_host(ct))
		vk_of(k)->map.last = st->last;
	else
		vc_of(ct)->map.last = st->last;
}

/* ---- Crossings ---------------------------------------------------------- */

/* find_task_by_vpid(): a number from user space, converted, then found. */
static struct ps_task *vpid_find_task(struct pidsim_kernel *k,
				      const struct ps_container *view, int nr)
{
	ps_ipid p;

	if (is_host(view))
		return find_task_by_pid(k, (ps_ipid){ nr });
#ifdef PS_MUTANT_VPID_FIND_UNCONVERTED
	/* mutant (make mutants): a number from a container used unconverted */
	return find_task_by_pid(k, (ps_ipid){ nr });
#endif
	p = ps_vpid_to_pid(k, view, (ps_vpid){ nr });
	return p.nr ? find_task_by_pid(k, p) : NULL;
}

/* A number handed to user space: converted for a container. */
static int vpid_task_nr(struct pidsim_kernel *k, const struct ps_task *t,
			const struct ps_container *view)
{
	if (is_host(view))
		return task_pid(t).nr;
	return ps_pid_to_vpid(k, view, task_pid(t)).nr;
}

/* comb_vpid_to_pid() of a negative pid: a group's number from user space,
 * converted, then found, as any number. */
static struct ps_task *vpid_find_group(struct pidsim_kernel *k,
				       const struct ps_container *view, int nr)
{
#ifdef PS_MUTANT_VPID_PGRP_UNCONVERTED
	/* mutant (make mutants): the negative pid of kill(-pgid) (and of
	 * wait(-pgid), setpgid()'s pgid) used as an internal pid, as if
	 * comb_vpid_to_pid() forgot its second branch */
	return find_task_by_pid(k, (ps_ipid){ nr });
#endif
	return vpid_find_task(k, view, nr);
}

static struct ps_task *vpid_find_ge(struct pidsim_kernel *k,
				    const struct ps_container *view, int nr,
				    int *found)
{
	const struct ps_pidmap *map =
		is_host(view) ? &vk_of(k)->map : &vc_of(view)->map;
	int next = ps_pidmap_next(map, nr);

	if (!next)
		return NULL;
	*found = next;
	return vpid_find_task(k, view, next);
}

/* f_setown() stored a pid_t: here the internal one, read back from kernel
 * context by find_task_by_pid() in send_sigio(). */
static void vpid_owner_set(struct pidsim_kernel *k, struct ps_owner *o,
			   const struct ps_task *t)
{
	(void)k;
	o->u.nr = task_pid(t).nr;
}

static struct ps_task *vpid_owner_find(struct pidsim_kernel *k,
				      const struct ps_owner *o)
{
	return find_task_by_pid(k, (ps_ipid){ o->u.nr });
}

const struct ps_design ps_design_vpid = {
	.info = {
		.name = "vpid",
		.summary = "PID virtualization: one internal pid space, "
			   "vpid<->pid maps per container (2006 summary)",
		.lookup = "vpid->pid map probe, then a global pid table probe",
		.conversion = "pid->vpid map probe in the caller's container",
		.max_level = PIDSIM_MAX_LEVEL,
		.level_errno = -ENOSPC,
		.max_containers = 0,
		.max_pid_max = PIDSIM_PID_MAX_LIMIT,
		.min_ct_pid_max = 0,
		.flags = PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_OWNER_BY_NUMBER |
			 PIDSIM_D_SHARED_RANGE,
		.host_view = "the host sees every task by its internal pid, "
			     "from the one range all containers share",
	},
	.kernel_priv = sizeof(struct vpid_kernel),
	.ct_priv = sizeof(struct vpid_ct),
	.task_priv = sizeof(struct vpid_task),
	.kernel_init = vpid_kernel_init,
	.kernel_fini = vpid_kernel_fini,
	.ct_init = vpid_ct_init,
	.ct_fini = vpid_ct_fini,
	.ct_state_get = vpid_ct_state_get,
	.ct_state_set = vpid_ct_state_set,
	.attach_pid = vpid_attach_pid,
	.detach_pid = vpid_detach_pid,
	.find_task = vpid_find_task,
	.task_nr = vpid_task_nr,
	.find_group = vpid_find_group,
	.group_nr = vpid_task_nr,
	.find_ge = vpid_find_ge,
	.owner_set = vpid_owner_set,
	.owner_find = vpid_owner_find,
};
