/*
 * w_kernel.c - the real Linux kernel on this machine, for scale: getpid,
 * getppid, kill(pid, 0), fork + exit + waitpid and vfork + exit + waitpid,
 * made in the bench's own pid namespace (level 0) and in real pid
 * namespaces nested below it (unshare(CLONE_NEWPID) and fork, which needs
 * root): every call at levels 0..2, the two forks alone at the deeper
 * levels of the depth sweep (depth_list(): 0..32 in a few steps, every level with FULL=1), for
 * the depth workload's chart.  A chain of processes, one per level, each
 * the init of the next level's namespace; it stops descending after
 * KERNEL_MAX_S seconds, and at the first level the kernel refuses
 * (Linux's MAX_PID_NS_LEVEL is 32 below init_pid_ns: -ENOSPC past it).
 *
 * The chain runs pinned to one CPU (pin_one_cpu()).
 *
 * This is a different kind of measurement from the rest: real system
 * calls (a mode switch, the kernel's own pid code, and for fork a copy of
 * an address space), not the model.  It says how much faster than the
 * real thing the model runs, and what a nested namespace costs Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define ALL_CALLS_LEVELS 3	/* every call at levels 0..2, DEEP_CALLS deeper */
#define KERNEL_MAX_S 60.0	/* stop descending after this long */

/*
 * fork copies the address space, which on a virtual machine whose page
 * faults are slow costs milliseconds and hides the pid work; vfork shares
 * it, so vfork + exit + waitpid is mostly the kernel's process creation
 * and reaping, alloc_pid() and free_pid() at every level included.
 */
enum kcall { K_GETPID, K_GETPPID, K_KILL0, K_FORK, K_VFORK, NR_KCALLS };
static const char *const kcall_name[NR_KCALLS] = {
	"getpid", "getppid", "kill0", "fork-exit-wait", "vfork-exit-wait",
};
#define DEEP_CALLS ((1u << K_FORK) | (1u << K_VFORK))	/* below level 2 */

/* What one level sends back through the pipe. */
struct kreport {
	int level;
	int err;			/* 0, or the errno of unshare/fork; -1: time */
	unsigned calls;			/* bit c: call c measured */
	struct bench_stats st[NR_KCALLS];
};

/* The levels measured (depth_list()), and the deepest. */
static int klevels[PIDSIM_MAX_LEVEL + 1], nklevels;
static double kstart;

static bool measured_at(int level)
{
	for (int i = 0; i < nklevels; i++)
		if (klevels[i] == level)
			return true;
	return false;
}

struct kstate {
	enum kcall call;
	pid_t kid;			/* a sleeping child, for kill */
};

/* One vfork + _exit + waitpid, in a frame of its own: the parent resumes
 * in it after the child's _exit, with nothing of the caller's to clobber. */
static __attribute__((noinline)) pid_t vfork_round_trip(void)
{
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	return waitpid(pid, NULL, 0);
}

static uint64_t run_kcall(void *p, uint64_t iters)
{
	struct kstate *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		pid_t pid;

		switch (s->call) {
		case K_GETPID:	/* glibc no longer caches getpid, but be sure */
			sum += (uint64_t)syscall(SYS_getpid);
			break;
		case K_GETPPID:
			sum += (uint64_t)syscall(SYS_getppid);
			break;
		case K_KILL0:
			sum += (uint64_t)kill(s->kid, 0);
			break;
		case K_FORK:
			pid = fork();
			if (pid == 0)
				_exit(0);
			sum += (uint64_t)waitpid(pid, NULL, 0);
			break;
		default:
			sum += (uint64_t)vfork_round_trip();
			break;
		}
	}
	return sum;
}

/* Time the calls at the level this process is in: all of them near the
 * top, the two forks alone deeper. */
static void measure_level(struct kreport *rep)
{
	struct kstate ks;
	struct subject s;

	ks.kid = fork();
	if (ks.kid == 0) {
		pause();
		_exit(0);
	}
	for (int c = 0; c < NR_KCALLS; c++) {
		if (rep->level >= ALL_CALLS_LEVELS && !(DEEP_CALLS & (1u << c)))
			continue;
		rep->calls |= 1u << c;
		memset(&s, 0, sizeof s);
		ks.call = (enum kcall)c;
		s.state = &ks;
		s.run = run_kcall;
		bench_measure(&s, 1);
		rep->st[c] = s.st;
	}
	kill(ks.kid, SIGKILL);
	waitpid(ks.kid, NULL, 0);
}

