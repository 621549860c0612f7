/*
 * check_invariants.c - the invariants property (CHK_INV): after every step,
 * the task table as the public interface shows it is consistent: the
 * census counts what the handles say; every view lists each number once,
 * in order, in range, each found back by find and pid_of, exactly the
 * tasks the view may see, by the numbers they were born with; every
 * task is in its container at its level and no task outlives its
 * container's init; getpid and getppid lead through running tasks of the
 * container to its init; the counters never go back.  Process groups
 * and sessions: in each view, two tasks with one group number have one
 * session number (a group never spans two sessions); a running task's
 * group and session keep their numbers in its own view but across a
 * setpgid() or setsid() (a number stays its group's while the group
 * lives, the leader reaped or not, and is never handed to a new task
 * meanwhile: a task that took it would show in its place); a member's
 * group number names its group (kill(-pgid, 0) finds members).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

/* In view c (observer o, its ps in e->buf, n of them): equal group
 * numbers, equal session numbers. */
static void check_view_groups(struct ex *e, int c, pidsim_tid o, int n)
{
	int *g = malloc(sizeof(int) * (size_t)(2 * n + 1)), *sid;

	if (!g)
		abort();
	sid = g + n;
	for (int i = 0; i < n; i++) {
		g[i] = pidsim_getpgid(e->k, o, e->buf[i]);
		sid[i] = pidsim_getsid(e->k, o, e->buf[i]);
		e->out->calls += 2;
		if (g[i] < 0 || sid[i] < 0) {
			ex_fail(e, "invariant: in the view of %s, pid %d lists but "
				"getpgid/getsid give %s/%s", ex_name(e, e->c[c].init),
				e->buf[i], ex_errstr(g[i]), ex_errstr(sid[i]));
			break;
		}
		for (int j = 0; j < i; j++)
			if (g[i] && g[j] == g[i] && sid[j] != sid[i]) {
				ex_fail(e, "invariant: in the view of %s, group %d spans "
					"sessions %d and %d", ex_name(e, e->c[c].init), g[i],
					sid[j], sid[i]);
				j = i;
				i = n;
			}
	}
	free(g);
}

static void check_view(struct ex *e, int c)
{
	pidsim_tid o = ex_observer(e, c);
	unsigned f = e->d->flags;
	bool any_range = c == 0 && (f & PIDSIM_D_HOST_SEES_ALL) &&
			 !(f & (PIDSIM_D_SHARED_RANGE | PIDSIM_D_HIERARCHICAL));
	int n, seen = 0, pm = e->w->pid_max ? e->w->pid_max : PIDSIM_PID_MAX_DEFAULT;

	ex_ensure_buf(e);
	n = pidsim_ps(e->k, o, e->buf, e->cap_buf);
	e->out->calls++;
	if (n < 0 || n > (int)e->cap_buf) {
		ex_fail(e, "ps in the view of %s gave %s", ex_name(e, e->c[c].init), ex_errstr(n));
		return;
	}
	/* A short buffer: the count is still the whole count, and what fits
	 * is the start of the list (rule 8's ps, as the header says). */
	{
		int half[8], m = pidsim_ps(e->k, o, half, (size_t)(n / 2 < 8 ? n / 2 : 8));

		e->out->calls += 2;
		if (m != n || pidsim_ps(e->k, o, NULL, 0) != n ||
		    memcmp(half, e->buf, sizeof(int) * (size_t)(n / 2 < 8 ? n / 2 : 8)))
			return (void)ex_fail(e, "invariant: ps in the view of %s with a "
					  "short buffer does not give the count and the "
					  "start of the list", ex_name(e, e->c[c].init));
	}
	for (int i = 0; i < n; i++) {
		pidsim_tid h = PIDSIM_NO_TASK;
		int x;

		if ((i && e->buf[i] <= e->buf[i - 1]) || e->buf[i] < 1 ||
		    (!any_range && e->buf[i] >= pm))
			return (void)ex_fail(e, "invariant: ps in the view of %s: %d at %d "
					  "is out of order or out of range", ex_name(e, e->c[c].init),
					  e->buf[i], i);
		if (pidsim_find(e->k, o, e->buf[i], &h) != 0 || (x = ex_identify(e, h)) < 0 ||
		    !ex_alive(e, x) || pidsim_pid_of(e->k, o, h) != e->buf[i])
			return (void)ex_fail(e, "invariant: in the view of %s, ps lists %d "
					  "but find/pid_of do not agree", ex_name(e, e->c[c].init),
					  e->buf[i]);
		e->out->calls += 2;
	}
	for (int x = 0; x < e->nt; x++) {
		int p;

		if (!ex_alive(e, x))
			continue;
		p = pidsim_pid_of(e->k, o, e->t[x].h);
		e->out->calls++;
		if ((p > 0) != ex_may_see(e, c, x))
			return (void)ex_fail(e, "invariant: the view of %s %s %s (pid_of "
					  "gives %s)", ex_name(e, e->c[c].init),
					  p > 0 ? "sees" : "does not see", ex_name(e, x), ex_errstr(p));
		if (p <= 0)
			continue;
		seen++;
		if (!bsearch(&p, e->buf, (size_t)n, sizeof *e->buf, ex_cmp_int))
			return (void)ex_fail(e, "invariant: the view of %s sees %s as %d, "
					  "which ps does not list", ex_name(e, e->c[c].init),
					  ex_name(e, x), p);
		if (p != ex_hist_nr(e, x, c))
			return (void)ex_fail(e, "invariant: %s's number in the view of %s "
					  "changed from %d to %d", ex_name(e, x),
					  ex_name(e, e->c[c].init), ex_hist_nr(e, x, c), p);
	}
	if (seen != n)
		ex_fail(e, "invariant: ps in the view of %s lists %d tasks, %d are "
		     "visible", ex_name(e, e->c[c].init), n, seen);
	if (!e->out->failed)
		check_view_groups(e, c, o, n);
}

