/*
 * owner.c - stored owners, F_SETOWN's: a kernel object keeps the task
 * that owns it for a later signal (send_sigio()) as the design keeps it,
 * a number or a weak reference, which is where the designs part ways on
 * an owner whose number was reused (the seed's "expired references").
 */
#include <errno.h>
#include <limits.h>

#include "task.h"

static struct ps_owner *owner_find(pidsim_kernel *k, int obj)
{
	if (obj < 0 || obj >= k->nr_owners || !k->owners[obj].used)
		return NULL;
	return &k->owners[obj];
}

/* The task o's stored owner reaches now: pid_task() of what the design
 * finds, so a number kept by the remains of a reaped leader reaches no
 * task. */
static struct ps_task *owner_task(pidsim_kernel *k, const struct ps_owner *o)
{
	struct ps_task *t = k->design->owner_find(k, o);

	return t && t->state != PS_REAPED ? t : NULL;
}

/* A free object id, growing the table if needed: the id or -ENOMEM.
 * Free ids are chained through u.nr, most recently closed first. */
static int owner_slot(pidsim_kernel *k)
{
	int obj = k->free_owner;

	if (obj >= 0) {
		k->free_owner = k->owners[obj].u.nr;
		return obj;
	}
	if (ps_owner_reserve(k, 1))
		return -ENOMEM;
	return k->nr_owners++;
}

/* f_setown(): the owner is found in the caller's view now, and kept as the
 * design keeps it for later. */
int pidsim_setown(pidsim_kernel *k, pidsim_tid cur_tid, int pid)
{
	struct ps_task *cur, *t;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	if (pid <= 0)
		return -EINVAL;
	t = find_task(k, cur->ct, pid);
	if (!t)
		return -ESRCH;
	return ps_owner_add(k, t);
}

/* send_sigio(): from kernel context, whatever the stored owner is now. */
int pidsim_notify(pidsim_kernel *k, int obj, int sig, pidsim_tid *to)
{
	struct ps_owner *o;
	struct ps_task *t;
	int err;

	if (!k)
		return -EINVAL;
	o = owner_find(k, obj);
	if (!o)
		return -EBADF;
	err = ps_sig_valid(sig);
	if (err)
		return err;
	t = owner_task(k, o);
	if (to)
		*to = t ? t->ref : PIDSIM_NO_TASK;
	if (!t)
		return -ESRCH;
	return ps_send_signal(k, NULL, t, sig);
}

int pidsim_owner_close(pidsim_kernel *k, int obj)
{
	struct ps_owner *o;

	if (!k)
		return -EINVAL;
	o = owner_find(k, obj);
	if (!o)
		return -EBADF;
	o->used = false;
	o->u.nr = k->free_owner;
	k->free_owner = obj;
	return 0;
}

int ps_owner_reserve(pidsim_kernel *k, unsigned n)
{
	long cap = k->cap_owners ? k->cap_owners : 16;
	void *p = k->owners;

	if ((unsigned)(k->cap_owners - k->nr_owners) >= n)
		return 0;
	if (n > (unsigned)(INT_MAX / 4 - k->nr_owners))
		return -ENOMEM;
	while (cap - k->nr_owners < (long)n)
		cap *= 2;
	if (ps_realloc(&k->mem, &p, (size_t)k->cap_owners * sizeof *k->owners,
		       (size_t)cap * sizeof *k->owners))
		return -ENOMEM;
	k->owners = p;
	k->cap_owners = (int)cap;
	return 0;
}

int ps_owner_add(pidsim_kernel *k, const struct ps_task *t)
{
	int obj = owner_slot(k);

	if (obj < 0)
		return obj;
	k->owners[obj].used = true;
	k->design->owner_set(k, &k->owners[obj], t);
	return obj;
}

int ps_owner_count(const pidsim_kernel *k)
{
	return k->nr_owners;
}

struct ps_task *ps_owner_task(pidsim_kernel *k, int obj)
{
	const struct ps_owner *o = owner_find(k, obj);

	return o ? owner_task(k, o) : NULL;
}
