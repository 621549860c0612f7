/*
 * check_isolation.c - the isolation property (CHK_ISO): no call from inside
 * a container observes or changes a task outside what the contract lets
 * it see.
 *
 * Every task whose state a step changed is an effect; it must be one the
 * caller's view may see (rule 4, the design's flags), or the qualified
 * view's, or a task in a container whose init the step killed (rule 5 takes
 * the container with it), or a new child.  What the step returned must be
 * numbers and tasks the view may see.  A stored owner is signalled from
 * kernel context: reaching a task outside the setter's view is a crossing
 * too, allowed only to a design that keeps owners by number (rule 9),
 * where it is counted.  A kill(0) or kill(-pgid) signals a process group,
 * whose members may live outside the caller's view (a container's init
 * stays in its creator's group until it calls setsid(): Linux's
 * crossing, examples/13-process-groups.pidsim): changing one of them is
 * counted as a crossing, not a failure, when it was a member of the group
 * signalled (pidsim_debug_group_id(), before the step), and so is what
 * its death as a container's init takes with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

/* Whether x was, before the step, a member of the group it signalled. */
static bool crossed(const struct ex *e, const struct step *s, int x)
{
	return s->group && x < e->nt_before && e->gsnap[x] == s->group;
}

/* Whether x's change in this step follows from an init's death the caller
 * could cause: x lives in (or below) the container of an init that also
 * changed, and that the caller could see or signalled in its group. */
static bool zapped(const struct ex *e, const struct step *s, int x, int v1, int v2)
{
	for (int y = 0; y < e->nt; y++) {
		if (y == x || !ex_is_init(e, y) || ex_before(e, y) == e->t[y].state)
			continue;
		if (ex_ct_contains(e, e->t[y].ct, e->t[x].ct) &&
		    (ex_may_see(e, v1, y) || ex_may_see(e, v2, y) || crossed(e, s, y)))
			return true;
	}
	return false;
}

/* A number view c gave: it must be one a task c may see was given there. */
static int check_seen_nr(struct ex *e, const char *what, int c, int nr)
{
	int x = ex_hist_task(e, c, nr);

	if (x < 0 || !ex_may_see(e, c, x))
		return ex_fail(e, "isolation: %s gave %d, which no task the view of "
			    "%s may see holds there", what, nr, ex_name(e, e->c[c].init));
	return 0;
}

void ex_check_isolation(struct ex *e, const struct step *s)
{
	const struct wl_op *op = s->op;
	int qv = -1;

	if (op->kind == WL_NOTIFY) {
		int lbl = s->owner, setter = lbl >= 0 ? e->obj_ct[lbl] : -1;

		for (int x = 0; x < e->nt; x++) {
			if (ex_before(e, x) == e->t[x].state)
				continue;
			e->out->effects++;
			if (x != s->x)
				ex_fail(e, "isolation: notify changed %s, which it did not "
				     "reach", ex_name(e, x));
		}
		if (s->x >= 0 && lbl >= 0 && s->x != e->obj_owner[lbl] &&
		    !ex_may_see(e, setter, s->x)) {
			if (e->d->flags & PIDSIM_D_OWNER_BY_NUMBER)
				e->out->misdelivered++;
			else
				ex_fail(e, "isolation: notify of o%d, set in the container "
				     "of %s, reached %s, outside it", lbl,
				     ex_name(e, e->c[setter].init), ex_name(e, s->x));
		}
		return;
	}
	if (op->kind == WL_KILL_IN || op->kind == WL_PS_IN || op->kind == WL_FIND_IN)
		qv = s->view >= 0 && ex_ct_contains(e, s->cc, s->view) ? s->view : -1;
	for (int x = 0; x < e->nt && !e->out->failed; x++) {
		int b = ex_before(e, x), a = e->t[x].state;
		bool ok;

		if (b == a || (b == NEW && e->t[x].label < 0 && a == GONE &&
			       op->kind == WL_CHURN && e->t[x].ct == s->cc))
			continue;
		e->out->effects++;
		if (!s->cur_ran || op->kind == WL_CLOSE) {
			ex_fail(e, "%s by %s, which is not running, changed %s",
			     wl_kind_name(op->kind), ex_name(e, s->cur), ex_name(e, x));
			break;
		}
		if (op->kind == WL_RESTORE)	/* new tasks under the parent's */
			ok = b == NEW && s->view >= 0 && ex_ct_contains(e, s->view, e->t[x].ct);
		else if (op->kind == WL_MIGRATE) /* the tree, and its copy under
						  * the parent's container */
			ok = b == NEW ? s->view >= 0 && ex_ct_contains(e, s->view, e->t[x].ct)
				      : ex_ct_contains(e, s->cc, e->t[x].ct);
		else if (b == NEW)
			ok = e->t[x].ct == s->cc || e->c[e->t[x].ct].parent == s->cc;
		else if (ex_may_see(e, s->cc, x) || ex_may_see(e, qv, x))
			ok = true;
		else if ((ok = crossed(e, s, x) || zapped(e, s, x, s->cc, qv)))
			e->out->crossings += s->group != 0;
		if (!ok)
			ex_fail(e, "isolation: %s by %s (container of %s) changed %s "
			     "(container of %s) from %s to %s", wl_kind_name(op->kind),
			     ex_name(e, s->cur), ex_name(e, e->c[s->cc].init), ex_name(e, x),
			     ex_name(e, e->c[e->t[x].ct].init), ex_state(b), ex_state(a));
	}
	if (e->out->failed || s->ret < 0)
		return;
	/* What the call let the caller observe. */
	switch (op->kind) {
	case WL_GETPID:
		if (s->ret != ex_hist_nr(e, s->cur, s->cc))
			ex_fail(e, "getpid gave %d, not the caller's number %d", s->ret,
			     ex_hist_nr(e, s->cur, s->cc));
		break;
	case WL_GETPPID:
		if (s->ret > 0)
			check_seen_nr(e, "getppid", s->cc, s->ret);
		break;
	case WL_WAIT:
		if (s->ret > 0 && s->x >= 0 &&
		    (!ex_may_see(e, s->cc, s->x) || s->ret != ex_hist_nr(e, s->x, s->cc)))
			ex_fail(e, "isolation: wait reaped %s and gave %d", ex_name(e, s->x), s->ret);
		break;
	case WL_PS:
	case WL_PS_IN:
		for (int i = 0; i < s->n && !e->out->failed; i++)
			check_seen_nr(e, "ps", s->view < 0 ? s->cc : s->view, e->buf[i]);
		break;
	case WL_FIND:
	case WL_FIND_IN:
		if (s->x >= 0 && !ex_may_see(e, op->kind == WL_FIND ? s->cc : qv, s->x))
			ex_fail(e, "isolation: %s gave %s, which the view may not see",
			     wl_kind_name(op->kind), ex_name(e, s->x));
		break;
	case WL_PID_OF:
	case WL_RESOLVE:
		if (s->ret > 0 && (s->x < 0 || !ex_may_see(e, s->cc, s->x) ||
				   s->ret != ex_hist_nr(e, s->x, s->cc)))
			ex_fail(e, "isolation: pid_of gave %d for %s, which the caller's "
			     "view may not see by that number", s->ret, ex_name(e, s->x));
		break;
	case WL_SETOWN:
		if (s->owner < 0)
			ex_fail(e, "isolation: setown accepted %d, which no task the "
			     "caller may see holds", s->op->pid.kind == WL_PID_RAW ?
			     s->op->pid.raw : -1);
		break;
	default:
		break;
	}
}