/* Report that the measured levels from `from` down were not reached. */
static void report_unreached(int from, int err, int fd)
{
	for (int l = from; l <= klevels[nklevels - 1]; l++) {
		struct kreport rep = { .level = l, .err = err, .calls = DEEP_CALLS };

		if (measured_at(l) && write(fd, &rep, sizeof rep) != sizeof rep)
			_exit(1);
	}
}

/* Measure here if this level is swept, then go one level down in a new
 * pid namespace (this process's next child is its init), to the deepest
 * level swept. */
static void chain(int level, int fd)
{
	struct kreport rep = { .level = level };
	pid_t pid;

	if (measured_at(level)) {
		bench_progress("kernel: real system calls at pid-namespace level %d", level);
		measure_level(&rep);
		if (write(fd, &rep, sizeof rep) != sizeof rep)
			_exit(1);
	}
	if (level + 1 > klevels[nklevels - 1])
		return;
	if (bench_now() - kstart > KERNEL_MAX_S) {
		report_unreached(level + 1, -1, fd);
		return;
	}
	if (unshare(CLONE_NEWPID) < 0 || (pid = fork()) < 0) {
		report_unreached(level + 1, errno, fd);
		return;
	}
	if (pid == 0) {
		chain(level + 1, fd);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void record(FILE *out, const struct kreport *rep)
{
	char note[96];

	for (int c = 0; c < NR_KCALLS; c++) {
		struct row r;

		if (!(rep->calls & (1u << c)))
			continue;
		memset(&r, 0, sizeof r);
		snprintf(r.workload, sizeof r.workload, "kernel");
		snprintf(r.variant, sizeof r.variant, "%s", kcall_name[c]);
		snprintf(r.subject, sizeof r.subject, "linux");
		snprintf(r.unit, sizeof r.unit, "ns/call");
		r.x = rep->level;
		r.st = rep->st[c];
		if (rep->err) {
			r.st.median = r.st.min = r.st.max = NAN;
			if (rep->err < 0)
				snprintf(note, sizeof note, "not reached: the chain "
					 "stops after %.0f s", KERNEL_MAX_S);
			else
				snprintf(note, sizeof note, "unavailable: "
					 "unshare(CLONE_NEWPID): %s", strerror(rep->err));
			snprintf(r.note, sizeof r.note, "%s", note);
		} else {
			snprintf(r.note, sizeof r.note, "real system calls, not the model");
		}
		results_add(out, &r);
	}
}

/*
 * Run the chain, and every child it forks, on one CPU.  A parent blocked
 * in waitpid() (and a vfork parent, until its child exits) then hands the
 * CPU straight to the child; spread over two CPUs, the child waits for
 * whatever else runs there, which on a busy two-core machine adds
 * milliseconds at random and swamps the kernel's own cost.
 */
static void pin_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

/* The bench's own pid-namespace depth, from NSpid in /proc/self/status. */
static int own_depth(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int depth = -1;

	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "NSpid:", 6))
			continue;
		depth = 0;
		for (char *p = line + 6; (p = strchr(p, '\t')); p++)
			depth++;
		depth--;
	}
	if (f)
		fclose(f);
	return depth;
}

void wl_kernel(void)
{
	FILE *out = results_open("kernel", "pid-namespace level below the bench's own",
		"the real Linux kernel: system calls, a different kind of measurement");
	struct kreport rep;
	int fds[2];
	pid_t pid;

	fprintf(out, "# the bench runs at pid-namespace depth %d\n", own_depth());
	fflush(out);
	nklevels = depth_list(klevels);
	kstart = bench_now();
	bench_progress("kernel: real system calls in nested pid namespaces");
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		perror("bench: kernel");
		results_close(out);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		pin_one_cpu();
		chain(0, fds[1]);
		_exit(0);
	}
	close(fds[1]);
	while (read(fds[0], &rep, sizeof rep) == sizeof rep)
		record(out, &rep);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	results_close(out);
	bench_progress_done();
}
