/*
 * task.c - process semantics, written once for every pid design.
 *
 * fork, exit, wait, getpid, getppid, ps, reparenting and the life of a
 * container, as Linux does them where the 2006 summary is silent; signals
 * are signal.c's, kernel images kernel.c's, stored owners owner.c's.  The
 * pid design is reached only through k->design (struct ps_design), so that
 * every difference in results or cost between two designs is a difference
 * between the designs.  The functions cite the kernel function whose rule
 * they model.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "task.h"
#include "pidsim_debug.h"
#include "pidtab.h"

/* ---- Objects ------------------------------------------------------------ */

/*
 * Released tasks are kept for the next fork, a few of them (a slab's
 * per-CPU array in miniature), so that fork + exit + wait does not go to
 * malloc at all; they stay in the image's bytes.  Sanitizer builds keep
 * none, so that a use after release is caught.
 */
#define PS_TASK_CACHE (PS_ASAN ? 0 : 64)

/* A zeroed task; *cached says whether it came from the cache. */
static struct ps_task *task_alloc(pidsim_kernel *k, bool *cached)
{
	struct ps_task *t = k->free_tasks;

	*cached = t != NULL;
	if (!t)
		return ps_zalloc(&k->mem, k->task_size);
	k->free_tasks = t->next_sibling;
	k->nr_free_tasks--;
	memset(t, 0, k->task_size);
	return t;
}

static void task_free(pidsim_kernel *k, struct ps_task *t)
{
	if (k->nr_free_tasks >= PS_TASK_CACHE) {
		ps_free(&k->mem, t, k->task_size);
		return;
	}
	t->next_sibling = k->free_tasks;
	k->free_tasks = t;
	k->nr_free_tasks++;
}

/* Undo task_alloc() for a fork that failed: the bytes as they were. */
static void task_unalloc(pidsim_kernel *k, struct ps_task *t, bool cached)
{
	if (cached)
		task_free(k, t);
	else
		ps_free(&k->mem, t, k->task_size);
}

void ps_task_cache_drain(pidsim_kernel *k)
{
	while (k->free_tasks) {
		struct ps_task *t = k->free_tasks;

		k->free_tasks = t->next_sibling;
		ps_free(&k->mem, t, k->task_size);
	}
	k->nr_free_tasks = 0;
}

/* A new container nested in parent, with no init yet; hint is what a
 * restore asks the design to reuse (ps_container.hint), 0 otherwise. */
int ps_ct_create(pidsim_kernel *k, struct ps_container *parent,
		     uint32_t hint, struct ps_container **out)
{
	struct ps_container *ct = ps_zalloc(&k->mem, k->ct_size);
	int err;

	if (!ct)
		return -ENOMEM;
	ct->parent = parent;
	ct->level = parent ? parent->level + 1 : 0;
	ct->hint = hint;
	err = k->design->ct_init(k, ct);
	if (err) {
		ps_free(&k->mem, ct, k->ct_size);
		return err;
	}
	if (parent)
		parent->users++;
	k->nr_containers++;
	*out = ct;
	return 0;
}

static void ct_free(pidsim_kernel *k, struct ps_container *ct)
{
	k->nr_dead_cts -= ct->dead;
	k->design->ct_fini(k, ct);
	ps_free(&k->mem, ct, k->ct_size);
	k->nr_containers--;
}

/* Drop one user of ct: the last one destroys it, which drops its own use
 * of its parent (put_pid_ns()). */
static void ct_put(pidsim_kernel *k, struct ps_container *ct)
{
	while (ct && --ct->users == 0) {
		struct ps_container *parent = ct->parent;

		ct_free(k, ct);
		ct = parent;
	}
}

/* ---- The design ------------------------------------------------------------ */

int ps_task_nr(pidsim_kernel *k, const struct ps_task *t,
	       const struct ps_container *view)
{
	return k->design->task_nr(k, t, view);
}

/* ---- The family tree -------------------------------------------------- */

void ps_link_child(struct ps_task *parent, struct ps_task *t)
{
	t->parent = parent;
	t->next_sibling = NULL;
	t->prev_sibling = parent->last_child;
	if (parent->last_child)
		parent->last_child->next_sibling = t;
	else
		parent->first_child = t;
	parent->last_child = t;
}

