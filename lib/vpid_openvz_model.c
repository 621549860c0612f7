/*
 * vpid_openvz_model.c - the OpenVZ VPID patch of February 2006: PID
 * virtualization with the virtual number kept in the task.
 *
 * Where it comes from: Kirill Korotaev, "[RFC][PATCH 5/7] VPIDs: vpid/pid
 * conversion in VPID enabled case" (2 Feb 2006; the code by Alexey
 * Kuznetsov, "used for half a year in OpenVZ already"), which the 2006
 * summary describes as "keep extra virtual numbers in the task->pids[type]
 * structure and ... vpid == internal pid for non-containerized processes".
 *
 * From the patch:
 *   - every task carries its vpid, so task -> vpid is a field read; a host
 *     task's vpid is its internal pid, so the host pays nothing;
 *   - "Virtual pids are distinguished from real ones by the VPID_BIT bit
 *     set": the internal allocator never hands out a pid with bit 10 set,
 *     which halves the usable range;
 *   - "linear" conversion: a container's init is vpid 1, and every other
 *     task's vpid is its internal pid with VPID_BIT set (pid + 1024), so
 *     vpid -> task is a mask and one probe of the global pid table;
 *   - "sparse" conversion, "when pid may correspond to any vpid", through
 *     a hash table: a container is switched to it (set_sparse_vpid()) when
 *     it is restored from a checkpoint, because its vpids must be kept
 *     while its internal pids change;
 *   - no nested containers: a VPS cannot create a VPS.
 *
 * The model's own choices:
 *   - each container keeps a bitmap of the vpids in use (the shared
 *     pidmap), so that ps and kill -1 walk the container's vpids in order
 *     and a switch to sparse mode knows them; OpenVZ walked its per-VE
 *     task list instead;
 *   - a linear vpid must be below pid_max like any number a view holds,
 *     so a container task's internal pid is drawn below pid_max - 1024;
 *     host init holding pid 1, with pid_max <= 1026 a linear container
 *     holds its init alone (the info's min_ct_pid_max, 1027; such a fork
 *     is -EAGAIN, as when a range is full);
 *   - sparse containers allocate new vpids cyclically from their bitmap,
 *     as the other designs do;
 *   - stored owners keep the internal pid, as in the vpid design;
 *   - a restore (lib/ckpt/restore.c) switches the container it restores into to
 *     sparse mode before asking for a vpid there, and a failed restore
 *     switches an existing container back; a linear container reports its
 *     vpid bitmap's cursor, which is 0 until it allocates as sparse; a
 *     restore that asks for an internal pid with VPID_BIT set (the host's
 *     view inside the tree) gets -EINVAL, a number this allocator cannot
 *     hand out.
 *
 * Process groups and sessions (pgrp.c), from the patch: each task keeps a
 * virtual number for its group and its session (virt_pgid(), virt_sid():
 * field reads), set to the caller's vpid by setsid() and to the group's
 * by setpgid(), and copied from the parent at fork.  So a VE's init, which
 * stays in its creator's host group and session until it calls setsid(),
 * reads their host numbers from inside -- a host pid leaking into the VE,
 * 1 for host init's session -- where every other design reads 0
 * (PIDSIM_D_HOST_GROUP_NUMBER).  A group number from user space is
 * converted as a pid is (__kill_pg_info(): is_virtual_pid(), then
 * __vpid_to_pid(): linear arithmetic, or the sparse hash, which holds
 * every group and session too: switch_to_sparse_mapping() adds them).
 * Where the model had to choose: the patch takes a number without
 * VPID_BIT from inside a VE as a global pid (__kill_pg_info() and
 * eligible_child() leave it unconverted), which would let a VE signal any
 * host process group by its number; the model finds a group from inside a
 * VE only among the VE's own pids, as ovz_find_task() finds a task ("the
 * patch checked the task's VPS").  So the host number a VE reads for its
 * inherited group names nothing it can give back: kill(-pgid) with it is
 * -ESRCH, while kill(0) reaches the group, as on every design.  A reaped
 * leader's internal pid (and so its linear vpid) stays taken while its
 * group lives.
 *
 * Costs: a lookup from a container is arithmetic and one probe of the
 * global table (linear) or one probe of the container's vpid table, the
 * patch's hash (sparse); a task's number in its own container is a field
 * read.  Every task is in the global table; a sparse container's tasks are
 * in its vpid table too.
 */
