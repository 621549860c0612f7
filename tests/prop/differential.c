/*
 * differential.c - every pair of designs observes the same on the same
 * workload, up to the differences the contract allows and the designs'
 * info declares.
 *
 * Each design runs the workload once (exec.h, CHK_TRACE); its trace says,
 * per step, the error, the number, the task a result named (by label), a
 * hash of the labels ps listed and a hash of every label's state after the
 * step.  Two designs must agree on all of it, except where their flags say
 * they may not:
 *
 *   - numbers read in the host's view, when the two differ in how the host
 *     sees and numbers (HOST_SEES_ALL, SHARED_RANGE, HIERARCHICAL,
 *     RENUMBERS), and every number of a RENUMBERS design;
 *   - what the host's view holds (ps, kill -1, a task named by number),
 *     under the same condition; what a container's view holds once tasks
 *     were made below its children's inits, between a HIERARCHICAL design
 *     and a flat one;
 *   - what a raw number (not the number of a task the caller sees) hits,
 *     in a view the two number differently;
 *   - fork's limits: max_level (level_errno), max_containers, a fork in a
 *     container below min_ct_pid_max, and running out of numbers where
 *     the two hold different tasks in a range;
 *   - what a stored owner reaches after its death (OWNER_BY_NUMBER);
 *   - the number getpgid() or getsid() reads in a container for a group
 *     or session led outside it (HOST_GROUP_NUMBER: the host's, else 0).
 *
 * A pair that differs in one of these ways on a step that changes state
 * has diverged: its later steps are not compared.  Any other difference is
 * a failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "props.h"

#define HOST_POLICY (PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_SHARED_RANGE | \
		     PIDSIM_D_HIERARCHICAL | PIDSIM_D_RENUMBERS)

struct side {
	const struct pidsim_design_info *d;
	const struct obs *o;
	int pid_max;
};

static bool host_differs(const struct side *a, const struct side *b)
{
	return ((a->d->flags ^ b->d->flags) & HOST_POLICY) ||
	       ((a->d->flags | b->d->flags) & PIDSIM_D_RENUMBERS);
}

/* The view the step read numbers in is numbered alike in both. */
static bool same_numbering(const struct side *a, const struct side *b)
{
	if ((a->d->flags | b->d->flags) & PIDSIM_D_RENUMBERS)
		return false;
	if (a->o->view == 0 || b->o->view == 0)
		return !host_differs(a, b);
	if (a->o->view == 2 || b->o->view == 2)
		return !((a->d->flags ^ b->d->flags) & PIDSIM_D_HIERARCHICAL);
	return true;
}

static bool fork_limit(const struct side *s, const struct wl_op *op, int err)
{
	if (op->kind != WL_FORK && op->kind != WL_CHURN && op->kind != WL_SPAWN)
		return false;
	if (err == s->d->level_errno && (op->flags & PIDSIM_CLONE_NEWPID) &&
	    s->o->level >= s->d->max_level)
		return true;
	return err == -EAGAIN;
}

/* A fork in a container below the pid_max the design needs there. */
static bool below_min_ct_pid_max(const struct side *s, const struct wl_op *op)
{
	return s->o->err == -EAGAIN && !(op->flags & PIDSIM_CLONE_NEWPID) &&
	       s->o->level > 0 && s->pid_max < s->d->min_ct_pid_max;
}

/* A step that leaves nothing behind for later steps to see. */
static bool observes_only(const struct wl_op *op)
{
	return op->kind == WL_PS || op->kind == WL_PS_IN || op->kind == WL_GETPID ||
	       op->kind == WL_GETPPID || op->kind == WL_PID_OF ||
	       op->kind == WL_RESOLVE || op->kind == WL_GETPGID ||
	       op->kind == WL_GETSID;
}