static void unlink_child(struct ps_task *t)
{
	struct ps_task *parent = t->parent;

	if (t->prev_sibling)
		t->prev_sibling->next_sibling = t->next_sibling;
	else
		parent->first_child = t->next_sibling;
	if (t->next_sibling)
		t->next_sibling->prev_sibling = t->prev_sibling;
	else
		parent->last_child = t->prev_sibling;
	t->parent = t->next_sibling = t->prev_sibling = NULL;
}

/*
 * forget_original_parent(): t's children move to the end of the child
 * reaper's list, the init of t's container, in the order they were t's.
 */
static void reparent_children(struct ps_task *t)
{
	struct ps_task *reaper = t->ct->init;

#ifdef PS_MUTANT_ORPHANS_TO_HOST
	/* mutant (make mutants): orphans go to host init, not their
	 * container's init */
	struct ps_container *host = t->ct;

	while (host->parent)
		host = host->parent;
	reaper = host->init;
#endif
	while (t->first_child) {
		struct ps_task *c = t->first_child;

		unlink_child(c);
		ps_link_child(reaper, c);
	}
}

/*
 * free_pid(): t's numbers go back in every view, and t with them.  The
 * container goes with its last pid (its init's, unless the remains of a
 * reaped leader outlive it).
 */
void ps_pid_free(pidsim_kernel *k, struct ps_task *t)
{
	struct ps_container *ct = t->ct;

	PS_BUG_ON(t->state != PS_REAPED || t->pg_first || t->nr_session ||
		  t->pins);
#ifdef PS_MUTANT_GROUP_NUMBER_REUSED
	if (t->exit_status != PS_MUTANT_NO_PID)	/* the mutant left it none */
#endif
	k->design->detach_pid(k, t);
	if (ct->init == t)
		ct->init = NULL;
	k->nr_reaped--;
	task_free(k, t);
	ct_put(k, ct);
}

/* release_task(): drop every trace of t, which has no children left; its
 * pid stays while a group or session it leads lives on (pgrp.c). */
void ps_release_task(pidsim_kernel *k, struct ps_task *t)
{
	PS_BUG_ON(t->first_child);
	if (t->parent)
		unlink_child(t);
	ps_ref_detach(&k->refs, t->ref);
	if (t->state == PIDSIM_ZOMBIE)
		k->nr_zombies--;
	k->nr_tasks--;
	k->nr_released++;
	if (ps_is_init(t)) {
		t->ct->dead = true;	/* gone with its last pid */
		k->nr_dead_cts++;
	}
	t->state = PS_REAPED;
	t->kill_mark = false;
	k->nr_reaped++;
	ps_pgrp_release(k, t);
}

/* Release t and, if it is a container's init, everything in that
 * container first; t's own children are released by the caller's walk. */
static void zap_task(pidsim_kernel *k, struct ps_task *t)
{
	while (t->first_child)		/* orphans for a moment: all go too */
		unlink_child(t->first_child);
	if (ps_is_init(t))
		ps_zap_container(k, t->ct);
	ps_release_task(k, t);
}

/*
 * zap_pid_ns_processes(): when a container's init exits, every other task
 * in the container and in its descendant containers is killed, and init
 * reaps them all before it is gone itself.  The walk is the design's own
 * walk of the container's view (find_ge_pid()), as Linux walks the pid
 * namespace's IDR.
 */
void ps_zap_container(pidsim_kernel *k, struct ps_container *ct)
{
	struct ps_task *t;
	int nr = 1, found;

	while ((t = view_next(k, ct, &nr, &found))) {
		if (t == ct->init)
			continue;
		/* The init of a direct child container is in this view by its
		 * glue pid; deeper tasks a hierarchical design shows here are
		 * that child container's to zap. */
		if (t->ct == ct || (ps_is_init(t) && t->ct->parent == ct))
			zap_task(k, t);
	}
	PS_BUG_ON(ct->init->first_child);
}

/* ps_do_exit() and exit_notify(): t becomes a zombie with status. */
void ps_do_exit(pidsim_kernel *k, struct ps_task *t, int status)
{
#ifdef PS_MUTANT_INIT_EXIT_KEEPS_CONTAINER
	/* mutant (make mutants): an init's exit leaves its container alive */
	if (ps_is_init(t))
		;
	else
#else
	if (ps_is_init(t))
		ps_zap_container(k, t->ct);
	else
#endif
		reparent_children(t);
	ps_task_make_zombie(k, t, status);
}

/* ---- Tasks ---------------------------------------------------------------- */

/* A new task in ct, not yet linked to a parent: its numbers (those want
 * asks for, the rest by the cyclic rule) and its weak reference, all or
 * nothing. */
