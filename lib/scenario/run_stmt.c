/*
 * run_stmt.c - one statement on one design: the checks that it can run
 * (a kernel, bound labels, a number for its pid), the kernel statement,
 * the process statements (fork, exit, wait, kill, getpid, getppid, ps,
 * ref, resolve, setown, notify, close, churn), and naming what they
 * returned by label.  The migration statements are in run_ckpt.c.
 *
 * Each call runs inside a cost window (pidsim_stats before and after);
 * the runner's own questions (which label a number names, which tasks a
 * statement killed) are asked outside it, so the cost columns show only
 * what the statement itself did.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* How often churn looks at the clock, in iterations. */
#define CHURN_CLOCK 256

/* Every label the statement uses, for the check that each is bound. */
size_t run_used_labels(const struct pidsim_sc_stmt *st, int out[RUN_MAX_USED])
{
	int cand[RUN_MAX_USED] = { st->who, st->pid.label, st->pid.ct,
				   st->ct >= 0 ? st->ct : st->obj, st->pgid.label };
	size_t n = 0;

	for (size_t i = 0; i < RUN_MAX_USED; i++)
		if (cand[i] >= 0)
			out[n++] = cand[i];
	return n;
}

/* Whether label l stands for something on d: a task, an object, a
 * checkpoint image. */
static bool is_bound(const struct run *r, const struct design_run *d, int l)
{
	switch (r->sc->labels[l].kind) {
	case PIDSIM_SC_OBJECT:
		return d->labels[l].obj >= 0;
	case PIDSIM_SC_CKPT:
		return d->labels[l].ckpt.bytes != NULL;
	default:
		return d->labels[l].tid != PIDSIM_NO_TASK;
	}
}

/* Whether the statement has a kernel and bound labels to run on; if not,
 * the outcome says why. */
static bool can_run(const struct run *r, struct design_run *d,
		    const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	int labels[RUN_MAX_USED];
	size_t n = run_used_labels(st, labels);

	if (!d->kernel[st->kernel]) {
		outcome->how = OUTCOME_NOT_RUN;
		outcome->cause = d->boot_failed[st->kernel];
		outcome->missing = -1;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (is_bound(r, d, labels[i]))
			continue;
		outcome->how = OUTCOME_NOT_RUN;
		outcome->cause = d->labels[labels[i]].unbound_at;
		outcome->missing = labels[i];
		return false;
	}
	return true;
}

/* The number a statement's pid (st->pid, or setpgid's st->pgid) stands
 * for in the caller's view: the raw number, or the number its label has
 * there (negated for -LABEL).  false (and OUTCOME_NO_PID) when the
 * label's task has no number there: invisible, or released. */
static bool pid_number(struct design_run *d, pidsim_kernel *k,
		       const struct pidsim_sc_stmt *st,
		       const struct pidsim_sc_pid *pid, int *nr)
{
	pidsim_tid viewer, t;
	int n;

	if (pid->label < 0) {
		*nr = pid->nr;
		return true;
	}
	viewer = pid->ct >= 0 ? d->labels[pid->ct].tid : d->labels[st->who].tid;
	t = d->labels[pid->label].tid;
	n = pidsim_pid_of(k, viewer, t);
	if (n > 0) {
		*nr = pid->group ? -n : n;
		return true;
	}
	if (n == 0 || pidsim_task_state(k, t) < 0) {
		d->outcome.how = OUTCOME_NO_PID;
		d->outcome.missing = pid->label;
		return false;
	}
	/* The viewer makes no calls (it is a zombie).  A container's init is
	 * 1 in its own view; otherwise the call fails on the caller first,
	 * whatever the number. */
	*nr = 1;
	return true;
}

/* kernel [NAME] [design D] [pid_max N]: a kernel runs the design under
 * test, or the one its statement names (design D). */
