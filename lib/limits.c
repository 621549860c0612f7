/*
 * limits.c - what each recorded design limit is, how it is checked and
 * what it is called, in one place (pidsim.h: PIDSIM_LIMITS,
 * PIDSIM_DESIGN_FLAGS).
 *
 * A limit is a number in struct pidsim_design_info.  The calls that a
 * limit bounds (fork, restore, booting an image) ask
 * pidsim_design_allows() before they change anything, and say which
 * limit refused them (pidsim_limit_hit()); the scenario runner, the
 * command line and the benchmarks ask the same function, or read the
 * refusal, instead of guessing from an errno.  A new limit is a line in
 * PIDSIM_LIMITS and a case in the three functions below.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const limit_names[] = {
	[PIDSIM_LIMIT_NONE] = NULL,
#define PIDSIM_X(id, name) [PIDSIM_LIMIT_##id] = name,
	PIDSIM_LIMITS(PIDSIM_X)
#undef PIDSIM_X
};

#define NR_LIMITS (sizeof limit_names / sizeof limit_names[0])

enum pidsim_limit pidsim_design_allows(const struct pidsim_design_info *d,
				       const struct pidsim_needs *n)
{
	int pid_max;

	if (!d || !n)
		return PIDSIM_LIMIT_NONE;
	pid_max = n->pid_max ? n->pid_max : PIDSIM_PID_MAX_DEFAULT;
	if (n->level > d->max_level)
		return PIDSIM_LIMIT_MAX_LEVEL;
	if (d->max_containers && n->containers > d->max_containers)
		return PIDSIM_LIMIT_MAX_CONTAINERS;
	if (pid_max > d->max_pid_max)
		return PIDSIM_LIMIT_MAX_PID_MAX;
	if (n->forks_in_containers && d->min_ct_pid_max && pid_max < d->min_ct_pid_max)
		return PIDSIM_LIMIT_MIN_CT_PID_MAX;
	return PIDSIM_LIMIT_NONE;
}

/* The errno a call refused by limit l returns. */
int ps_limit_errno(const struct pidsim_design_info *d, enum pidsim_limit l)
{
	switch (l) {
	case PIDSIM_LIMIT_MAX_LEVEL:
		return d->level_errno;
	case PIDSIM_LIMIT_MAX_PID_MAX:
		return -EINVAL;
	case PIDSIM_LIMIT_MAX_CONTAINERS:
	case PIDSIM_LIMIT_MIN_CT_PID_MAX:
	case PIDSIM_LIMIT_SHARED_RANGE:
		return -EAGAIN;
	case PIDSIM_LIMIT_NONE:
		break;
	}
	return 0;
}

/*
 * A call that needed a number in ct's view got -EAGAIN from the design:
 * whether a recorded limit is why.  Below min_ct_pid_max a container has
 * no number for a task forked in it but its init (forked_in_ct; a new
 * container's init takes pid 1, a restore switches vpid-openvz to sparse
 * numbers); a design whose containers share one range
 * runs out for all of them at once.  Otherwise the view itself is full,
 * as on every design.
 */
enum pidsim_limit ps_limit_eagain(const pidsim_kernel *k,
				  const struct ps_container *ct, bool forked_in_ct)
{
	const struct pidsim_design_info *d = &k->design->info;

	if (forked_in_ct && ct->level > 0 && d->min_ct_pid_max &&
	    k->pid_max < d->min_ct_pid_max)
		return PIDSIM_LIMIT_MIN_CT_PID_MAX;
	if (d->flags & PIDSIM_D_SHARED_RANGE)
		return PIDSIM_LIMIT_SHARED_RANGE;
	return PIDSIM_LIMIT_NONE;
}

void ps_limit_refused(pidsim_kernel *k, enum pidsim_limit l)
{
	k->limit_hit = l;
}

enum pidsim_limit pidsim_limit_hit(const pidsim_kernel *k)
{
	return k ? k->limit_hit : PIDSIM_LIMIT_NONE;
}

const char *pidsim_limit_name(enum pidsim_limit l)
{
	return (unsigned)l < NR_LIMITS ? limit_names[l] : NULL;
}

/* The limit's value in d; -1 for a limit that has none. */
static long limit_value(const struct pidsim_design_info *d, enum pidsim_limit l)
{
	switch (l) {
	case PIDSIM_LIMIT_MAX_LEVEL:
		return d->max_level;
	case PIDSIM_LIMIT_MAX_CONTAINERS:
		return d->max_containers;
	case PIDSIM_LIMIT_MAX_PID_MAX:
		return d->max_pid_max;
	case PIDSIM_LIMIT_MIN_CT_PID_MAX:
		return d->min_ct_pid_max;
	case PIDSIM_LIMIT_SHARED_RANGE:
	case PIDSIM_LIMIT_NONE:
		break;
	}
	return -1;
}

int pidsim_limit_format(const struct pidsim_design_info *d, enum pidsim_limit l,
			char *buf, size_t size)
{
	const char *name = pidsim_limit_name(l);
	long v;

	if (!d || (!name && l != PIDSIM_LIMIT_NONE) || (!buf && size))
		return -EINVAL;
	if (!name)
		return snprintf(buf, size, "%s", "");
	v = limit_value(d, l);
	if (v < 0)
		return snprintf(buf, size, "%s", name);
	return snprintf(buf, size, "%s %ld", name, v);
}

/* ---- Design flags ---------------------------------------------------------- */

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
#define PIDSIM_X(id, bit, name, meaning) { bit, name },
	PIDSIM_DESIGN_FLAGS(PIDSIM_X)
#undef PIDSIM_X
};

const char *pidsim_flag_name(unsigned flag)
{
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].name;
	return NULL;
}

unsigned pidsim_flag_find(const char *name, size_t len)
{
	for (size_t i = 0; name && i < sizeof flag_names / sizeof flag_names[0]; i++)
		if (strlen(flag_names[i].name) == len &&
		    memcmp(flag_names[i].name, name, len) == 0)
			return flag_names[i].flag;
	return 0;
}