int ps_task_create(pidsim_kernel *k, struct ps_container *ct,
		       const struct ps_pid_want *want, struct ps_task **out)
{
	bool cached;
	struct ps_task *t = task_alloc(k, &cached);
	uint32_t ref_cap = k->refs.cap;
	int err;

	if (!t)
		return -ENOMEM;
	t->ct = ct;
	t->state = PIDSIM_RUNNING;
	if (!ct->init)
		ct->init = t;
	/* Room for the weak reference first, so that attach_pid() is the
	 * last step that can fail and undoes itself; the room goes back if
	 * it does. */
	err = ps_ref_reserve(&k->mem, &k->refs);
	if (err)
		goto out_free;
	err = k->design->attach_pid(k, t, want);
	if (err)
		goto out_unreserve;
	t->ref = ps_ref_attach(&k->mem, &k->refs, t);
	PS_BUG_ON(!t->ref);
	k->nr_tasks++;
	ct->users++;
	*out = t;
	return 0;

out_unreserve:
	ps_ref_unreserve(&k->mem, &k->refs, ref_cap);
out_free:
	if (ct->init == t)
		ct->init = NULL;
	task_unalloc(k, t, cached);
	return err;
}

/* ---- Process calls -------------------------------------------------------- */

/* copy_process() with alloc_pid(); CLONE_NEWPID makes the child the init
 * of a new container (create_pid_namespace()). */
/* The number of new containers a call makes, nested down to level, would
 * pass a limit the design records: which one (none: PIDSIM_LIMIT_NONE). */
enum pidsim_limit ps_limit_new_containers(const pidsim_kernel *k, int level,
					  unsigned made)
{
	struct pidsim_needs n = {
		.level = level,
		.containers = k->nr_containers - 1 + made,
		.pid_max = k->pid_max,
	};

	return pidsim_design_allows(&k->design->info, &n);
}

/* copy_process() with alloc_pid(); CLONE_NEWPID makes the child the init
 * of a new container (create_pid_namespace()).  *limit: the recorded
 * limit that refused it, if one did. */
static int fork_task(pidsim_kernel *k, struct ps_task *cur, unsigned flags,
		     pidsim_tid *child, enum pidsim_limit *limit)
{
	struct ps_container *ct = cur->ct;
	bool new_ct = flags & PIDSIM_CLONE_NEWPID;
	struct ps_task *t;
	int err;

	if (new_ct) {
		*limit = ps_limit_new_containers(k, ct->level + 1, 1);
		if (*limit)
			return ps_limit_errno(&k->design->info, *limit);
		err = ps_ct_create(k, cur->ct, 0, &ct);
		if (err)
			return err;
	}
	err = ps_task_create(k, ct, NULL, &t);
	if (err) {
		if (err == -EAGAIN)
			*limit = ps_limit_eagain(k, ct, !new_ct);
		if (new_ct)
			ps_ct_destroy(k, ct);
		return err;
	}
	ps_link_child(cur, t);
	ps_pgrp_inherit(t, cur);
	if (child)
		*child = t->ref;
	return ps_task_nr(k, t, cur->ct);
}

int pidsim_fork(pidsim_kernel *k, pidsim_tid cur_tid, unsigned flags,
		pidsim_tid *child)
{
	enum pidsim_limit limit = PIDSIM_LIMIT_NONE;
	struct ps_task *cur;
	int ret;

	if (!k)
		return -EINVAL;
	cur = current_resolve(k, cur_tid);
	if (!cur)
		ret = -ESRCH;
	else if (flags & ~PIDSIM_CLONE_NEWPID)
		ret = -EINVAL;
	else
		ret = fork_task(k, cur, flags, child, &limit);
	if (ret < 0)
		ps_limit_refused(k, limit);
	return ret;
}

int pidsim_exit(pidsim_kernel *k, pidsim_tid cur_tid, int code)
{
	struct ps_task *cur;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	if (cur == k->host->init)
		return -EPERM;	/* the kernel panics: "Attempted to kill init!" */
	ps_do_exit(k, cur, (code & 0xff) << 8);
	return 0;
}

/*
 * The first zombie among cur's children in list order that eligible_pid()
 * takes: any child when grp is NULL, else the children in process group
 * grp.  *matched: whether any child was eligible at all.
 */