int run_kernel(struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st)
{
	const char *fixed = r->sc->kernels[st->kernel].design;
	const struct pidsim_design_info *info =
		fixed[0] ? pidsim_design_find(fixed) : d->info;
	struct pidsim_stats s0 = { 0 };
	pidsim_kernel *k;
	int ret = pidsim_kernel_create(info->name, st->arg, &k);

	d->outcome.ret = ret;
	if (ret) {
		d->boot_failed[st->kernel] = st->line;
		run_boot_limit(d, info, st->arg, ret);
		return ret == -ENOMEM ? ret : 0;
	}
	d->kernel[st->kernel] = k;
	run_cost_done(k, &s0, d);
	d->outcome.label = st->def;
	return run_bind_task(r, d, st->def, pidsim_host_init(k));
}

/* fork WHO [newpid] [-> LABEL]: a new container's init remembers the
 * container it was forked in (run_compare.c asks which have children). */
static int run_fork(struct run *r, struct design_run *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st)
{
	pidsim_tid cur = d->labels[st->who].tid, child = PIDSIM_NO_TASK;
	struct pidsim_stats s0;
	int ret, err = 0, ct = -1;

	pidsim_stats_get(k, &s0);
	ret = pidsim_fork(k, cur, (unsigned)st->arg, &child);
	run_cost_done(k, &s0, d);
	d->outcome.ret = d->outcome.nr = ret;
	if (ret < 0) {
		d->labels[st->def].unbound_at = st->line;
		run_note_limit_hit(d, k);
		return ret == -ENOMEM ? ret : 0;
	}
	d->outcome.label = st->def;
	if (st->arg & PIDSIM_CLONE_NEWPID) {
		pidsim_tid pc;

		if (pidsim_container_of(k, cur, &pc) == 0)
			ct = run_label_of(d, st->kernel, pc);
		d->labels[st->def].parent_ct = ct;
	}
	err = run_bind_task(r, d, st->def, child);
	return err;
}

static void run_wait(struct design_run *d, pidsim_kernel *k, pidsim_tid cur, int nr)
{
	int status = 0;

	d->outcome.ret = d->outcome.nr = pidsim_wait(k, cur, nr, &status);
	d->outcome.status = status;
}

/* kill WHO PID [SIGNAL]: nr in WHO's view, or in CT's for CT:PID. */
static void run_kill(struct design_run *d, pidsim_kernel *k,
		     const struct pidsim_sc_stmt *st, int nr)
{
	pidsim_tid cur = d->labels[st->who].tid;

	if (st->pid.ct >= 0)
		d->outcome.ret = pidsim_kill_in(k, cur, d->labels[st->pid.ct].tid, nr,
						st->arg);
	else
		d->outcome.ret = pidsim_kill(k, cur, nr, st->arg);
	d->outcome.nr = d->outcome.ret;
}

/* Fork, exit and reap count children, one at a time: moves the caller's
 * allocator on, as a busy system does between two events.  Needs room for
 * one task under the budget; stops early when the time limit passes. */
static void run_churn(struct run *r, struct design_run *d, pidsim_kernel *k,
		      const struct pidsim_sc_stmt *st, pidsim_tid cur, int count)
{
	int done = 0, ret = 0;

	if (run_over_budget(r, d, st, run_tasks_on(k), 1))
		return;
	while (done < count && ret >= 0) {
		if (done % CHURN_CLOCK == CHURN_CLOCK - 1 && run_out_of_time(r))
			return;
		pidsim_tid c;
		int nr = pidsim_fork(k, cur, 0, &c);

		ret = nr;
		if (nr < 0)
			break;
		ret = pidsim_exit(k, c, 0);
		if (ret >= 0)
			ret = pidsim_wait(k, cur, nr, NULL);
		if (ret >= 0)
			done++;
	}
	d->outcome.ret = ret < 0 ? ret : done;
	d->outcome.nr = done;
	if (ret == -EAGAIN)
		run_note_limit_hit(d, k);
}

/* Room for cap pids in a ps list, their labels, their groups, which are
 * zombies', and the expects' scratch: 0, or -ENOMEM (what grew keeps its
 * room). */
static int ps_room(struct outcome *outcome, size_t cap)
{
	int *p = realloc(outcome->pids, cap * sizeof *p), *l = NULL, *g = NULL;
	bool *u = NULL, *z = NULL;

	if (p)
		outcome->pids = p;
	if (p && (l = realloc(outcome->plabels, cap * sizeof *l)))
		outcome->plabels = l;
	if (l && (g = realloc(outcome->groups, cap * GRP_N * sizeof *g)))
		outcome->groups = g;
	if (g && (u = realloc(outcome->used, cap * sizeof *u)))
		outcome->used = u;
	if (u && (z = realloc(outcome->pzombie, cap * sizeof *z)))
		outcome->pzombie = z;
	if (!z)
		return -ENOMEM;
	outcome->cap = cap;
	return 0;
}

