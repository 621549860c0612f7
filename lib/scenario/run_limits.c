/*
 * run_limits.c - which limit a design records a failed call hit, so that
 * the cell can say it ("EAGAIN [limit: max_containers 4]") and the
 * comparison can allow the difference (run_compare.c).
 *
 * Kept in one place on purpose: this is a classification after the fact
 * of limits that lib/task.c and lib/ckpt/migrate.c enforce, and it is to
 * be replaced by one library call that says, for every design limit, what
 * it is, enforces it and explains it (issue 13).  Moved here unchanged.
 */
#include <errno.h>
#include <stdio.h>

#include "run.h"

/* Record that the outcome is a limit the design states: "max_level 32". */
void run_note_limit(struct design_run *d, const char *what, int v)
{
	if (v >= 0)
		snprintf(d->outcome.limit, sizeof d->outcome.limit, "%s %d", what, v);
	else
		snprintf(d->outcome.limit, sizeof d->outcome.limit, "%s", what);
}

/* Whether a kernel that failed to boot with pid_max asked past the
 * design's max_pid_max. */
void run_boot_limit(struct design_run *d, const struct pidsim_design_info *info,
		    int pid_max, int ret)
{
	if (ret == -EINVAL && pid_max > info->max_pid_max)
		run_note_limit(d, "max_pid_max", info->max_pid_max);
}

/* Whether a fork(flags) by cur in a container is below the pid_max the
 * design needs there (min_ct_pid_max). */
static bool below_min_ct_pid_max(pidsim_kernel *k, pidsim_tid cur, unsigned flags)
{
	const struct pidsim_design_info *info = pidsim_kernel_design(k);

	return !(flags & PIDSIM_CLONE_NEWPID) && info->min_ct_pid_max &&
	       pidsim_kernel_pid_max(k) < info->min_ct_pid_max &&
	       pidsim_level_of(k, cur) > 0;
}

/* Whether a failed fork hit a limit the design records. */
void run_fork_limit(struct design_run *d, pidsim_kernel *k, pidsim_tid cur,
		    unsigned flags, int ret)
{
	const struct pidsim_design_info *info = pidsim_kernel_design(k);
	struct pidsim_census c;

	pidsim_census_get(k, &c);
	if ((flags & PIDSIM_CLONE_NEWPID) && ret == info->level_errno &&
	    pidsim_level_of(k, cur) >= info->max_level)
		run_note_limit(d, "max_level", info->max_level);
	else if ((flags & PIDSIM_CLONE_NEWPID) && ret == -EAGAIN &&
		 info->max_containers && c.containers - 1 >= info->max_containers)
		run_note_limit(d, "max_containers", (int)info->max_containers);
	else if (ret == -EAGAIN && below_min_ct_pid_max(k, cur, flags))
		run_note_limit(d, "min_ct_pid_max", info->min_ct_pid_max);
	else if (ret == -EAGAIN && (info->flags & PIDSIM_D_SHARED_RANGE))
		run_note_limit(d, "shared pid range full", -1);
}

/* Whether a failed restore hit a limit the target's design records. */
void run_restore_limit(struct design_run *d, pidsim_kernel *k, int ret)
{
	const struct pidsim_design_info *info = pidsim_kernel_design(k);

	if (ret == info->level_errno)
		run_note_limit(d, "max_level", info->max_level);
	else if (ret == -EAGAIN && info->max_containers)
		run_note_limit(d, "max_containers", (int)info->max_containers);
	else if (ret == -EAGAIN && (info->flags & PIDSIM_D_SHARED_RANGE))
		run_note_limit(d, "shared pid range full", -1);
}