static struct ps_task *first_zombie(struct ps_task *cur,
				    const struct ps_task *grp, bool *matched)
{
	struct ps_task *c;

	*matched = false;
	for (c = cur->first_child; c; c = c->next_sibling) {
		if (grp && c->pgrp != grp)
			continue;
		*matched = true;
		if (c->state == PIDSIM_ZOMBIE)
			return c;
	}
	return NULL;
}

/*
 * do_wait() with WNOHANG and WEXITED.  kernel_wait4(): pid > 0 one child,
 * -1 any child, 0 the children in the caller's process group, below -1
 * those in group -pid (find_get_pid(): a number naming no group matches
 * no child), INT_MIN -ESRCH ("-INT_MIN is not defined").
 */
int pidsim_wait(pidsim_kernel *k, pidsim_tid cur_tid, int pid, int *status)
{
	struct ps_task *cur, *t;
	bool matched;
	int nr;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	if (pid == INT_MIN)
		return -ESRCH;
	if (pid > 0) {
		t = find_task(k, cur->ct, pid);
		if (!t || t->parent != cur)
			return -ECHILD;
		if (t->state != PIDSIM_ZOMBIE)
			return 0;
	} else {
		const struct ps_task *grp = NULL;

		if (pid == 0)
			grp = cur->pgrp;
		else if (pid < -1 && !(grp = find_group(k, cur->ct, -pid)))
			return -ECHILD;
		t = first_zombie(cur, grp, &matched);
		if (!t)
			return matched ? 0 : -ECHILD;
	}
	nr = ps_task_nr(k, t, cur->ct);
#ifdef PS_MUTANT_WAIT_UNCONVERTED
	/* mutant (make mutants): wait hands out the kernel's own number */
	nr = ps_task_nr(k, t, k->host);
#endif
	if (status)
		*status = t->exit_status;
	ps_release_task(k, t);
	return nr;
}

int pidsim_getpid(pidsim_kernel *k, pidsim_tid cur_tid)
{
	struct ps_task *cur;

	if (!k)
		return -EINVAL;
	cur = current_resolve(k, cur_tid);
	return cur ? ps_task_nr(k, cur, cur->ct) : -ESRCH;
}

/* sys_getppid(): the parent's number in the caller's view, 0 when the
 * parent lives outside it (a container's init). */
int pidsim_getppid(pidsim_kernel *k, pidsim_tid cur_tid)
{
	struct ps_task *cur;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
#ifdef PS_MUTANT_GETPPID_UNCONVERTED
	/* mutant (make mutants): the conversion skipped at one crossing: the
	 * parent's number in the kernel's own view (vpid: its internal pid) */
	return cur->parent ? ps_task_nr(k, cur->parent, k->host) : 0;
#endif
	return cur->parent ? ps_task_nr(k, cur->parent, cur->ct) : 0;
}

/* proc_pid_readdir(): the numbers view sees, ascending. */
static int list_view(pidsim_kernel *k, const struct ps_container *view,
		     int *pids, size_t cap)
{
	size_t n = 0;
	int nr = 1, found;

	while (view_next(k, view, &nr, &found)) {
		if (n < cap)
			pids[n] = found;
		n++;
	}
	return (int)n;
}

int pidsim_ps(pidsim_kernel *k, pidsim_tid cur_tid, int *pids, size_t cap)
{
	struct ps_task *cur;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	if (!pids && cap)
		return -EINVAL;
	return list_view(k, cur->ct, pids, cap);
}

int pidsim_find(pidsim_kernel *k, pidsim_tid cur_tid, int pid, pidsim_tid *out)
{
	struct ps_task *cur, *t;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	t = find_task(k, cur->ct, pid);
	if (!t)
		return -ESRCH;
	if (out)
		*out = t->ref;
	return 0;
}

/* pidsim_find() without its caller check (pidsim_debug.h). */
const void *pidsim_debug_view(pidsim_kernel *k, pidsim_tid cur_tid)
{
	struct ps_task *cur = current_resolve(k, cur_tid);

	return cur ? cur->ct : NULL;
}

pidsim_tid pidsim_debug_find(pidsim_kernel *k, const void *view, int pid)
{
	struct ps_task *t = find_task(k, view, pid);

	return t ? t->ref : 0;
}

int pidsim_pid_of(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid tid)
{
	struct ps_task *cur, *t;

	if (!k)
		return -EINVAL;
	cur = current_resolve(k, cur_tid);
	t = ps_task_resolve(k, tid);
	if (!cur || !t)
		return -ESRCH;
	return ps_task_nr(k, t, cur->ct);
}

