/* harness.c - trials, seeds, crash capture and shrinking (see prop.h). */
#define _GNU_SOURCE
#include "prop.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WHY_SIZE 2048

/* ---- Seeds and environment ------------------------------------------------ */

uint64_t prop_trial_seed(uint64_t s, uint64_t i)
{
	struct prop_rng r = { s ^ (i * 0xd1b54a32d192ed03ull) };

	return i == 0 ? s : prop_rng_next(&r);
}

uint64_t prop_env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "prop: %s=%s is not a number; using %" PRIu64 "\n",
			name, v, def);
		return def;
	}
	return n;
}

uint64_t prop_env_seed(uint64_t def)
{
	const char *v = getenv("PIDSIM_SEED");
	struct timespec ts;

	if (v && strcmp(v, "time") == 0) {
		struct prop_rng r;

		clock_gettime(CLOCK_REALTIME, &ts);
		r.s = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		return prop_rng_next(&r);
	}
	return prop_env_u64("PIDSIM_SEED", def);
}

/* ---- Crash capture --------------------------------------------------------- */

static sigjmp_buf crash_jmp;
static volatile sig_atomic_t in_trial;
static volatile sig_atomic_t crash_sig;
static volatile uint64_t current_seed;
static const char *current_name = "";

static void on_crash(int sig)
{
	if (in_trial) {
		in_trial = 0;
		crash_sig = sig;
		siglongjmp(crash_jmp, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A sanitizer that ends the process says which trial it was in. */
static void on_sanitizer_death(void)
{
	if (in_trial)
		fprintf(stderr, "== ERROR '%s': the sanitizer stopped trial seed "
			"0x%016" PRIx64 "; replay with PIDSIM_SEED=0x%016" PRIx64
			" PIDSIM_TRIALS=1\n", current_name, current_seed, current_seed);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define PROP_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PROP_SANITIZED 1
#endif

#ifdef PROP_SANITIZED
void __sanitizer_set_death_callback(void (*callback)(void));
#endif

static void install_handlers(void)
{
	static bool done;
	struct sigaction sa;
	int sigs[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };

	if (done)
		return;
	done = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
#ifdef PROP_SANITIZED
	__sanitizer_set_death_callback(on_sanitizer_death);
#else
	(void)on_sanitizer_death;
#endif
}

/* Check instance in this process, a crash turned into ERROR. */
static enum prop_result check_here(const struct prop *p, const void *inst,
				   char *why)
{
	/* volatile: read after a siglongjmp */
	volatile enum prop_result res = PROP_ERROR;

	why[0] = '\0';
	if (sigsetjmp(crash_jmp, 1) == 0) {
		in_trial = 1;
		res = p->check(inst, p->env, why, WHY_SIZE);
		in_trial = 0;
	} else {
		snprintf(why, WHY_SIZE, "crashed with signal %d (%s)", (int)crash_sig,
			 strsignal(crash_sig));
		res = PROP_ERROR;
	}
	return res;
}

/* Check instance in a child process: a crash, a sanitizer report or a
 * corrupted heap there cannot reach us.  The child's stderr is dropped
 * unless loud. */
static enum prop_result check_forked(const struct prop *p, const void *inst,
				     char *why, bool loud)
{
	int fds[2], status;
	pid_t pid;
	ssize_t n, got = 0;

	why[0] = '\0';
	fflush(NULL);
	if (pipe(fds) < 0)
		return check_here(p, inst, why);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return check_here(p, inst, why);
	}
	if (pid == 0) {
		enum prop_result r;
		char buf[WHY_SIZE];

		close(fds[0]);
		if (!loud) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, 2);
				dup2(fd, 1);
			}
		}
		in_trial = 0;
		signal(SIGSEGV, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
		r = p->check(inst, p->env, buf, sizeof buf);
		if (r != PROP_PASS && write(fds[1], buf, strlen(buf)) < 0)
			_exit(100);
		_exit(10 + (int)r);
	}
	close(fds[1]);
	while ((n = read(fds[0], why + got, (size_t)(WHY_SIZE - 1 - got))) > 0)
		got += n;
	why[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return PROP_ERROR;
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 10 &&
	    WEXITSTATUS(status) <= 10 + PROP_ERROR)
		return (enum prop_result)(WEXITSTATUS(status) - 10);
	if (WIFSIGNALED(status))
		snprintf(why, WHY_SIZE, "crashed with signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(why, WHY_SIZE, "the child ended with status %d "
			 "(a sanitizer report?)", WEXITSTATUS(status));
	return PROP_ERROR;
}

/* ---- Shrinking ------------------------------------------------------------- */

/* theft's loop: try tactics in order; on a simpler instance that still
 * fails the same way, keep it and start over from tactic 0. */
static void *shrink(const struct prop *p, const struct prop_config *c,
		    void *inst, enum prop_result want, bool forked,
		    unsigned *steps)
{
	unsigned max = c->max_shrinks ? c->max_shrinks : 20000, evals = 0;
	char why[WHY_SIZE];
	uint32_t tactic = 0;

	*steps = 0;
	while (evals < max) {
		void *cand = NULL;
		enum prop_shrink s = p->type->shrink(inst, tactic, p->env, &cand);
		enum prop_result r;

		if (s == PROP_SHRINK_NO_MORE_TACTICS)
			break;
		if (s == PROP_SHRINK_DEAD_END) {
			tactic++;
			continue;
		}
		evals++;
		r = forked ? check_forked(p, cand, why, false)
			   : check_here(p, cand, why);
		if (r == PROP_ERROR && want != PROP_ERROR && !forked) {
			/* a candidate crashed: the rest runs in children */
			p->type->free(cand, p->env);
			forked = true;
			continue;
		}
		if (r == want) {
			p->type->free(inst, p->env);
			inst = cand;
			tactic = 0;
			++*steps;
		} else {
			p->type->free(cand, p->env);
			tactic++;
		}
	}
	return inst;
}

/* ---- Trials ---------------------------------------------------------------- */

static void report_failure(const struct prop *p, const struct prop_config *c,
			   void *inst, enum prop_result res, uint64_t trial,
			   uint64_t seed, bool forked)
{
	char why[WHY_SIZE];
	size_t before = p->type->size ? p->type->size(inst, p->env) : 0;
	unsigned steps = 0;

	if (c->shrink)
		inst = shrink(p, c, inst, res, forked, &steps);
	res = forked ? check_forked(p, inst, why, true) : check_here(p, inst, why);
	printf("== %s '%s': trial %" PRIu64 ", seed 0x%016" PRIx64 "\n",
	       res == PROP_ERROR ? "ERROR" : "FAIL", p->name, trial, seed);
	if (c->shrink && p->type->size)
		printf("   shrunk from %zu to %zu in %u steps\n", before,
		       p->type->size(inst, p->env), steps);
	if (p->report) {
		p->report(stdout, inst, p->env, seed, why);
	} else {
		printf("   %s\n", why);
		if (p->type->print)
			p->type->print(stdout, inst, p->env);
	}
	fflush(stdout);
	p->type->free(inst, p->env);
}

int prop_run(const struct prop *p, const struct prop_config *c,
	     struct prop_outcome *out)
{
	uint64_t total = c->nr_always + c->trials;
	struct timespec t0, t1;
	char why[WHY_SIZE];

	install_handlers();
	memset(out, 0, sizeof *out);
	current_name = p->name;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!c->quiet) {
		printf("== PROP '%s': %" PRIu64 " trials (%zu regression seeds), "
		       "seed 0x%016" PRIx64 "\n", p->name, total, c->nr_always, c->seed);
		fflush(stdout);
	}
	for (uint64_t i = 0; i < total; i++) {
		uint64_t seed = i < c->nr_always ? c->always[i]
						 : prop_trial_seed(c->seed, i - c->nr_always);
		struct prop_rng rng = { seed };
		void *inst;
		enum prop_result r;

		current_seed = seed;
		inst = p->type->alloc(&rng, p->env);
		r = check_here(p, inst, why);
		out->trials++;
		switch (r) {
		case PROP_PASS: out->pass++; break;
		case PROP_SKIP: out->skip++; break;
		case PROP_FAIL: out->fail++; break;
		case PROP_ERROR: out->error++; break;
		}
		if (r == PROP_PASS || r == PROP_SKIP) {
			p->type->free(inst, p->env);
			continue;
		}
		if (!out->first_fail) {
			out->first_fail = i + 1;
			out->fail_seed = seed;
		}
		/* After a crash this process's heap is suspect: shrink in
		 * children, and stop. */
		out->crashed = r == PROP_ERROR && strstr(why, "crashed");
		report_failure(p, c, inst, r, i + 1, seed, out->crashed);
		if (c->stop_first || out->crashed)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!c->quiet) {
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
			      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		printf("== %s '%s': pass %" PRIu64 ", fail %" PRIu64 ", skip %" PRIu64
		       ", error %" PRIu64 "; %" PRIu64 " operations, %.1f s\n",
		       out->fail || out->error ? "FAIL" : "PASS", p->name, out->pass,
		       out->fail, out->skip, out->error, p->ops ? *p->ops : 0, secs);
		fflush(stdout);
	}
	return out->fail || out->error ? -1 : 0;
}
