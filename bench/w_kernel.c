/*
 * w_kernel.c - the real Linux kernel on this machine, for scale: getpid,
 * getppid, kill(pid, 0) and fork + exit + waitpid, made in the bench's own
 * pid namespace (level 0) and in real pid namespaces nested one and two
 * deep (unshare(CLONE_NEWPID) and fork, which needs root).
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

#define LEVELS 3

enum kcall { K_GETPID, K_GETPPID, K_KILL0, K_FORK, NR_KCALLS };
static const char *const kcall_name[NR_KCALLS] = {
	"getpid", "getppid", "kill0", "fork-exit-wait",
};

/* What one level sends back through the pipe. */
struct kreport {
	int level;
	int err;			/* 0, or the errno of unshare/fork */
	struct bench_stats st[NR_KCALLS];
};

struct kstate {
	enum kcall call;
	pid_t kid;			/* a sleeping child, for kill */
};

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
		default:
			pid = fork();
			if (pid == 0)
				_exit(0);
			sum += (uint64_t)waitpid(pid, NULL, 0);
			break;
		}
	}
	return sum;
}

/* Time every call at the level this process is in. */
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

/* Measure here, then in a new pid namespace one level down (this
 * process's next child is its init), until LEVELS. */
static void chain(int level, int fd)
{
	struct kreport rep = { .level = level };
	pid_t pid;

	measure_level(&rep);
	if (write(fd, &rep, sizeof rep) != sizeof rep)
		_exit(1);
	if (level + 1 >= LEVELS)
		return;
	memset(&rep, 0, sizeof rep);
	rep.level = level + 1;
	if (unshare(CLONE_NEWPID) < 0 || (pid = fork()) < 0) {
		rep.err = errno;
		if (write(fd, &rep, sizeof rep) != sizeof rep)
			_exit(1);
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

		memset(&r, 0, sizeof r);
		snprintf(r.workload, sizeof r.workload, "kernel");
		snprintf(r.variant, sizeof r.variant, "%s", kcall_name[c]);
		snprintf(r.subject, sizeof r.subject, "linux");
		snprintf(r.unit, sizeof r.unit, "ns/call");
		r.x = rep->level;
		r.st = rep->st[c];
		if (rep->err) {
			r.st.median = r.st.min = r.st.max = NAN;
			snprintf(note, sizeof note, "unavailable: unshare(CLONE_NEWPID): %s",
				 strerror(rep->err));
			snprintf(r.note, sizeof r.note, "%s", note);
		} else {
			snprintf(r.note, sizeof r.note, "real system calls, not the model");
		}
		results_add(out, &r);
	}
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
	bench_progress("kernel: real system calls in nested pid namespaces");
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		perror("bench: kernel");
		results_close(out);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
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