/* Why a and b may differ on this step, or NULL. */
static const char *allowed(const struct side *a, const struct side *b,
			   const struct wl_op *op)
{
	if (a->o->raw && b->o->raw && a->o->arg != b->o->arg)
		return "a number from a view numbered differently was passed";
	if (!same_numbering(a, b) && (a->o->raw || b->o->raw || op->kind == WL_PS ||
				      op->kind == WL_PS_IN ||
				      (op->kind == WL_KILL && (op->pid.kind == WL_PID_ANY ||
								a->o->arg == -1))))
		return "the view is numbered or filled differently";
	if ((a->o->err != b->o->err ||
	     ((op->kind == WL_SPAWN || op->kind == WL_CHURN) && a->o->nr != b->o->nr)) &&
	    (fork_limit(a, op, a->o->err) || fork_limit(b, op, b->o->err))) {
		if (below_min_ct_pid_max(a, op) || below_min_ct_pid_max(b, op))
			return "a container below the design's min_ct_pid_max";
		if (a->o->err == -EAGAIN || b->o->err == -EAGAIN)
			return host_differs(a, b) || a->d->max_containers != b->d->max_containers
			       ? "a different range or container limit" : NULL;
		return "a different nesting limit";
	}
	/* a migrate asks for numbers each design holds its own way, and
	 * makes containers and numbers up to each one's limits */
	if (op->kind == WL_MIGRATE && a->o->err != b->o->err &&
	    (a->o->err == -EAGAIN || b->o->err == -EAGAIN ||
	     a->o->err == a->d->level_errno || b->o->err == b->d->level_errno ||
	     host_differs(a, b) || ((a->d->flags ^ b->d->flags) & PIDSIM_D_HIERARCHICAL)))
		return "a different numbering or limit";
	if (op->kind == WL_NOTIFY &&
	    (((a->d->flags ^ b->d->flags) & PIDSIM_D_OWNER_BY_NUMBER) ||
	     ((a->d->flags & PIDSIM_D_OWNER_BY_NUMBER) && host_differs(a, b))))
		return "stored owners kept differently";
	if ((op->kind == WL_GETPGID || op->kind == WL_GETSID) && a->o->view &&
	    ((a->d->flags ^ b->d->flags) & PIDSIM_D_HOST_GROUP_NUMBER) &&
	    !a->o->err && !b->o->err && (!a->o->nr || !b->o->nr))
		return "a group led outside a container, read as its host number";
	return NULL;
}

enum prop_result differential_check(const struct wl *w, struct props_env *pe,
				    char *why, size_t size)
{
	size_t nd = pidsim_design_count(), ran = 0;
	int pid_max = w->pid_max ? w->pid_max : PIDSIM_PID_MAX_DEFAULT;
	struct exec_out *outs = calloc(nd, sizeof *outs);
	enum prop_result res = PROP_PASS;

	if (!outs)
		abort();
	for (size_t i = 0; i < nd; i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		exec_run(w, d, CHK_TRACE, &outs[i]);
		pe->calls += outs[i].calls;
		pe->steps += outs[i].skipped ? 0 : w->n;
		if (outs[i].failed) {
			snprintf(why, size, "%s", outs[i].why);
			res = PROP_FAIL;
			goto out;
		}
		ran += !outs[i].skipped;
	}
	for (size_t i = 0; i < nd && res == PROP_PASS; i++) {
		for (size_t j = i + 1; j < nd && res == PROP_PASS; j++) {
			struct side a = { pidsim_design_at(i), NULL, pid_max };
			struct side b = { pidsim_design_at(j), NULL, pid_max };

			if (outs[i].skipped || outs[j].skipped)
				continue;
			for (size_t s = 0; s < w->n; s++) {
				const struct wl_op *op = &w->ops[s];
				const char *ok;
				bool same_effect, same_nr;

				a.o = &outs[i].trace[s];
				b.o = &outs[j].trace[s];
				pe->compared++;
				same_effect = a.o->err == b.o->err && a.o->task == b.o->task &&
					      a.o->status == b.o->status &&
					      a.o->list == b.o->list &&
					      a.o->effects == b.o->effects;
				same_nr = a.o->nr == b.o->nr;
				if (op->kind == WL_SPAWN || op->kind == WL_CHURN)
					same_effect = same_effect && same_nr;	/* a count */
				/* a tree migrated whole carries each design's
				 * numbers with it: a pair that numbers a view
				 * differently may differ from now on */
				if (op->kind == WL_MIGRATE && !a.o->err && !b.o->err &&
				    a.o->task == b.o->task && a.o->effects == b.o->effects &&
				    (host_differs(&a, &b) ||
				     ((a.d->flags ^ b.d->flags) & PIDSIM_D_HIERARCHICAL))) {
					pe->allowed++;
					break;
				}
				if (same_effect && (same_nr || !same_numbering(&a, &b)))
					continue;
				ok = allowed(&a, &b, op);
				if (!ok && same_effect && !same_numbering(&a, &b))
					continue;
				if (ok) {
					pe->allowed++;
					if (observes_only(op))
						continue;
					break;	/* diverged: later steps not compared */
				}
				snprintf(why, size, "step %zu (%s vs %s): %s differs: %s "
					 "gives %d/%d (task t%d), %s gives %d/%d (task t%d)%s",
					 s + 1, a.d->name, b.d->name, wl_kind_name(op->kind),
					 a.d->name, a.o->err, a.o->nr, a.o->task, b.d->name,
					 b.o->err, b.o->nr, b.o->task,
					 a.o->effects != b.o->effects ? "; the tasks' states "
					 "afterwards differ" : a.o->list != b.o->list ?
					 "; ps lists differ" : "");
				res = PROP_FAIL;
				break;
			}
		}
	}
out:
	for (size_t i = 0; i < nd; i++)
		exec_out_free(&outs[i]);
	free(outs);
	return res == PROP_PASS && !ran ? PROP_SKIP : res;
}