/* Each running task's group and session numbers in its own view: the
 * same as after the last step unless setpgid() or setsid() ran; a group
 * numbered there has members (the task among them). */
static void check_task_groups(struct ex *e)
{
	int kind = e->w->ops[e->step].kind;
	bool moved = kind == WL_SETPGID || kind == WL_SETSID;

	for (int x = 0; x < e->nt && !e->out->failed; x++) {
		int g, sid;

		if (!ex_running(e, x))
			continue;
		g = pidsim_getpgid(e->k, e->t[x].h, 0);
		sid = pidsim_getsid(e->k, e->t[x].h, 0);
		e->out->calls += 2;
		if (g < 0 || sid < 0)
			return (void)ex_fail(e, "invariant: getpgid/getsid of %s give "
					  "%s/%s", ex_name(e, x), ex_errstr(g), ex_errstr(sid));
		if (!moved && e->t[x].pgid >= 0 && (g != e->t[x].pgid || sid != e->t[x].sid))
			return (void)ex_fail(e, "invariant: %s's group and session "
					  "went from %d/%d to %d/%d in its own view without "
					  "setpgid or setsid", ex_name(e, x), e->t[x].pgid,
					  e->t[x].sid, g, sid);
		e->t[x].pgid = g;
		e->t[x].sid = sid;
		/* a number its view gives the group finds it (but 1, which
		 * kill reads as -1: everyone; and a host
		 * number a design shows for a group outside the container) */
		if (g > 1 && !((e->d->flags & PIDSIM_D_HOST_GROUP_NUMBER) &&
			       e->t[x].ct != 0) &&
		    pidsim_kill(e->k, e->t[x].h, -g, 0) != 0)
			return (void)ex_fail(e, "invariant: %s is in group %d of its "
					  "view, where kill(-%d, 0) finds nobody", ex_name(e, x),
					  g, g);
		e->out->calls++;
	}
}

