/*
 * w_calls.c - the user/kernel crossing: what a pid conversion costs per
 * call.  getpid, getppid, kill(pid, 0) and waitpid(pid, WNOHANG) on a
 * running child, made by a task on the host (level 0), in a container
 * (level 1) and in a container nested in it (level 2).
 *
 * getpid from the host is the model's constant overhead: resolving the
 * caller's handle (a weak-reference slot compare), checking it runs, and
 * the call through the design's table, with no pid work to speak of in
 * any design.  Subtract it from the other rows to see the design's cost.
 *
 * Every pass times the floor beside the designs, so that each call's
 * ratio is taken within the same rounds: a plain array of tasks indexed
 * by pid doing the least the call must (getpid: read the caller's
 * number; getppid: its parent's; kill(pid, 0): find the target and
 * compare its owner; waitpid on a running child: find it and check its
 * parent and state).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define LEVELS 3
#define TASKS_PER_LEVEL 1024
#define NQ 4096

enum call { GETPID, GETPPID, KILL0, WAIT, NR_CALLS };
static const char *const call_name[NR_CALLS] = { "getpid", "getppid", "kill0", "wait" };

struct call_state {
	pidsim_kernel *k;	/* a design, or NULL: the floor */
	enum call call;
	pidsim_tid cur;
	int kid;		/* cur's running child, as cur sees it */
	int targets[NQ];	/* pids cur sees, for kill */
	size_t pos;
};

/* The floor's tasks: pids 1..TASKS_PER_LEVEL, each one's parent pid 1
 * but the kid's (FLOOR_CUR's child). */
#define FLOOR_CUR 2
#define FLOOR_KID 3
static struct floor_array floor_arr;
static struct floor_task floor_tasks[TASKS_PER_LEVEL + 1];

static void floor_setup(void)
{
	floor_array_init(&floor_arr, PIDSIM_PID_MAX_DEFAULT);
	for (int pid = 1; pid <= TASKS_PER_LEVEL; pid++) {
		struct floor_task *t = &floor_tasks[pid];

		t->handle = (uint64_t)pid;
		t->parent = &floor_tasks[pid == FLOOR_KID ? FLOOR_CUR : 1];
		floor_arr.slot[pid] = t;
	}
}

static uint64_t run_floor(void *p, uint64_t iters)
{
	struct call_state *s = p;
	struct floor_task **slot = floor_arr.slot;
	const struct floor_task *cur = slot[s->cur];
	uint64_t sum = 0;
	size_t i = s->pos;

	/* The barrier makes each call read the task again, as a call would:
	 * without it the compiler hoists the loads out of the loop. */
	switch (s->call) {
	case GETPID:
		for (uint64_t n = 0; n < iters; n++) {
			__asm__ volatile("" ::: "memory");
			sum += slot[s->cur]->handle;
		}
		break;
	case GETPPID:
		for (uint64_t n = 0; n < iters; n++) {
			__asm__ volatile("" ::: "memory");
			sum += slot[s->cur]->parent->handle;
		}
		break;
	case KILL0:
		for (uint64_t n = 0; n < iters; n++, i = (i + 1) % NQ) {
			const struct floor_task *t = slot[s->targets[i]];

			sum += t ? t->parent == cur->parent : (uint64_t)-3;
		}
		break;
	case WAIT:
		for (uint64_t n = 0; n < iters; n++) {
			const struct floor_task *t;

			__asm__ volatile("" ::: "memory");
			t = slot[s->kid];
			sum += t && t->parent == slot[s->cur] ? 0 : (uint64_t)-10;
		}
		break;
	default:
		abort();
	}
	s->pos = i;
	return sum;
}

static uint64_t run_call(void *p, uint64_t iters)
{
	struct call_state *s = p;
	uint64_t sum = 0;
	size_t i = s->pos;

	switch (s->call) {
	case GETPID:
		for (uint64_t n = 0; n < iters; n++)
			sum += (uint64_t)pidsim_getpid(s->k, s->cur);
		break;
	case GETPPID:
		for (uint64_t n = 0; n < iters; n++)
			sum += (uint64_t)pidsim_getppid(s->k, s->cur);
		break;
	case KILL0:
		for (uint64_t n = 0; n < iters; n++, i = (i + 1) % NQ)
			sum += (uint64_t)pidsim_kill(s->k, s->cur, s->targets[i], 0);
		break;
	case WAIT:
		for (uint64_t n = 0; n < iters; n++)
			sum += (uint64_t)pidsim_wait(s->k, s->cur, s->kid, NULL);
		break;
	default:
		abort();
	}
	s->pos = i;
	return sum;
}