/* ps WHO groups: each pid's process group and session, as /proc/PID/stat
 * shows them to WHO (getpgid(), getsid()). */
static void ps_groups(struct outcome *outcome, pidsim_kernel *k, pidsim_tid cur)
{
	for (size_t i = 0; i < outcome->n; i++) {
		int *g = outcome->groups + GRP_N * i;

		g[GRP_PGID] = pidsim_getpgid(k, cur, outcome->pids[i]);
		g[GRP_SID] = pidsim_getsid(k, cur, outcome->pids[i]);
	}
}

/* ps WHO [CONTAINER | groups]: room for every task; the count can be no
 * larger. */
static int run_ps(struct design_run *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	pidsim_tid cur = d->labels[st->who].tid;
	size_t room = run_tasks_on(k) + 1;
	int ret;

	if (room > outcome->cap && ps_room(outcome, room))
		return -ENOMEM;
	if (st->ct >= 0)
		ret = pidsim_ps_in(k, cur, d->labels[st->ct].tid, outcome->pids,
				   outcome->cap);
	else
		ret = pidsim_ps(k, cur, outcome->pids, outcome->cap);
	outcome->ret = outcome->nr = ret;
	if (ret < 0)
		outcome->n = 0;
	else
		outcome->n = (size_t)ret < outcome->cap ? (size_t)ret : outcome->cap;
	if ((unsigned)st->arg & PIDSIM_SC_GROUPS)
		ps_groups(outcome, k, cur);
	return 0;
}

/* ref WHO PID -> LABEL: a weak reference to the task nr names. */
static int run_ref(struct run *r, struct design_run *d, pidsim_kernel *k,
		   const struct pidsim_sc_stmt *st, int nr)
{
	pidsim_tid cur = d->labels[st->who].tid, t = PIDSIM_NO_TASK;
	int ret;

	if (st->pid.ct >= 0)
		ret = pidsim_find_in(k, cur, d->labels[st->pid.ct].tid, nr, &t);
	else
		ret = pidsim_find(k, cur, nr, &t);
	d->outcome.ret = d->outcome.nr = ret;
	if (ret < 0) {
		d->labels[st->def].unbound_at = st->line;
		return 0;
	}
	d->outcome.label = run_label_of(d, st->kernel, t);
	return run_bind_task(r, d, st->def, t);
}

/* resolve WHO LABEL: the state of the task a label (an alias, say) names,
 * and the number WHO sees it by. */
static void run_resolve(struct design_run *d, pidsim_kernel *k,
			const struct pidsim_sc_stmt *st)
{
	pidsim_tid t = d->labels[st->pid.label].tid;

	d->outcome.state = pidsim_task_state(k, t);
	d->outcome.nr = pidsim_pid_of(k, d->labels[st->who].tid, t);
	d->outcome.ret = d->outcome.state < 0 ? d->outcome.state : d->outcome.nr;
	d->outcome.label = run_label_of(d, st->kernel, t);
}

/* setown WHO PID -> OBJECT: a kernel object whose stored owner is nr. */
static void run_setown(struct design_run *d, pidsim_kernel *k,
		       const struct pidsim_sc_stmt *st, int nr)
{
	int ret = pidsim_setown(k, d->labels[st->who].tid, nr);

	d->outcome.ret = d->outcome.nr = ret;
	if (ret >= 0)
		d->labels[st->def].obj = ret;
	else
		d->labels[st->def].unbound_at = st->line;
}

/* The kernel an object's statement runs on: the statement's, or the one
 * the object moved to with its owner (migrate). */
static int obj_kernel_of(const struct design_run *d, const struct pidsim_sc_stmt *st)
{
	int moved = d->labels[st->obj].obj_kernel;

	return moved >= 0 ? moved : st->kernel;
}