/* getppid, followed up from x, reaches its container's init. */
static void check_parents(struct ex *e, int x)
{
	pidsim_tid h = e->t[x].h;
	int steps = 0, pp, y = x;

	if (ex_is_init(e, x)) {
		pp = pidsim_getppid(e->k, h);
		e->out->calls++;
		if (pp != 0)
			ex_fail(e, "invariant: getppid of %s, a container's init, is %d",
			     ex_name(e, x), pp);
		return;
	}
	while (!ex_is_init(e, y)) {
		pidsim_tid ph = PIDSIM_NO_TASK;

		pp = pidsim_getppid(e->k, e->t[y].h);
		e->out->calls += 2;
		if (pp <= 0 || pidsim_find(e->k, e->t[y].h, pp, &ph) != 0 ||
		    (y = ex_identify(e, ph)) < 0 || !ex_running(e, y) ||
		    e->t[y].ct != e->t[x].ct || ++steps > e->nt)
			return (void)ex_fail(e, "invariant: the parents of %s, by getppid "
					  "(%s), do not lead to its container's init "
					  "through running tasks of its container",
					  ex_name(e, x), ex_errstr(pp));
	}
}

void ex_check_invariants(struct ex *e)
{
	struct pidsim_census cs;
	struct pidsim_stats st;
	unsigned tasks = 0, zombies = 0, cts = 0;

	pidsim_census_get(e->k, &cs);
	pidsim_stats_get(e->k, &st);
	for (int x = 0; x < e->nt; x++) {
		tasks += ex_alive(e, x);
		zombies += e->t[x].state == PIDSIM_ZOMBIE;
	}
	for (int c = 0; c < e->nc; c++)
		cts += ex_alive(e, e->c[c].init);
	if (cs.tasks != tasks || cs.zombies != zombies || cs.containers != cts)
		return (void)ex_fail(e, "invariant: census %u tasks, %u zombies, %u "
				  "containers; the handles say %u, %u, %u", cs.tasks,
				  cs.zombies, cs.containers, tasks, zombies, cts);
	if (st.bytes == 0 || st.bytes > st.peak_bytes || st.allocs < e->prev.allocs ||
	    st.lookups < e->prev.lookups || st.probes < e->prev.probes ||
	    st.conversions < e->prev.conversions || st.peak_bytes < e->prev.peak_bytes)
		return (void)ex_fail(e, "invariant: counters went backwards or bytes "
				  "exceed the peak");
	e->prev = st;
	for (int x = 0; x < e->nt; x++) {
		pidsim_tid ct = PIDSIM_NO_TASK;
		int init;

		if (!ex_alive(e, x))
			continue;
		init = e->c[e->t[x].ct].init;
		if (pidsim_container_of(e->k, e->t[x].h, &ct) != 0 || ct != e->t[init].h ||
		    pidsim_level_of(e->k, e->t[x].h) != e->c[e->t[x].ct].level)
			return (void)ex_fail(e, "invariant: %s is not in the container "
					  "of %s at level %d", ex_name(e, x), ex_name(e, init),
					  e->c[e->t[x].ct].level);
		if (x != init && !ex_running(e, init))
			return (void)ex_fail(e, "invariant: %s lives on in the container "
					  "of %s, whose init is %s", ex_name(e, x), ex_name(e, init),
					  ex_state(e->t[init].state));
		e->out->calls += 2;
	}
	/* Every view, or with many containers the host's and a window of
	 * the rest that moves every step. */
	for (int i = 0; i < e->nc && i < VIEWS_PER_STEP && !e->out->failed; i++) {
		int c = i == 0 || e->nc <= VIEWS_PER_STEP ? i
			: 1 + (e->step * (VIEWS_PER_STEP - 1) + i - 1) % (e->nc - 1);

		if (ex_running(e, e->c[c].init))
			check_view(e, c);
	}
	check_task_groups(e);
	for (int x = 0; x < e->nt && !e->out->failed; x++) {
		int g;

		if (!ex_running(e, x))
			continue;
		g = pidsim_getpid(e->k, e->t[x].h);
		e->out->calls++;
		if (g <= 0 || g != ex_hist_nr(e, x, e->t[x].ct) || (ex_is_init(e, x) && g != 1))
			return (void)ex_fail(e, "invariant: getpid of %s is %s", ex_name(e, x), ex_errstr(g));
		check_parents(e, x);
	}
}
