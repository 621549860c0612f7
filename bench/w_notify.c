/*
 * w_notify.c - stored owners (F_SETOWN, then send_sigio() later).
 *
 * In a container holding a quarter of a pid range, a server task records
 * every other task as the owner of an object.  Then tasks exit, are
 * reaped and are replaced (fork), for x cycles, the same sequence in every
 * design, so that numbers wrap and are reused.  Then every object is
 * notified from kernel context: a notification is right when it reaches
 * the owner, dropped when the owner is gone and nothing is reached, and a
 * mis-delivery when it reaches any other task.  A design that stores a
 * number delivers to whoever holds that number now; a weak reference
 * drops.  The time per notify (signal 0, so it can be repeated) comes
 * with the counts.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define PID_MAX 32768
#define LIVE 8192
#define OWNERS 4096

struct nt_state {
	pidsim_kernel *k;
	pidsim_tid init, server;
	pidsim_tid members[LIVE];	/* live tasks forked by init */
	pidsim_tid owner[OWNERS];	/* each object's owner at setown */
	int obj[OWNERS];
};

static uint64_t run_notify(void *p, uint64_t iters)
{
	struct nt_state *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		pidsim_tid to;

		sum += (uint64_t)pidsim_notify(s->k, s->obj[n % OWNERS], 0, &to) + to;
	}
	return sum;
}

/* The container, its members and the objects; false when a pid range
 * cannot hold them. */
static bool setup(struct nt_state *s, const char *design)
{
	s->k = world_kernel(design, PID_MAX);
	s->init = world_fork(s->k, pidsim_host_init(s->k), PIDSIM_CLONE_NEWPID);
	s->server = s->init ? world_fork(s->k, s->init, 0) : PIDSIM_NO_TASK;
	for (int i = 0; i < LIVE; i++)
		if (!s->server || !(s->members[i] = world_fork(s->k, s->init, 0)))
			return false;
	for (int i = 0; i < OWNERS; i++) {
		int pid = pidsim_pid_of(s->k, s->server, s->members[i]);

		s->owner[i] = s->members[i];
		s->obj[i] = pidsim_setown(s->k, s->server, pid);
		if (s->obj[i] < 0)
			abort();
	}
	return true;
}

/* x cycles of: a random member exits, init reaps it, init forks another. */
static void churn(struct nt_state *s, long cycles)
{
	struct rng r = { bench.seed ^ 0x5e7013 };

	for (long c = 0; c < cycles; c++) {
		size_t i = rng_below(&r, LIVE);
		int pid = pidsim_pid_of(s->k, s->init, s->members[i]), status;

		if (pidsim_exit(s->k, s->members[i], 0) ||
		    pidsim_wait(s->k, s->init, pid, &status) != pid)
			abort();
		s->members[i] = world_fork(s->k, s->init, 0);
		if (!s->members[i])
			abort();	/* a task just left: its number is free */
	}
}

/* Notify every object once: mis-deliveries and drops, counted. */
static void classify(struct nt_state *s, long *wrong, long *dropped)
{
	*wrong = *dropped = 0;
	for (int i = 0; i < OWNERS; i++) {
		pidsim_tid to;

		pidsim_notify(s->k, s->obj[i], 0, &to);
		if (to == PIDSIM_NO_TASK)
			++*dropped;
		else if (to != s->owner[i])
			++*wrong;
	}
}

static void notify_point(FILE *out, long cycles)
{
	struct subject s[BENCH_MAX_SUBJECTS];
	static struct nt_state st[BENCH_MAX_SUBJECTS];
	long wrong[BENCH_MAX_SUBJECTS] = { 0 }, dropped[BENCH_MAX_SUBJECTS] = { 0 };
	int n = subjects_init(s, false);
	struct need need = { 1, 1, PID_MAX };

	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(s[i].name);

		st[i].k = NULL;
		s[i].state = &st[i];
		s[i].run = run_notify;
		if (!design_supports(d, &need, s[i].skip, sizeof s[i].skip))
			continue;
		bench_progress("notify %ld: %s", cycles, s[i].name);
		if (!setup(&st[i], s[i].name)) {
			snprintf(s[i].skip, sizeof s[i].skip, "not supported by this "
				 "design: cannot hold %d tasks at pid_max %d", LIVE + 2,
				 PID_MAX);
			continue;
		}
		churn(&st[i], cycles);
		classify(&st[i], &wrong[i], &dropped[i]);
	}
	bench_measure(s, n);
	results_add_subjects(out, "notify", "time", cycles, s, n, "ns/notify", OWNERS);
	for (int i = 0; i < n; i++) {
		if (s[i].skip[0]) {
			pidsim_kernel_destroy(st[i].k);
			continue;
		}
		results_add_value(out, "notify", "misdelivered", cycles, s[i].name,
				  "%", 100.0 * wrong[i] / OWNERS, wrong[i],
				  "reached a task other than the owner");
		results_add_value(out, "notify", "dropped", cycles, s[i].name, "%",
				  100.0 * dropped[i] / OWNERS, dropped[i],
				  "owner gone, nobody reached");
		pidsim_kernel_destroy(st[i].k);
	}
}

static const long cycles_default[] = { 0, 8192, 32768, 131072, -1 };
static const long cycles_full[] = { 0, 2048, 8192, 16384, 32768, 65536, 131072,
				    262144, -1 };

void wl_notify(void)
{
	const long *cycles = bench.full ? cycles_full : cycles_default;
	FILE *out = results_open("notify", "exit+reap+fork cycles after setown",
		"setown on 4096 tasks of a container (8192 live, pid_max 32768), "
		"churn, then notify each");

	for (int i = 0; cycles[i] >= 0; i++)
		notify_point(out, cycles[i]);
	results_close(out);
	bench_progress_done();
}
