/*
 * tour.c - pidsim as a library: on a kernel image of each design, the
 * host forks the init of a new container, the init forks a worker, the
 * host kills the worker through the qualified address (container, pid),
 * the init reaps it; then what each design counted.
 *
 * Build it against an installed pidsim:
 *   cc tour.c $(pkg-config --cflags --libs pidsim) -o tour
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pidsim.h>

/* Print what failed and give up on this design. */
static int failed(const char *design, const char *what, int err)
{
	fprintf(stderr, "tour: %s: %s: %s\n", design, what, pidsim_errname(err));
	return 1;
}

/* The tour on one design: 0, or 1 after saying what failed. */
static int tour(const struct pidsim_design_info *d)
{
	pidsim_kernel *k;
	pidsim_tid host, init, worker;
	struct pidsim_stats st;
	int ct_pid, worker_pid, status, ret;

	ret = pidsim_kernel_create(d->name, 0, &k);
	if (ret)
		return failed(d->name, "boot", ret);
	host = pidsim_host_init(k);

	ct_pid = pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	if (ct_pid < 0) {
		pidsim_kernel_destroy(k);
		return failed(d->name, "fork a container", ct_pid);
	}
	worker_pid = pidsim_fork(k, init, 0, &worker);
	if (worker_pid < 0) {
		pidsim_kernel_destroy(k);
		return failed(d->name, "fork in the container", worker_pid);
	}
	/* The host names the worker as its container numbers it. */
	ret = pidsim_kill_in(k, host, init, worker_pid, 9);
	if (ret == 0)
		ret = pidsim_wait(k, init, worker_pid, &status);
	if (ret < 0) {
		pidsim_kernel_destroy(k);
		return failed(d->name, "kill and wait", ret);
	}
	pidsim_stats_get(k, &st);
	printf("%-12s container init %d in the host's view, worker %d in its own;"
	       " reaped %d, killed by signal %d\n", d->name, ct_pid, worker_pid, ret,
	       status & 0x7f);
	printf("%-12s %llu lookups, %llu conversions, %llu pid-table probes, "
	       "%llu bytes\n", "", (unsigned long long)st.lookups,
	       (unsigned long long)st.conversions, (unsigned long long)st.probes,
	       (unsigned long long)st.bytes);
	pidsim_kernel_destroy(k);
	return 0;
}

int main(void)
{
	int bad = 0;

	printf("pidsim %s (header %s)\n", pidsim_version(), PIDSIM_VERSION);
	if (strcmp(pidsim_version(), PIDSIM_VERSION) != 0)
		bad = 1;
	for (size_t i = 0; i < pidsim_design_count(); i++)
		bad |= tour(pidsim_design_at(i));
	return bad ? EXIT_FAILURE : EXIT_SUCCESS;
}