int pidsim_task_state(const pidsim_kernel *k, pidsim_tid tid)
{
	struct ps_task *t;

	if (!k)
		return -EINVAL;
	t = ps_task_resolve(k, tid);
	return t ? t->state : -ESRCH;
}

/* ---- Containers and qualified addresses ----------------------------------- */

int pidsim_container_of(const pidsim_kernel *k, pidsim_tid tid, pidsim_tid *ct)
{
	struct ps_task *t;

	if (!k)
		return -EINVAL;
	t = ps_task_resolve(k, tid);
	if (!t)
		return -ESRCH;
	if (ct)
		*ct = t->ct->init->ref;
	return 0;
}

int pidsim_level_of(const pidsim_kernel *k, pidsim_tid tid)
{
	struct ps_task *t;

	if (!k)
		return -EINVAL;
	t = ps_task_resolve(k, tid);
	return t ? t->ct->level : -ESRCH;
}

/* The view a qualified address names: the container whose init is ct_tid,
 * which cur's container must be or contain. */
static int qualified_view(pidsim_kernel *k, struct ps_task *cur,
			  pidsim_tid ct_tid, struct ps_container **view)
{
	struct ps_task *init = ps_task_resolve(k, ct_tid);

	if (!init)
		return -ESRCH;
	if (!ps_is_init(init))
		return -EINVAL;
	if (!ps_sees_container(cur->ct, init->ct))
		return -EPERM;
	*view = init->ct;
	return 0;
}

/* The caller of a qualified call and the view its address names. */
int ps_qualified_caller(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid ct,
			    struct ps_task **cur, struct ps_container **view)
{
	int err = current_of(k, cur_tid, cur);

	return err ? err : qualified_view(k, *cur, ct, view);
}

int pidsim_find_in(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid ct,
		   int pid, pidsim_tid *out)
{
	struct ps_task *cur, *t;
	struct ps_container *view;
	int err = ps_qualified_caller(k, cur_tid, ct, &cur, &view);

	if (err)
		return err;
	t = find_task(k, view, pid);
	if (!t)
		return -ESRCH;
	if (out)
		*out = t->ref;
	return 0;
}

int pidsim_ps_in(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid ct,
		 int *pids, size_t cap)
{
	struct ps_task *cur;
	struct ps_container *view;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	if (!pids && cap)
		return -EINVAL;
	err = qualified_view(k, cur, ct, &view);
	if (err)
		return err;
	return list_view(k, view, pids, cap);
}

/* ---- Building blocks for lib/ckpt/ (internal.h) ------------------------ */

void ps_ct_destroy(pidsim_kernel *k, struct ps_container *ct)
{
	struct ps_container *parent = ct->parent;

	PS_BUG_ON(ct->init || ct->users);
	ct_free(k, ct);
	ct_put(k, parent);
}

/*
 * A walk of t's family subtree, children before parents.  Every task of a
 * container descends from its init (a fork inside it, or an orphan
 * adopted by it), so a container's tasks are gone by the time its init is
 * released, which destroys the container.  Iterative: a chain of tasks
 * can be as long as a view has numbers.
 */
void ps_release_tree(pidsim_kernel *k, struct ps_task *t)
{
	struct ps_task *top = t;

	for (;;) {
		while (t->first_child)
			t = t->first_child;
		if (t == top)
			break;
		t = t->parent;
		ps_release_task(k, t->first_child);
	}
	ps_release_task(k, top);
}

void ps_task_make_zombie(pidsim_kernel *k, struct ps_task *t, int status)
{
	PS_BUG_ON(t->state != PIDSIM_RUNNING);
	t->state = PIDSIM_ZOMBIE;
	t->exit_status = status;
	k->nr_zombies++;
}

void ps_ct_state_get(const pidsim_kernel *k, const struct ps_container *ct,
		     struct ps_alloc_state *st)
{
	k->design->ct_state_get(k, ct, st);
}

void ps_ct_state_set(pidsim_kernel *k, struct ps_container *ct,
		     const struct ps_alloc_state *st)
{
	PS_BUG_ON(st->last < 0 || st->last >= k->pid_max);
	k->design->ct_state_set(k, ct, st);
}

uint32_t ps_ct_hint(const pidsim_kernel *k, const struct ps_container *ct)
{
	return k->design->ct_hint ? k->design->ct_hint(k, ct) : 0;
}

uint32_t ps_task_slots(const pidsim_kernel *k)
{
	return k->refs.nr;
}