#include <errno.h>
#include <stddef.h>

#include "check.h"
#include "pidmap.h"
#include "pidtab.h"
#include "vpid_openvz.h"

#define VPID_BIT 1024		/* VPID_DIV in the patch: bit 10 */

/* A linear container task's internal pid lies below pid_max - VPID_BIT
 * and host init holds 1, so the lowest it can get, 2, needs pid_max >
 * VPID_BIT + 2; below that fork in a linear container is -EAGAIN, as a
 * full range (the model's choice of bound, not the patch's: see above). */
#define MIN_CT_PID_MAX (VPID_BIT + 3)

struct ovz_kernel {
	struct ps_pidmap map;			/* internal pids, VPID_BIT skipped */
	struct ps_pidtab by_pid;		/* internal pid -> task */
};

struct ovz_ct {					/* unused for the host */
	struct ps_pidmap vmap;			/* vpids in use */
	struct ps_pidtab by_vpid;		/* sparse mode: vpid -> task */
	bool sparse;
};

struct ovz_task {
	struct ps_pidtab_node pid;		/* key internal pid, val.task */
	struct ps_pidtab_node sparse;		/* key vpid, in by_vpid if sparse */
	int vpid;				/* as its own container sees it */
};

static struct ovz_kernel *ok_of(const struct pidsim_kernel *k)
{
	return ps_priv(k);
}

static struct ovz_ct *oc_of(const struct ps_container *ct)
{
	return ps_priv(ct);
}

static struct ovz_task *ot_of(const struct ps_task *t)
{
	return ps_priv(t);
}

static bool is_host(const struct ps_container *ct)
{
	return !ct->parent;
}

bool ps_openvz_is_sparse(const struct ps_container *ct)
{
	return !is_host(ct) && oc_of(ct)->sparse;
}

static struct ps_task *find_task_by_pid(struct pidsim_kernel *k, int pid)
{
	struct ps_pidtab_node *n =
		ps_pidtab_find(&ok_of(k)->by_pid, pid, &k->stats.probes);

	return n ? n->val.task : NULL;
}

/* ---- Set-up ------------------------------------------------------------- */

static int ovz_kernel_init(struct pidsim_kernel *k)
{
	struct ovz_kernel *ok = ok_of(k);
	int err = ps_pidmap_init(&k->mem, &ok->map, k->pid_max);

	ok->by_pid = (struct ps_pidtab){ 0 };
	ok->map.skip_bit = VPID_BIT;
	return err;
}

static void ovz_kernel_fini(struct pidsim_kernel *k)
{
	PS_BUG_ON(ok_of(k)->by_pid.root);
	ps_pidmap_fini(&k->mem, &ok_of(k)->map);
}

static int ovz_ct_init(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct ovz_ct *oc = oc_of(ct);

	oc->by_vpid = (struct ps_pidtab){ 0 };
	oc->sparse = false;
	if (is_host(ct))
		return 0;
	return ps_pidmap_init(&k->mem, &oc->vmap, k->pid_max);
}

static void ovz_ct_fini(struct pidsim_kernel *k, struct ps_container *ct)
{
	if (is_host(ct))
		return;
	PS_BUG_ON(oc_of(ct)->by_vpid.root);
	ps_pidmap_fini(&k->mem, &oc_of(ct)->vmap);
}

/* ---- alloc_pid() and free_pid() ----------------------------------------- */

/* Exactly internal pid nr, which a restore asks for when the host's view
 * is inside the restored tree: never one with VPID_BIT set, which this
 * allocator cannot hand out (-EINVAL, as a number past pid_max). */
static int take_pid(struct pidsim_kernel *k, int nr)
{
	if (nr & VPID_BIT)
		return -EINVAL;
	return ps_pidmap_take(&k->mem, &ok_of(k)->map, nr);
}

