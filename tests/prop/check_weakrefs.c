/*
 * check_weakrefs.c - the weak-reference property (CHK_WEAK): a handle, a
 * reference taken with find, or a stored owner kept as a weak reference
 * resolves to its own task while it exists and to nothing once it is
 * reaped, never to another task; a task that is not running makes no calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

void ex_check_weak(struct ex *e, const struct step *s)
{
	const struct wl_op *op = s->op;
	pidsim_tid host = ex_handle(e, 0), ct;

	if (!s->cur_ran && op->kind != WL_NOTIFY && op->kind != WL_CLOSE &&
	    op->kind != WL_STATS_RESET && s->ret != -ESRCH)
		ex_fail(e, "%s by %s, which is %s, returned %s, not -ESRCH",
		     wl_kind_name(op->kind), ex_name(e, s->cur), ex_state(ex_before(e, s->cur)),
		     ex_errstr(s->ret));
	for (int x = 0; x < e->nt && !e->out->failed; x++) {
		int b = ex_before(e, x), a = e->t[x].state;

		if (a == GONE && e->t[x].label < 0)
			continue;
		if ((b == GONE && a != GONE) || (b == PIDSIM_ZOMBIE && a == PIDSIM_RUNNING)) {
			ex_fail(e, "weak reference: the handle of %s went from %s to %s",
			     ex_name(e, x), ex_state(b), ex_state(a));
			break;
		}
		if (a != GONE)
			continue;
		if (pidsim_pid_of(e->k, host, e->t[x].h) != -ESRCH ||
		    pidsim_container_of(e->k, e->t[x].h, &ct) != -ESRCH ||
		    pidsim_level_of(e->k, e->t[x].h) != -ESRCH)
			ex_fail(e, "weak reference: the handle of %s, reaped, still "
			     "resolves", ex_name(e, x));
		e->out->calls += 3;
	}
	for (int r = 0; r < e->w->nr_refs && !e->out->failed; r++) {
		int x = e->ref_task[r], st;
		pidsim_tid c1, c2;

		if (!e->refs[r] || x < 0)
			continue;
		st = pidsim_task_state(e->k, e->refs[r]);
		e->out->calls++;
		if (st != e->t[x].state) {
			ex_fail(e, "weak reference r%d to %s is %s, the task is %s", r,
			     ex_name(e, x), ex_state(st), ex_state(e->t[x].state));
			break;
		}
		if (st > 0 && (pidsim_container_of(e->k, e->refs[r], &c1) ||
			       pidsim_container_of(e->k, e->t[x].h, &c2) || c1 != c2 ||
			       pidsim_pid_of(e->k, host, e->refs[r]) !=
			       pidsim_pid_of(e->k, host, e->t[x].h)))
			ex_fail(e, "weak reference r%d resolves to a task other than %s",
			     r, ex_name(e, x));
	}
	if (op->kind == WL_NOTIFY && s->owner >= 0 &&
	    (s->ret == 0 || s->ret == -ESRCH)) {
		int owner = e->obj_owner[s->owner];

		if (owner >= 0 && ex_before(e, owner) > 0 && s->x != owner)
			ex_fail(e, "notify of o%d reached %s, not its owner %s, which "
			     "is alive", s->owner, ex_name(e, s->x), ex_name(e, owner));
		else if (owner >= 0 && ex_before(e, owner) == GONE && s->x >= 0 &&
			 !(e->d->flags & PIDSIM_D_OWNER_BY_NUMBER))
			ex_fail(e, "weak reference: notify of o%d reached %s after its "
			     "owner %s was reaped", s->owner, ex_name(e, s->x), ex_name(e, owner));
	}
}