/*
 * The image: host, a container, a container in it, each level with
 * TASKS_PER_LEVEL tasks; at each level a worker (a child of the level's
 * init) with one running child.  Fills workers[level] and kids[level].
 */
static void build(pidsim_kernel *k, int levels, pidsim_tid *workers,
		  pidsim_tid *kids)
{
	pidsim_tid init = pidsim_host_init(k);

	for (int l = 0; l < levels; l++) {
		pidsim_tid w;

		if (l > 0)
			init = world_fork(k, workers[l - 1], PIDSIM_CLONE_NEWPID);
		w = world_fork(k, init, 0);
		kids[l] = world_fork(k, w, 0);
		world_fill(k, init, 3, TASKS_PER_LEVEL);
		workers[l] = w;
	}
}

static void setup_floor_state(struct call_state *cs, enum call call)
{
	struct rng r = { bench.seed };

	cs->k = NULL;
	cs->call = call;
	cs->cur = FLOOR_CUR;
	cs->kid = FLOOR_KID;
	for (int i = 0; i < NQ; i++)
		cs->targets[i] = 1 + (int)rng_below(&r, TASKS_PER_LEVEL);
}

static void setup_state(struct call_state *cs, pidsim_kernel *k, pidsim_tid cur,
			pidsim_tid kid, enum call call)
{
	size_t n;
	int *pids = world_pids(k, cur, &n);
	struct rng r = { bench.seed };

	cs->k = k;
	cs->call = call;
	cs->cur = cur;
	for (int i = 0; i < NQ; i++)
		cs->targets[i] = pids[rng_below(&r, n)];
	cs->kid = pidsim_pid_of(k, cur, kid);
	free(pids);
}

void wl_calls(void)
{
	struct subject s[BENCH_MAX_SUBJECTS];
	static struct call_state st[NR_CALLS][BENCH_MAX_SUBJECTS];
	pidsim_kernel *k[BENCH_MAX_SUBJECTS] = { 0 };
	pidsim_tid workers[BENCH_MAX_SUBJECTS][LEVELS], kids[BENCH_MAX_SUBJECTS][LEVELS];
	int n = subjects_init(s, true);
	FILE *out;

	if (n && !strcmp(s[n - 1].name, "radix"))
		n--;		/* a call makes at most one lookup: the array is its floor */
	out = results_open("calls", "container level of the caller "
		"(0: host)", "one system call through the public API; "
		"getpid from the host is the model's constant overhead; array: "
		"the floor, the least each call does, in every pass");

	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(s[i].name);
		int levels;

		if (!d)
			continue;
		levels = d->max_level + 1 < LEVELS ? d->max_level + 1 : LEVELS;
		k[i] = world_kernel(s[i].name, 0);
		build(k[i], levels, workers[i], kids[i]);
	}
	floor_setup();
	for (int l = 0; l < LEVELS; l++) {
		for (int c = 0; c < NR_CALLS; c++) {
			struct need need = { l, (unsigned)l, PIDSIM_PID_MAX_DEFAULT };

			for (int i = 0; i < n; i++) {
				const struct pidsim_design_info *d =
					pidsim_design_find(s[i].name);

				if (!d) {
					setup_floor_state(&st[c][i], (enum call)c);
					s[i].state = &st[c][i];
					s[i].run = run_floor;
					continue;
				}
				s[i].skip[0] = 0;
				if (!design_supports(d, &need, s[i].skip, sizeof s[i].skip))
					continue;
				setup_state(&st[c][i], k[i], workers[i][l], kids[i][l],
					    (enum call)c);
				s[i].state = &st[c][i];
				s[i].run = run_call;
			}
			bench_progress("calls: %s at level %d", call_name[c], l);
			bench_measure(s, n);
			results_add_subjects(out, "calls", call_name[c], l, s, n,
					     "ns/call", TASKS_PER_LEVEL);
		}
	}
	for (int i = 0; i < n; i++)
		if (k[i])
			pidsim_kernel_destroy(k[i]);
	floor_array_fini(&floor_arr);
	results_close(out);
	bench_progress_done();
}
