/*
 * run_limits.c - the limit a design records that a failed call hit, so
 * that the cell can say it ("EAGAIN [limit: max_containers 4]") and the
 * comparison can allow the difference (run_compare.c).  The library says
 * which limit refused a call (pidsim_limit_hit(), pidsim_design_allows());
 * the runner only writes it down, and adds the run's own task budget.
 */
#include <errno.h>
#include <stdio.h>

#include "run.h"

/* Record that the outcome is a limit: "max_tasks 1024" (v < 0: the words
 * alone). */
void run_note_limit(struct design_run *d, const char *what, int v)
{
	if (v >= 0)
		snprintf(d->outcome.limit, sizeof d->outcome.limit, "%s %d", what, v);
	else
		snprintf(d->outcome.limit, sizeof d->outcome.limit, "%s", what);
}

/* Record the limit, if any, that refused the last failed fork, restore
 * or migrate on k. */
void run_note_limit_hit(struct design_run *d, pidsim_kernel *k)
{
	pidsim_limit_format(pidsim_kernel_design(k), pidsim_limit_hit(k),
			    d->outcome.limit, sizeof d->outcome.limit);
}

/* Whether a kernel that failed to boot with pid_max asked past the
 * design's max_pid_max. */
void run_boot_limit(struct design_run *d, const struct pidsim_design_info *info,
		    int pid_max, int ret)
{
	struct pidsim_needs needs = { .pid_max = pid_max };

	if (ret == -EINVAL)
		pidsim_limit_format(info, pidsim_design_allows(info, &needs),
				    d->outcome.limit, sizeof d->outcome.limit);
}
