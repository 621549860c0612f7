/*
 * check_reference.c - the reference property's check after every step
 * (CHK_REF): the census, every task's state and parent, and every view's
 * list as the reference model (ref.h) has them.  Each call's own result is
 * compared where it is made (exec.c, ex_check_eq()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

/* x's group and session numbers in its own view, as the model has them
 * (a number only the design tells is learnt: ref.h): 1 on a failure. */
static int check_groups(struct ex *e, int x)
{
	for (int sid = 0; sid < 2; sid++) {
		int leader, got = sid ? pidsim_getsid(e->k, e->t[x].h, 0)
				      : pidsim_getpgid(e->k, e->t[x].h, 0);
		int want = sid ? ref_getsid(&e->m, e->t[x].ref, 0, &leader)
			       : ref_getpgid(&e->m, e->t[x].ref, 0, &leader);
		const char *msg;

		if (want != REF_UNKNOWN) {
			if (ex_check_eq(e, sid ? "getsid" : "getpgid", got, want))
				return 1;
			continue;
		}
		msg = ref_adopt(&e->m, e->c[e->t[x].ct].ref, leader, got);
		if (msg)
			return ex_fail(e, "%s of %s gave %s: %s", sid ? "getsid" : "getpgid",
				       ex_name(e, x), ex_errstr(got), msg);
	}
	return 0;
}

/* After every step: every view, every state and every parent as the
 * model has them. */
void ex_check_model_state(struct ex *e)
{
	struct pidsim_census cs;
	unsigned tasks = 0, zombies = 0, cts = 0;

	unsigned reaped = 0;

	pidsim_census_get(e->k, &cs);
	for (int t = 0; t < e->m.nr_tasks; t++) {
		tasks += e->m.tasks[t].exists;
		zombies += e->m.tasks[t].exists && e->m.tasks[t].state == PIDSIM_ZOMBIE;
	}
	for (int i = 0, last = -1; i < e->m.nr_nums; i++) {
		int t = e->m.nums[i].task;	/* each remains once */
		bool seen = t == last;

		for (int j = 0; !seen && j < i; j++)
			seen = e->m.nums[j].task == t;
		reaped += !seen && !e->m.tasks[t].exists;
		last = t;
	}
	for (int c = 0; c < e->m.nr_cts; c++)
		cts += e->m.cts[c].exists;
	if (cs.tasks != tasks || cs.zombies != zombies || cs.containers != cts)
		return (void)ex_fail(e, "census %u tasks, %u zombies, %u containers; "
				  "the model says %u, %u, %u", cs.tasks, cs.zombies,
				  cs.containers, tasks, zombies, cts);
	if (cs.reaped_leaders != reaped)
		return (void)ex_fail(e, "census: %u reaped leaders keep their "
				  "numbers, the model says %u (a group or session "
				  "with no member, or a number given up while one "
				  "lives)", cs.reaped_leaders, reaped);
	for (int x = 0; x < e->nt; x++) {
		if (e->t[x].state == GONE && e->t[x].label < 0)
			continue;
		if (e->t[x].state != ref_state(&e->m, e->t[x].ref))
			return (void)ex_fail(e, "%s is %s, the model says %s", ex_name(e, x),
					  ex_state(e->t[x].state),
					  ex_state(ref_state(&e->m, e->t[x].ref)));
		if (ex_running(e, x) &&
		    ex_check_eq(e, "getppid", pidsim_getppid(e->k, e->t[x].h),
			     ref_getppid(&e->m, e->t[x].ref)))
			return;
		if (ex_running(e, x) && check_groups(e, x))
			return;
	}
	ex_ensure_buf(e);
	for (int i = 0; i < e->nc && i < VIEWS_PER_STEP; i++) {
		int c = i == 0 || e->nc <= VIEWS_PER_STEP ? i
			: 1 + (e->step * (VIEWS_PER_STEP - 1) + i - 1) % (e->nc - 1);
		int n, want;

		if (!ex_running(e, e->c[c].init))
			continue;
		n = pidsim_ps(e->k, ex_observer(e, c), e->buf, e->cap_buf);
		want = ref_list(&e->m, e->c[c].ref, e->rbuf);
		if (n != want || memcmp(e->buf, e->rbuf, sizeof(int) * (size_t)(n > 0 ? n : 0)))
			return (void)ex_fail(e, "ps in the view of %s lists %d tasks, the "
					  "model %d (or they differ)", ex_name(e, e->c[c].init),
					  n, want);
	}
}