/* The internal pid and the vpid of a new task: alloc_pidmap() and the
 * patch's alloc_vpid(), or the numbers a restore's want asks for. */
static int alloc_numbers(struct pidsim_kernel *k, struct ps_task *t,
			 const struct ps_pid_want *want, int *vpid)
{
	struct ovz_kernel *ok = ok_of(k);
	struct ovz_ct *oc = oc_of(t->ct);
	bool linear = !is_host(t->ct) && t != t->ct->init && !oc->sparse;
	int last = ok->map.last, pid, v, want_v;

	if (ps_want_nr(want, k->host))
		pid = take_pid(k, ps_want_nr(want, k->host));
	else
		pid = ps_pidmap_alloc_below(&k->mem, &ok->map,
					    linear ? k->pid_max - VPID_BIT : k->pid_max);
	if (pid < 0 || is_host(t->ct)) {
		*vpid = pid;
		return pid;
	}
	want_v = ps_want_nr(want, t->ct);
	if (want_v)
		v = ps_pidmap_take(&k->mem, &oc->vmap, want_v);
	else if (t == t->ct->init)
		v = ps_pidmap_take(&k->mem, &oc->vmap, 1);
	else if (linear)
		v = ps_pidmap_take(&k->mem, &oc->vmap, pid | VPID_BIT);
	else
		v = ps_pidmap_alloc(&k->mem, &oc->vmap);
	if (v < 0) {
		ps_pidmap_unalloc(&k->mem, &ok->map, pid, last);
		return v;
	}
	*vpid = v;
	return pid;
}

static void free_numbers(struct pidsim_kernel *k, struct ps_task *t)
{
	if (!is_host(t->ct))
		ps_pidmap_free(&k->mem, &oc_of(t->ct)->vmap, ot_of(t)->vpid);
	ps_pidmap_free(&k->mem, &ok_of(k)->map, ot_of(t)->pid.key);
}

static void set_linear(struct pidsim_kernel *k, struct ps_container *ct);

/*
 * A restore's want keeps the task's vpid, and the container it asks for a
 * vpid in goes sparse first (set_sparse_vpid(), as OpenVZ's restore did):
 * a vpid kept from another kernel image cannot follow the linear rule.
 * If the task cannot be attached, a container switched here goes back to
 * linear.  The internal pid is taken first, then the vpid.
 */
static int ovz_attach_pid(struct pidsim_kernel *k, struct ps_task *t,
			  const struct ps_pid_want *want)
{
	struct ovz_task *ot = ot_of(t);
	uint64_t *probes = &k->stats.probes;
	int last = ok_of(k)->map.last;
	int vlast = is_host(t->ct) ? 0 : oc_of(t->ct)->vmap.last;
	bool switched = false;
	int pid, err;

	if (!is_host(t->ct) && ps_want_nr(want, t->ct) && !oc_of(t->ct)->sparse) {
		err = ps_openvz_set_sparse(k, t->ct);
		if (err)
			return err;
		switched = true;
	}
	pid = alloc_numbers(k, t, want, &ot->vpid);
	if (pid < 0) {
		if (switched)
			set_linear(k, t->ct);
		return pid;
	}
	ot->pid.key = pid;
	ot->pid.val.task = t;
	err = ps_pidtab_add(&k->mem, &ok_of(k)->by_pid, &ot->pid, probes);
	if (err)
		goto out_free;
	if (ps_openvz_is_sparse(t->ct)) {
		ot->sparse.key = ot->vpid;
		ot->sparse.val.task = t;
		err = ps_pidtab_add(&k->mem, &oc_of(t->ct)->by_vpid, &ot->sparse, probes);
		if (err)
			goto out_del;
	}
	return 0;

out_del:
	ps_pidtab_del(&k->mem, &ok_of(k)->by_pid, &ot->pid, probes);
out_free:
	free_numbers(k, t);
	ok_of(k)->map.last = last;
	if (!is_host(t->ct))
		oc_of(t->ct)->vmap.last = vlast;
	if (switched)
		set_linear(k, t->ct);
	return err;
}