/* notify OBJECT [SIGNAL], close OBJECT: the task the stored owner
 * reaches, or the object closed. */
static void run_notify(struct design_run *d, pidsim_kernel *k,
		       const struct pidsim_sc_stmt *st)
{
	int obj = d->labels[st->obj].obj;
	pidsim_tid to = PIDSIM_NO_TASK;

	if (st->kind == PIDSIM_SC_CLOSE) {
		d->outcome.ret = d->outcome.nr = pidsim_owner_close(k, obj);
		return;
	}
	d->outcome.ret = d->outcome.nr = pidsim_notify(k, obj, st->arg, &to);
	d->outcome.label = run_label_of(d, obj_kernel_of(d, st), to);
}

/* setpgid, setsid, getpgid, getsid: nr is the pid, gnr setpgid's pgid. */
static void run_group_call(struct design_run *d, pidsim_kernel *k,
			   const struct pidsim_sc_stmt *st, pidsim_tid cur,
			   int nr, int gnr)
{
	struct outcome *outcome = &d->outcome;

	if (st->kind == PIDSIM_SC_SETPGID)
		outcome->ret = pidsim_setpgid(k, cur, nr, gnr);
	else if (st->kind == PIDSIM_SC_SETSID)
		outcome->ret = pidsim_setsid(k, cur);
	else if (st->kind == PIDSIM_SC_GETPGID)
		outcome->ret = pidsim_getpgid(k, cur, nr);
	else
		outcome->ret = pidsim_getsid(k, cur, nr);
	outcome->nr = outcome->ret;
}

/* The call itself, inside the cost window. */
static int run_call(struct run *r, struct design_run *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st, int nr, int gnr)
{
	pidsim_tid cur = st->who >= 0 ? d->labels[st->who].tid : PIDSIM_NO_TASK;
	struct outcome *outcome = &d->outcome;

	switch (st->kind) {
	case PIDSIM_SC_EXIT:
		outcome->ret = outcome->nr = pidsim_exit(k, cur, st->arg);
		return 0;
	case PIDSIM_SC_WAIT:
		run_wait(d, k, cur, nr);
		return 0;
	case PIDSIM_SC_KILL:
		run_kill(d, k, st, nr);
		return 0;
	case PIDSIM_SC_GETPID:
		outcome->ret = outcome->nr = pidsim_getpid(k, cur);
		return 0;
	case PIDSIM_SC_GETPPID:
		outcome->ret = outcome->nr = pidsim_getppid(k, cur);
		return 0;
	case PIDSIM_SC_PS:
		return run_ps(d, k, st);
	case PIDSIM_SC_REF:
		return run_ref(r, d, k, st, nr);
	case PIDSIM_SC_RESOLVE:
		run_resolve(d, k, st);
		return 0;
	case PIDSIM_SC_SETOWN:
		run_setown(d, k, st, nr);
		return 0;
	case PIDSIM_SC_NOTIFY: case PIDSIM_SC_CLOSE:
		run_notify(d, k, st);
		return 0;
	case PIDSIM_SC_CHURN:
		run_churn(r, d, k, st, cur, st->arg);
		return 0;
	case PIDSIM_SC_SETPGID: case PIDSIM_SC_SETSID:
	case PIDSIM_SC_GETPGID: case PIDSIM_SC_GETSID:
		run_group_call(d, k, st, cur, nr, gnr);
		return 0;
	default:
		return -EINVAL;	/* kernel, fork and expect go elsewhere */
	}
}

/* Name what the call returned: the labels its numbers stand for, and the
 * task a wait released.  Outside the cost window. */
