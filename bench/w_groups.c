/*
 * w_groups.c - process groups and sessions (issue 14): what the calls of
 * the other pid types cost per design, on the host (level 0) and in a
 * container (level 1).
 *
 *   getpgid    getpgid(pid) of a running child: a number in, a number out
 *              (in vpid, comb_vpid_to_pid() and pid_type_to_vpid());
 *   setpgid    setpgid(child, pgid), the child moved back and forth
 *              between a group of its own and its parent's: a task and
 *              a group found by number;
 *   kill-pgrp  kill(-pgid, 0) to a group of 64 members: one group found
 *              by number, then its members walked (no conversion per
 *              member in any design).
 *
 * Beside each time, the counters per call (the *-conv and *-probes rows):
 * the conversions and pid-table probes a call makes, exact and the same
 * on every machine.  No floor: a floor for a group call would be a
 * design of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define LEVELS 2
#define TASKS_PER_LEVEL 1024
#define MEMBERS 64

enum call { GETPGID, SETPGID, KILL_PGRP, NR_CALLS };
static const char *const call_name[NR_CALLS] = { "getpgid", "setpgid", "kill-pgrp" };

struct gr_state {
	pidsim_kernel *k;
	enum call call;
	pidsim_tid cur;		/* a session leader, the kid's parent */
	int kid, own;		/* its child, and its own number, as cur sees them */
	int leader;		/* the 64-member group's, as cur sees it */
	uint64_t flip;
};

static uint64_t run_call(void *p, uint64_t iters)
{
	struct gr_state *s = p;
	uint64_t sum = 0;

	switch (s->call) {
	case GETPGID:
		for (uint64_t n = 0; n < iters; n++)
			sum += (uint64_t)pidsim_getpgid(s->k, s->cur, s->kid);
		break;
	case SETPGID:
		for (uint64_t n = 0; n < iters; n++, s->flip++)
			sum += (uint64_t)pidsim_setpgid(s->k, s->cur, s->kid,
							s->flip & 1 ? s->own : s->kid);
		break;
	case KILL_PGRP:
		for (uint64_t n = 0; n < iters; n++)
			sum += (uint64_t)pidsim_kill(s->k, s->cur, -s->leader, 0);
		break;
	default:
		abort();
	}
	return sum;
}

/*
 * The image: host and a container, each level with TASKS_PER_LEVEL tasks;
 * at each level a worker (a child of the level's init) that leads a
 * session of its own, its running child, and a child leading a group of
 * MEMBERS (itself and its children).
 */
static void build(pidsim_kernel *k, int levels, pidsim_tid *workers,
		  pidsim_tid *kids, pidsim_tid *leaders)
{
	pidsim_tid init = pidsim_host_init(k);

	for (int l = 0; l < levels; l++) {
		pidsim_tid w, lead;

		if (l > 0)
			init = world_fork(k, workers[l - 1], PIDSIM_CLONE_NEWPID);
		w = world_fork(k, init, 0);
		if (pidsim_setsid(k, w) < 0)
			abort();
		kids[l] = world_fork(k, w, 0);
		lead = world_fork(k, w, 0);
		if (pidsim_setpgid(k, lead, 0, 0))
			abort();
		for (int i = 1; i < MEMBERS; i++)
			world_fork(k, lead, 0);
		world_fill(k, init, 3 + MEMBERS, TASKS_PER_LEVEL);
		workers[l] = w;
		leaders[l] = lead;
	}
}

static void setup_state(struct gr_state *gs, pidsim_kernel *k, pidsim_tid cur,
			pidsim_tid kid, pidsim_tid leader, enum call call)
{
	gs->k = k;
	gs->call = call;
	gs->cur = cur;
	gs->kid = pidsim_pid_of(k, cur, kid);
	gs->own = pidsim_getpid(k, cur);
	gs->leader = pidsim_pid_of(k, cur, leader);
	gs->flip = 0;
}

/* The counters per call of a subject's run: the cost model. */
static void record_work(FILE *out, const char *variant, long x,
			const struct subject *s, struct gr_state *st)
{
	char name[32];
	struct pidsim_stats c;
	const uint64_t ops = 4096;

	if (s->skip[0])
		return;
	pidsim_stats_reset(st->k);
	bench_sink += s->run(st, ops);
	pidsim_stats_get(st->k, &c);
	snprintf(name, sizeof name, "%s-conv", variant);
	results_add_value(out, "groups", name, x, s->name, "conv/op",
			  (double)c.conversions / ops, (long)ops, NULL);
	snprintf(name, sizeof name, "%s-probes", variant);
	results_add_value(out, "groups", name, x, s->name, "probes/op",
			  (double)c.probes / ops, (long)ops, NULL);
}

void wl_groups(void)
{
	struct subject s[BENCH_MAX_SUBJECTS];
	static struct gr_state st[NR_CALLS][BENCH_MAX_SUBJECTS];
	pidsim_kernel *k[BENCH_MAX_SUBJECTS] = { 0 };
	pidsim_tid workers[BENCH_MAX_SUBJECTS][LEVELS], kids[BENCH_MAX_SUBJECTS][LEVELS];
	pidsim_tid leaders[BENCH_MAX_SUBJECTS][LEVELS];
	int n = subjects_init(s, false);
	FILE *out;

	out = results_open("groups", "container level of the caller (0: host)",
		"getpgid(child), setpgid(child, pgid) back and forth, "
		"kill(-pgid, 0) to a 64-member group, by a session leader; "
		"1024 tasks per level");
	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(s[i].name);
		int levels = d->max_level + 1 < LEVELS ? d->max_level + 1 : LEVELS;

		k[i] = world_kernel(s[i].name, 0);
		build(k[i], levels, workers[i], kids[i], leaders[i]);
	}
	for (int l = 0; l < LEVELS; l++) {
		for (int c = 0; c < NR_CALLS; c++) {
			struct need need = { l, (unsigned)l, PIDSIM_PID_MAX_DEFAULT };

			for (int i = 0; i < n; i++) {
				const struct pidsim_design_info *d =
					pidsim_design_find(s[i].name);

				s[i].skip[0] = 0;
				if (!design_supports(d, &need, s[i].skip, sizeof s[i].skip))
					continue;
				setup_state(&st[c][i], k[i], workers[i][l], kids[i][l],
					    leaders[i][l], (enum call)c);
				s[i].state = &st[c][i];
				s[i].run = run_call;
			}
			bench_progress("groups: %s at level %d", call_name[c], l);
			bench_measure(s, n);
			results_add_subjects(out, "groups", call_name[c], l, s, n,
					     "ns/call", MEMBERS);
			for (int i = 0; i < n; i++)
				record_work(out, call_name[c], l, &s[i], &st[c][i]);
		}
	}
	for (int i = 0; i < n; i++)
		pidsim_kernel_destroy(k[i]);
	results_close(out);
	bench_progress_done();
}