static void ovz_detach_pid(struct pidsim_kernel *k, struct ps_task *t)
{
	struct ovz_task *ot = ot_of(t);
	uint64_t *probes = &k->stats.probes;

	if (ps_openvz_is_sparse(t->ct))
		ps_pidtab_del(&k->mem, &oc_of(t->ct)->by_vpid, &ot->sparse, probes);
	ps_pidtab_del(&k->mem, &ok_of(k)->by_pid, &ot->pid, probes);
	free_numbers(k, t);
}

/* ---- Crossings ---------------------------------------------------------- */

/* __find_task_by_vpid(): init by its number, the rest by arithmetic
 * (linear) or by the container's hash (sparse). */
static struct ps_task *ovz_find_task(struct pidsim_kernel *k,
				     const struct ps_container *view, int nr)
{
	struct ps_pidtab_node *n;
	struct ps_task *t;

	if (is_host(view))
		return find_task_by_pid(k, nr);
	k->stats.conversions++;
	if (oc_of(view)->sparse) {
		n = ps_pidtab_find(&oc_of(view)->by_vpid, nr, &k->stats.probes);
		return n ? n->val.task : NULL;
	}
	if (nr == 1)
		return view->init;
	if (!(nr & VPID_BIT))
		return NULL;
	t = find_task_by_pid(k, nr & ~VPID_BIT);
	/* The number may be another container's task, or a host task: the
	 * patch checked the task's VPS, and so do we. */
	return t && t->ct == view && t != view->init ? t : NULL;
}

/* pid_to_vpid(): a field read for the caller's own container. */
static int ovz_task_nr(struct pidsim_kernel *k, const struct ps_task *t,
		       const struct ps_container *view)
{
	if (is_host(view))
		return ot_of(t)->pid.key;
	k->stats.conversions++;
	return view == t->ct ? ot_of(t)->vpid : 0;
}

/*
 * virt_pgid(), virt_sid(): the virtual number a task keeps for its group
 * and session.  The patch copies it from the parent at fork ("[RFC][PATCH
 * 3/7] VPIDs: fork modifications": set_virt_pgid(p, virt_pgid(current))),
 * so a group inherited from the host keeps the host's own number inside
 * the VE (a host task's virtual number is its pid), and
 * pid_type_to_vpid() lets such "stray" global pids through ("It is
 * allowed: global pid can be used everywhere", [RFC][PATCH 5/7]).  The
 * host reads the real number (get_task_pgid(): signal->pgrp).
 */
static int ovz_group_nr(struct pidsim_kernel *k, const struct ps_task *pid,
			const struct ps_container *view)
{
	if (is_host(view))
		return ot_of(pid)->pid.key;
	k->stats.conversions++;
	if (view == pid->ct)
		return ot_of(pid)->vpid;
	return is_host(pid->ct) ? ot_of(pid)->pid.key : 0;
}

static struct ps_task *ovz_find_ge(struct pidsim_kernel *k,
				   const struct ps_container *view, int nr,
				   int *found)
{
	const struct ps_pidmap *map =
		is_host(view) ? &ok_of(k)->map : &oc_of(view)->vmap;
	int next = ps_pidmap_next(map, nr);

	if (!next)
		return NULL;
	*found = next;
	return ovz_find_task(k, view, next);
}

static void ovz_owner_set(struct pidsim_kernel *k, struct ps_owner *o,
			  const struct ps_task *t)
{
	(void)k;
	o->u.nr = ot_of(t)->pid.key;
}

static struct ps_task *ovz_owner_find(struct pidsim_kernel *k,
				     const struct ps_owner *o)
{
	return find_task_by_pid(k, o->u.nr);
}

/* ---- set_sparse_vpid() -------------------------------------------------- */