static void name_results(struct design_run *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	pidsim_tid cur = st->who >= 0 ? d->labels[st->who].tid : PIDSIM_NO_TASK;
	pidsim_tid ps_ct = st->ct >= 0 ? d->labels[st->ct].tid : PIDSIM_NO_TASK;

	if (st->kind == PIDSIM_SC_GETPID || st->kind == PIDSIM_SC_GETPPID ||
	    st->kind == PIDSIM_SC_SETSID || st->kind == PIDSIM_SC_GETPGID ||
	    st->kind == PIDSIM_SC_GETSID)
		outcome->label = run_label_of_nr(d, st->kernel, cur, 0, outcome->ret,
						 NULL);
	if (st->kind == PIDSIM_SC_WAIT && outcome->ret > 0 && outcome->nr_gone) {
		/* the one task a wait releases */
		outcome->label = outcome->gone[0];
		outcome->nr_gone = 0;
	}
	for (size_t i = 0; st->kind == PIDSIM_SC_EXIT && i < outcome->nr_died; i++) {
		if (outcome->died[i] != st->who)
			continue;	/* the caller's own death goes unsaid */
		memmove(outcome->died + i, outcome->died + i + 1,
			(--outcome->nr_died - i) * sizeof *outcome->died);
		break;
	}
	for (size_t i = 0; i < outcome->n; i++)
		outcome->plabels[i] = run_label_of_nr(d, st->kernel, cur, ps_ct,
						      outcome->pids[i],
						      &outcome->pzombie[i]);
	for (size_t i = 0; ((unsigned)st->arg & PIDSIM_SC_GROUPS) &&
			   st->kind == PIDSIM_SC_PS && i < outcome->n; i++) {
		int *g = outcome->groups + GRP_N * i;

		g[GRP_PGID_LABEL] = run_label_of_nr(d, st->kernel, cur, 0,
						    g[GRP_PGID], NULL);
		g[GRP_SID_LABEL] = run_label_of_nr(d, st->kernel, cur, 0,
						   g[GRP_SID], NULL);
	}
}

/* A process statement once it can run: its pid as a number, the call in
 * its cost window, and what it killed and named outside it. */
static int run_process(struct run *r, struct design_run *d, pidsim_kernel *k,
		       const struct pidsim_sc_stmt *st)
{
	struct pidsim_stats s0;
	int nr = 0, gnr = 0, err;

	if ((st->kind != PIDSIM_SC_RESOLVE && !pid_number(d, k, st, &st->pid, &nr)) ||
	    !pid_number(d, k, st, &st->pgid, &gnr)) {
		if (st->def >= 0)
			d->labels[st->def].unbound_at = st->line;
		return 0;
	}
	if (changes_state(st->kind))
		run_effects_before(r, d);
	pidsim_stats_get(k, &s0);
	err = run_call(r, d, k, st, nr, gnr);
	run_cost_done(k, &s0, d);
	if (changes_state(st->kind))
		run_effects_after(r, d, st->line);
	name_results(d, st);
	return err;
}

/* A new outcome: nothing yet, the room of its lists kept. */
static void outcome_reset(struct outcome *outcome)
{
	*outcome = (struct outcome){
		.label = -1, .missing = -1,
		.pids = outcome->pids, .plabels = outcome->plabels,
		.pzombie = outcome->pzombie, .groups = outcome->groups,
		.used = outcome->used, .cap = outcome->cap,
		.died = outcome->died, .gone = outcome->gone,
	};
}

/* Run statement st on design d, leaving the outcome in d->outcome. */
int run_stmt(struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st)
{
	bool on_object = st->kind == PIDSIM_SC_NOTIFY || st->kind == PIDSIM_SC_CLOSE;
	struct pidsim_stats s0;
	pidsim_kernel *k;

	outcome_reset(&d->outcome);
	if (st->kind == PIDSIM_SC_KERNEL)
		return run_kernel(r, d, st);
	if (!can_run(r, d, st)) {
		if (st->def >= 0)
			d->labels[st->def].unbound_at = d->outcome.cause;
		return 0;
	}
	k = d->kernel[on_object ? obj_kernel_of(d, st) : st->kernel];
	pidsim_stats_get(k, &s0);
	d->outcome.cost.bytes = s0.bytes;	/* shown when no call runs */
	switch (st->kind) {
	case PIDSIM_SC_FORK:
		if (run_over_budget(r, d, st, run_tasks_on(k), 1))
			return 0;
		return run_fork(r, d, k, st);
	case PIDSIM_SC_CHECKPOINT:
		return run_checkpoint(r, d, k, st);
	case PIDSIM_SC_RESTORE:
		return run_restore(r, d, k, st);
	case PIDSIM_SC_MIGRATE:
		return run_migrate(r, d, k, st);
	default:
		return run_process(r, d, k, st);
	}
}