int ps_openvz_set_sparse(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct ovz_ct *oc;
	int nr = 1, found, err = 0;
	struct ps_task *t;

	if (is_host(ct))
		return -EINVAL;
	oc = oc_of(ct);
	if (oc->sparse)
		return 0;
	while ((t = ovz_find_ge(k, ct, nr, &found))) {
		struct ovz_task *ot = ot_of(t);

		nr = found + 1;
		ot->sparse.key = ot->vpid;
		ot->sparse.val.task = t;
		err = ps_pidtab_add(&k->mem, &oc->by_vpid, &ot->sparse,
				    &k->stats.probes);
		if (err)
			break;
	}
	if (!err) {
		oc->sparse = true;
		return 0;
	}
	while (oc->by_vpid.root)	/* undo: ct stays linear */
		ps_pidtab_del(&k->mem, &oc->by_vpid, ps_pidtab_first(&oc->by_vpid),
			      &k->stats.probes);
	return err;
}

/* Back to linear, dropping the hash: only for a container that was linear
 * before a restore switched it, whose tasks all still follow the rule. */
static void set_linear(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct ovz_ct *oc = oc_of(ct);
	struct ps_pidtab_node *n;

	while ((n = ps_pidtab_first(&oc->by_vpid))) {
		struct ps_task *t = n->val.task;

		PS_BUG_ON(t != ct->init &&
			  ot_of(t)->vpid != (ot_of(t)->pid.key | VPID_BIT));
		ps_pidtab_del(&k->mem, &oc->by_vpid, n, &k->stats.probes);
	}
	oc->sparse = false;
}

/*
 * A linear container has no cursor of its own (its next vpid follows the
 * internal allocator's); it reports its vpid bitmap's, from which it
 * allocates once sparse.  The host's cursor is the internal allocator's.
 */
static void ovz_ct_state_get(const struct pidsim_kernel *k,
			     const struct ps_container *ct,
			     struct ps_alloc_state *st)
{
	if (is_host(ct)) {
		st->last = ok_of(k)->map.last;
		st->mode = 0;
		return;
	}
	st->last = oc_of(ct)->vmap.last;
	st->mode = oc_of(ct)->sparse;
}

static void ovz_ct_state_set(struct pidsim_kernel *k, struct ps_container *ct,
			     const struct ps_alloc_state *st)
{
	if (is_host(ct)) {
		ok_of(k)->map.last = st->last;
		return;
	}
	PS_BUG_ON(st->mode && !oc_of(ct)->sparse);
	oc_of(ct)->vmap.last = st->last;
	if (!st->mode && oc_of(ct)->sparse)
		set_linear(k, ct);
}

const struct ps_design ps_design_vpid_openvz = {
	.info = {
		.name = "vpid-openvz",
		.summary = "OpenVZ VPIDs (Feb 2006): vpid in the task, "
			   "vpid = pid | 1024, a vpid table per container once "
			   "restored (sparse)",
		.lookup = "linear: mask + global table probe; sparse: container vpid table probe",
		.conversion = "a field read (host: none)",
		.max_level = 1,
		.level_errno = -EPERM,
		.max_containers = 0,
		.max_pid_max = PIDSIM_PID_MAX_LIMIT,
		.min_ct_pid_max = MIN_CT_PID_MAX,
		.flags = PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_OWNER_BY_NUMBER |
			 PIDSIM_D_SHARED_RANGE | PIDSIM_D_RENUMBERS |
			 PIDSIM_D_HOST_GROUP_NUMBER,
		.host_view = "the host sees every task by its internal pid, "
			     "from the one range all containers share",
		.renumbering = "a linear container's vpid is its internal "
			       "pid | 1024",
	},
	.kernel_priv = sizeof(struct ovz_kernel),
	.ct_priv = sizeof(struct ovz_ct),
	.task_priv = sizeof(struct ovz_task),
	.kernel_init = ovz_kernel_init,
	.kernel_fini = ovz_kernel_fini,
	.ct_init = ovz_ct_init,
	.ct_fini = ovz_ct_fini,
	.ct_state_get = ovz_ct_state_get,
	.ct_state_set = ovz_ct_state_set,
	.attach_pid = ovz_attach_pid,
	.detach_pid = ovz_detach_pid,
	.find_task = ovz_find_task,
	.task_nr = ovz_task_nr,
	.find_group = ovz_find_task,
	.group_nr = ovz_group_nr,
	.find_ge = ovz_find_ge,
	.owner_set = ovz_owner_set,
	.owner_find = ovz_owner_find,
};
