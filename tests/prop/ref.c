/* ref.c - the reference model (see ref.h).  Clarity over speed throughout:
 * every question is answered by a scan of a plain array. */
#include "ref.h"

#include "pidsim_image.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Linux's signal numbers, whatever the host's are. */
enum {
	SIG_KILL = 9, SIG_CHLD = 17, SIG_CONT = 18, SIG_STOP = 19, SIG_TTOU = 22,
	SIG_URG = 23, SIG_WINCH = 28, SIG_MAX = 64,
};

#define RESERVED_PIDS 300

static void *grow(void *arr, int *cap, int nr, size_t size)
{
	if (nr < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	arr = realloc(arr, (size_t)*cap * size);
	if (!arr)
		abort();
	return arr;
}

/* ---- Numbers ---------------------------------------------------------------- */

int ref_find_pid(const struct ref *r, int c, int nr)
{
	if (nr < 1)
		return -1;
	for (int i = 0; i < r->nr_nums; i++)
		if (r->nums[i].ct == c && r->nums[i].nr == nr)
			return r->nums[i].task;
	return -1;
}

int ref_find(const struct ref *r, int c, int nr)
{
	int t = ref_find_pid(r, c, nr);

	return t >= 0 && r->tasks[t].exists ? t : -1;
}

int ref_nr(const struct ref *r, int c, int t)
{
	for (int i = 0; i < r->nr_nums; i++)
		if (r->nums[i].ct == c && r->nums[i].task == t)
			return r->nums[i].nr;
	return 0;
}

static void take_nr(struct ref *r, int c, int t, int nr)
{
	r->nums = grow(r->nums, &r->cap_nums, r->nr_nums, sizeof *r->nums);
	r->nums[r->nr_nums++] = (struct ref_num){ t, c, nr };
}

static void drop_nrs(struct ref *r, int t)
{
	int j = 0;

	for (int i = 0; i < r->nr_nums; i++)
		if (r->nums[i].task != t)
			r->nums[j++] = r->nums[i];
	r->nr_nums = j;
}

/* Rule 3: the next free number after the view's last one, wrapping back to
 * RESERVED_PIDS once the cursor has passed it (to 1 before); 0 if full. */
static int next_free(const struct ref *r, int c)
{
	int last = r->cts[c].last;
	int low = last >= RESERVED_PIDS ? RESERVED_PIDS : 1;

	for (int n = last + 1; n < r->pid_max; n++)
		if (ref_find_pid(r, c, n) < 0)
			return n;
	for (int n = low; n <= last && n < r->pid_max; n++)
		if (ref_find_pid(r, c, n) < 0)
			return n;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int ref_list(const struct ref *r, int c, int *out)
{
	int n = 0;

	for (int i = 0; i < r->nr_nums; i++)
		if (r->nums[i].ct == c && r->tasks[r->nums[i].task].exists)
			out[n++] = r->nums[i].nr;
	qsort(out, (size_t)n, sizeof *out, cmp_int);
	return n;
}

/* ---- Questions ----------------------------------------------------------------- */

bool ref_running(const struct ref *r, int t)
{
	return t >= 0 && t < r->nr_tasks && r->tasks[t].exists &&
	       r->tasks[t].state == PIDSIM_RUNNING;
}

static bool exists(const struct ref *r, int t)
{
	return t >= 0 && t < r->nr_tasks && r->tasks[t].exists;
}

bool ref_is_init(const struct ref *r, int t)
{
	return r->cts[r->tasks[t].ct].init == t;
}

bool ref_ct_contains(const struct ref *r, int a, int b)
{
	for (; b >= 0; b = r->cts[b].parent)
		if (b == a)
			return true;
	return false;
}

/* Whether view c sees a task living in container own (whose parent is
 * up), which is own's init or not: rule 4 and the design's flags. */
static bool sees(const struct ref *r, int c, int own, int up, bool init)
{
	return c == own || (init && c == up) ||
	       ((r->flags & PIDSIM_D_HIERARCHICAL) && ref_ct_contains(r, c, up)) ||
	       (c == 0 && (r->flags & PIDSIM_D_HOST_SEES_ALL));
}

/* Whether view c numbers pid t, a task or the remains of one. */
static bool numbered(const struct ref *r, int c, int t)
{
	const struct ref_task *tk = &r->tasks[t];

	return sees(r, c, tk->ct, r->cts[tk->ct].parent, ref_is_init(r, t));
}

bool ref_visible(const struct ref *r, int c, int t)
{
	return r->tasks[t].exists && numbered(r, c, t);
}

/* Whether view c numbers a task of container own the design's own way. */
static bool adopted(const struct ref *r, int c, int own)
{
	if (r->flags & PIDSIM_D_RENUMBERS)
		return true;
	return c == 0 && own != 0 && (r->flags & PIDSIM_D_HOST_SEES_ALL) &&
	       !(r->flags & (PIDSIM_D_SHARED_RANGE | PIDSIM_D_HIERARCHICAL));
}

int ref_adopt_views(const struct ref *r, int t, int *views)
{
	int n = 0;

	for (int c = 0; c < r->nr_cts; c++)
		if (r->cts[c].exists && ref_visible(r, c, t) &&
		    adopted(r, c, r->tasks[t].ct))
			views[n++] = c;
	return n;
}

const char *ref_adopt(struct ref *r, int c, int t, int nr)
{
	if (nr <= 0)
		return "the task has no number in a view that must see it";
	if ((r->flags & PIDSIM_D_RENUMBERS) && nr >= r->pid_max)
		return "the number is not below pid_max";
	if (ref_find_pid(r, c, nr) >= 0)
		return "the number is already held in this view";
	if (c == r->tasks[t].ct && ref_is_init(r, t) && nr != 1)
		return "a container's init is not pid 1 in its container (rule 2)";
	take_nr(r, c, t, nr);
	return NULL;
}

/* ---- Set-up ------------------------------------------------------------------- */

static int new_ct(struct ref *r, int parent)
{
	r->cts = grow(r->cts, &r->cap_cts, r->nr_cts, sizeof *r->cts);
	r->cts[r->nr_cts] = (struct ref_ct){
		.exists = true, .parent = parent, .init = -1,
		.level = parent < 0 ? 0 : r->cts[parent].level + 1, .last = 0,
	};
	return r->nr_cts++;
}

static int new_task(struct ref *r, int ct, int parent)
{
	r->tasks = grow(r->tasks, &r->cap_tasks, r->nr_tasks, sizeof *r->tasks);
	r->tasks[r->nr_tasks] = (struct ref_task){
		.exists = true, .state = PIDSIM_RUNNING, .ct = ct,
		.parent = parent, .seq = ++r->seq,
		.pgrp = parent >= 0 ? r->tasks[parent].pgrp : r->nr_tasks,
		.session = parent >= 0 ? r->tasks[parent].session : r->nr_tasks,
		.gseq = r->seq,
	};
	return r->nr_tasks++;
}

void ref_init(struct ref *r, const struct pidsim_design_info *info, int pid_max)
{
	memset(r, 0, sizeof *r);
	r->flags = info ? info->flags : 0;
	r->max_level = info ? info->max_level : PIDSIM_MAX_LEVEL;
	r->level_errno = info ? info->level_errno : -ENOSPC;
	r->max_containers = info ? info->max_containers : 0;
	r->min_ct_pid_max = info ? info->min_ct_pid_max : 0;
	r->pid_max = pid_max ? pid_max : PIDSIM_PID_MAX_DEFAULT;
	new_ct(r, -1);
	r->cts[0].init = new_task(r, 0, -1);
	take_nr(r, 0, 0, 1);		/* rule 1: host init is pid 1 */
	r->cts[0].last = 1;
}

void ref_fini(struct ref *r)
{
	free(r->tasks);
	free(r->cts);
	free(r->nums);
	free(r->objs);
	memset(r, 0, sizeof *r);
}

/* ---- Life and death ---------------------------------------------------------- */

/* ---- Groups and sessions (rules 11-16) -------------------------------------- */

/* Whether a task that exists is in group or session p. */
static bool held(const struct ref *r, int p)
{
	for (int t = 0; t < r->nr_tasks; t++)
		if (r->tasks[t].exists &&
		    (r->tasks[t].pgrp == p || r->tasks[t].session == p))
			return true;
	return false;
}

/* free_pid(): a pid no task is and no group or session names loses its
 * numbers. */
static void put_pid(struct ref *r, int p)
{
	if (p >= 0 && !r->tasks[p].exists && !held(r, p))
		drop_nrs(r, p);
}

/* Whether t holds a number anywhere. */
static bool has_nrs(const struct ref *r, int t)
{
	for (int i = 0; i < r->nr_nums; i++)
		if (r->nums[i].task == t)
			return true;
	return false;
}

/* Whether container c still exists for the pids it holds: its init, the
 * remains of a reaped leader in it, or such a container below it. */
static bool ct_held(const struct ref *r, int c)
{
	if (r->cts[c].exists)
		return true;
	for (int t = 0; t < r->nr_tasks; t++)
		if (r->tasks[t].ct == c && !r->tasks[t].exists && has_nrs(r, t))
			return true;
	for (int d = 0; d < r->nr_cts; d++)
		if (r->cts[d].parent == c && ct_held(r, d))
			return true;
	return false;
}

/* Gone: reaped, or killed with its container.  Its numbers stay while
 * its group or session has members. */
static void release(struct ref *r, int t)
{
	r->tasks[t].exists = false;
	if (ref_is_init(r, t))
		r->cts[r->tasks[t].ct].exists = false;
	put_pid(r, r->tasks[t].pgrp);
	put_pid(r, r->tasks[t].session);
	put_pid(r, t);
}

/* Rule 5: an init's exit kills and releases every other task of its
 * container and of the containers below it. */
static void zap(struct ref *r, int c)
{
	for (int t = 0; t < r->nr_tasks; t++)
		if (r->tasks[t].exists && t != r->cts[c].init &&
		    ref_ct_contains(r, c, r->tasks[t].ct))
			release(r, t);
}

/* Rule 5: t's children go to the init of t's container, appended in the
 * order they were t's children. */
static void reparent_children(struct ref *r, int t)
{
	int reaper = r->cts[r->tasks[t].ct].init;

	for (;;) {
		int first = -1;

		for (int c = 0; c < r->nr_tasks; c++)
			if (r->tasks[c].exists && r->tasks[c].parent == t &&
			    (first < 0 || r->tasks[c].seq < r->tasks[first].seq))
				first = c;
		if (first < 0)
			return;
		r->tasks[first].parent = reaper;
		r->tasks[first].seq = ++r->seq;
	}
}

static void do_exit(struct ref *r, int t, int status)
{
	if (ref_is_init(r, t))
		zap(r, r->tasks[t].ct);
	else
		reparent_children(r, t);
	r->tasks[t].state = PIDSIM_ZOMBIE;
	r->tasks[t].status = status;
}

/* ---- Signals (rule 7) ---------------------------------------------------------- */

static bool sig_valid(int sig)
{
	return sig >= 0 && sig <= SIG_MAX && !(sig >= SIG_STOP && sig <= SIG_TTOU);
}

static bool sig_ignored(int sig)
{
	return sig == SIG_CHLD || sig == SIG_CONT || sig == SIG_URG || sig == SIG_WINCH;
}

static int send_sig(struct ref *r, int from, int t, int sig);

/* t joins group g (change_pid()): the most recent joiner. */
static void join_pgrp(struct ref *r, int t, int g)
{
	int old = r->tasks[t].pgrp;

	if (old == g)
		return;
	r->tasks[t].pgrp = g;
	r->tasks[t].gseq = ++r->seq;
	put_pid(r, old);
}

int ref_group_members(const struct ref *r, int g, int *out)
{
	int n = 0;

	for (int t = 0; t < r->nr_tasks; t++) {
		int j = n++;

		if (!r->tasks[t].exists || r->tasks[t].pgrp != g) {
			n--;
			continue;
		}
		for (; j > 0 && r->tasks[out[j - 1]].gseq < r->tasks[t].gseq; j--)
			out[j] = out[j - 1];
		out[j] = t;
	}
	return n;
}

/* __kill_pgrp_info(): -ESRCH for an empty group, then the signal's check,
 * then each member as the list holds them (each, if it still exists: an
 * init's death takes its container's tasks). */
static int kill_group(struct ref *r, int from, int g, int sig)
{
	int *m = malloc(sizeof(int) * (size_t)(r->nr_tasks + 1)), n;

	if (!m)
		abort();
	n = ref_group_members(r, g, m);
	if (n && sig_valid(sig))
		for (int i = 0; i < n; i++)
			if (r->tasks[m[i]].exists)
				send_sig(r, from, m[i], sig);
	free(m);
	return !n ? -ESRCH : sig_valid(sig) ? 0 : -EINVAL;
}

/* pid_vnr() of group (session) pid p in view c; REF_UNKNOWN when the
 * design numbers it there its own way and the model has not learnt it. */
static int group_nr(const struct ref *r, int c, int p)
{
	int own = r->tasks[p].ct, nr;

	if ((r->flags & PIDSIM_D_HOST_GROUP_NUMBER) && c != 0 && c != own)
		return own == 0 ? ref_nr(r, 0, p) : 0;
	if (!numbered(r, c, p))
		return 0;
	nr = ref_nr(r, c, p);
	return nr ? nr : REF_UNKNOWN;
}

/* sys_setpgid(), in its order of checks. */
int ref_setpgid(struct ref *r, int cur, int pid, int pgid)
{
	int c, t, g, m;

	if (!ref_running(r, cur))
		return -ESRCH;
	if (pgid < 0)
		return -EINVAL;
	if (pid < 0)
		return -ESRCH;
	c = r->tasks[cur].ct;
	t = pid ? ref_find(r, c, pid) : cur;
	if (t < 0)
		return -ESRCH;
	if (r->tasks[t].parent == cur) {
		if (r->tasks[t].session != r->tasks[cur].session)
			return -EPERM;
	} else if (t != cur) {
		return -ESRCH;
	}
	if (r->tasks[t].session == t)
		return -EPERM;
	if (pgid == 0 || pgid == (pid ? pid : ref_nr(r, c, cur))) {
		g = t;
	} else {
		g = ref_find_pid(r, c, pgid);
		m = -1;
		for (int u = 0; g >= 0 && u < r->nr_tasks && m < 0; u++)
			if (r->tasks[u].exists && r->tasks[u].pgrp == g)
				m = u;
		if (m < 0 || r->tasks[m].session != r->tasks[cur].session)
			return -EPERM;
	}
	join_pgrp(r, t, g);
	return 0;
}

/* ksys_setsid(). */
int ref_setsid(struct ref *r, int cur)
{
	int old;

	if (!ref_running(r, cur))
		return -ESRCH;
	if (r->tasks[cur].session == cur)
		return -EPERM;
	for (int u = 0; u < r->nr_tasks; u++)
		if (r->tasks[u].exists && r->tasks[u].pgrp == cur)
			return -EPERM;
	old = r->tasks[cur].session;
	r->tasks[cur].session = cur;
	join_pgrp(r, cur, cur);
	put_pid(r, old);
	return ref_nr(r, r->tasks[cur].ct, cur);
}

static int get_group(const struct ref *r, int cur, int pid, bool sid, int *leader)
{
	int c, t;

	*leader = -1;
	if (!ref_running(r, cur))
		return -ESRCH;
	c = r->tasks[cur].ct;
	t = pid ? ref_find(r, c, pid) : cur;
	if (t < 0)
		return -ESRCH;
	*leader = sid ? r->tasks[t].session : r->tasks[t].pgrp;
	return group_nr(r, c, *leader);
}

int ref_getpgid(const struct ref *r, int cur, int pid, int *leader)
{
	return get_group(r, cur, pid, false, leader);
}

int ref_getsid(const struct ref *r, int cur, int pid, int *leader)
{
	return get_group(r, cur, pid, true, leader);
}

/* Signal t from container from (-1: kernel context). */
static int send_sig(struct ref *r, int from, int t, int sig)
{
	if (!sig_valid(sig))
		return -EINVAL;
	if (sig == 0 || r->tasks[t].state == PIDSIM_ZOMBIE || sig_ignored(sig))
		return 0;
	if (ref_is_init(r, t)) {
		/* Only SIGKILL, and only from an ancestor container. */
		int ct = r->tasks[t].ct;

		if (!(sig == SIG_KILL && from >= 0 && from != ct &&
		      ref_ct_contains(r, from, ct)))
			return 0;
	}
	do_exit(r, t, sig);
	return 0;
}

/* kill(-1, sig): everything cur sees, in ascending order of its numbers,
 * but cur and its own container's init. */
static int kill_all(struct ref *r, int cur, int sig)
{
	int c = r->tasks[cur].ct, n, count = 0, ret = 0;
	int *nrs = malloc(sizeof(int) * (size_t)(r->nr_tasks + 1));
	int *who = malloc(sizeof(int) * (size_t)(r->nr_tasks + 1));

	if (!nrs || !who)
		abort();
	n = ref_list(r, c, nrs);
	for (int i = 0; i < n; i++)
		who[i] = ref_find(r, c, nrs[i]);
	for (int i = 0; i < n; i++) {
		int t = who[i], err;

		if (t == cur || t == r->cts[c].init)
			continue;
		count++;
		if (!r->tasks[t].exists)
			continue;	/* released by an earlier init's death */
		err = send_sig(r, c, t, sig);
		if (err)
			ret = err;
	}
	free(nrs);
	free(who);
	return count ? ret : -ESRCH;
}

/* ---- Operations -------------------------------------------------------------- */

/* Containers that count towards max_containers: those whose init lives,
 * and those lingering for a reaped leader's pid. */
static int live_containers(const struct ref *r)
{
	int n = 0;

	for (int c = 0; c < r->nr_cts; c++)
		n += ct_held(r, c);
	return n;
}

int ref_fork_error(const struct ref *r, int cur, unsigned flags)
{
	int c, own, up;
	bool init;

	if (!ref_running(r, cur))
		return -ESRCH;
	if (flags & ~PIDSIM_CLONE_NEWPID)
		return -EINVAL;
	c = r->tasks[cur].ct;
	init = flags & PIDSIM_CLONE_NEWPID;
	if (init) {
		if (r->cts[c].level >= r->max_level)
			return r->level_errno;
		if (r->max_containers &&
		    (unsigned)live_containers(r) - 1 >= r->max_containers)
			return -EAGAIN;
	} else if (r->cts[c].level > 0 && !r->cts[c].restored &&
		   r->pid_max < r->min_ct_pid_max) {
		return -EAGAIN;
	}
	/* A new container's own view is empty: pid 1 is free there. */
	own = init ? -2 : c;
	up = init ? c : r->cts[c].parent;
	for (int v = 0; v < r->nr_cts; v++)
		if (r->cts[v].exists && sees(r, v, own, up, init) &&
		    !adopted(r, v, own) && !next_free(r, v))
			return -EAGAIN;
	return 0;
}

bool ref_fork_may_eagain(const struct ref *r, int cur, unsigned flags)
{
	int c = r->tasks[cur].ct;
	bool init = flags & PIDSIM_CLONE_NEWPID;
	int own = init ? -2 : c, up = init ? c : r->cts[c].parent;

	for (int v = 0; v < r->nr_cts; v++)
		if (r->cts[v].exists && sees(r, v, own, up, init) && adopted(r, v, own))
			return true;
	return false;
}

int ref_fork(struct ref *r, int cur, unsigned flags, int *child)
{
	int c = r->tasks[cur].ct, own = c, t;

	if (flags & PIDSIM_CLONE_NEWPID)
		own = new_ct(r, c);
	t = new_task(r, own, cur);
	if (r->cts[own].init < 0)
		r->cts[own].init = t;
	for (int v = 0; v < r->nr_cts; v++) {
		int nr;

		if (!r->cts[v].exists || !ref_visible(r, v, t) || adopted(r, v, own))
			continue;
		nr = next_free(r, v);
		take_nr(r, v, t, nr);
		r->cts[v].last = nr;
	}
	*child = t;
	return adopted(r, c, own) ? REF_UNKNOWN : ref_nr(r, c, t);
}

int ref_exit(struct ref *r, int cur, int code)
{
	if (!ref_running(r, cur))
		return -ESRCH;
	if (cur == r->cts[0].init)
		return -EPERM;
	do_exit(r, cur, (code & 0xff) << 8);
	return 0;
}

int ref_wait(struct ref *r, int cur, int pid, int *status, int *reaped)
{
	int c, t = -1, nr;
	bool children = false;

	*reaped = -1;
	if (!ref_running(r, cur))
		return -ESRCH;
	if (pid == INT_MIN)
		return -ESRCH;	/* kernel_wait4(): -INT_MIN is not defined */
	c = r->tasks[cur].ct;
	if (pid > 0) {
		t = ref_find(r, c, pid);
		if (t < 0 || r->tasks[t].parent != cur)
			return -ECHILD;	/* not a child, or not visible: do_wait() */
		if (r->tasks[t].state != PIDSIM_ZOMBIE)
			return 0;
	} else {
		int grp = pid == -1 ? -1 : pid == 0 ? r->tasks[cur].pgrp
				  : ref_find_pid(r, c, -pid);

		if (pid < -1 && grp < 0)
			return -ECHILD;	/* no group: no child is in it */
		for (int i = 0; i < r->nr_tasks; i++) {
			if (!r->tasks[i].exists || r->tasks[i].parent != cur ||
			    (grp >= 0 && r->tasks[i].pgrp != grp))
				continue;
			children = true;
			if (r->tasks[i].state == PIDSIM_ZOMBIE &&
			    (t < 0 || r->tasks[i].seq < r->tasks[t].seq))
				t = i;
		}
		if (!children)
			return -ECHILD;
		if (t < 0)
			return 0;
	}
	nr = ref_nr(r, c, t);
	*status = r->tasks[t].status;
	*reaped = t;
	release(r, t);
	return nr;
}

int ref_kill(struct ref *r, int cur, int pid, int sig)
{
	int t;

	if (!ref_running(r, cur))
		return -ESRCH;
	if (pid == -1)
		return kill_all(r, cur, sig);
	if (pid == 0)
		return kill_group(r, r->tasks[cur].ct, r->tasks[cur].pgrp, sig);
	if (pid < 0) {
		if (pid == INT_MIN)
			return -ESRCH;
		t = ref_find_pid(r, r->tasks[cur].ct, -pid);
		return t < 0 ? -ESRCH : kill_group(r, r->tasks[cur].ct, t, sig);
	}
	t = ref_find(r, r->tasks[cur].ct, pid);
	if (t < 0)
		return -ESRCH;
	return send_sig(r, r->tasks[cur].ct, t, sig);
}

/* A qualified address's view: the container whose init is ct_task, which
 * must be cur's own or below it. */
static int qualified(const struct ref *r, int cur, int ct_task, int *view)
{
	if (!exists(r, ct_task))
		return -ESRCH;
	if (!ref_is_init(r, ct_task))
		return -EINVAL;
	if (!ref_ct_contains(r, r->tasks[cur].ct, r->tasks[ct_task].ct))
		return -EPERM;
	*view = r->tasks[ct_task].ct;
	return 0;
}

int ref_kill_in(struct ref *r, int cur, int ct_task, int pid, int sig)
{
	int view, t, err;

	if (!ref_running(r, cur))
		return -ESRCH;
	err = qualified(r, cur, ct_task, &view);
	if (err)
		return err;
	if (pid <= 0)
		return -EINVAL;
	t = ref_find(r, view, pid);
	if (t < 0)
		return -ESRCH;
	return send_sig(r, r->tasks[cur].ct, t, sig);
}

int ref_getpid(const struct ref *r, int cur)
{
	return ref_running(r, cur) ? ref_nr(r, r->tasks[cur].ct, cur) : -ESRCH;
}

int ref_getppid(const struct ref *r, int cur)
{
	if (!ref_running(r, cur))
		return -ESRCH;
	if (r->tasks[cur].parent < 0)
		return 0;
	return ref_nr(r, r->tasks[cur].ct, r->tasks[cur].parent);
}

int ref_ps(const struct ref *r, int cur, int *out)
{
	return ref_running(r, cur) ? ref_list(r, r->tasks[cur].ct, out) : -ESRCH;
}

int ref_ps_in(const struct ref *r, int cur, int ct_task, int *out)
{
	int view, err;

	if (!ref_running(r, cur))
		return -ESRCH;
	err = qualified(r, cur, ct_task, &view);
	return err ? err : ref_list(r, view, out);
}

int ref_find_task(const struct ref *r, int cur, int pid, int *found)
{
	if (!ref_running(r, cur))
		return -ESRCH;
	*found = ref_find(r, r->tasks[cur].ct, pid);
	return *found < 0 ? -ESRCH : 0;
}

int ref_find_in(const struct ref *r, int cur, int ct_task, int pid, int *found)
{
	int view, err;

	*found = -1;
	if (!ref_running(r, cur))
		return -ESRCH;
	err = qualified(r, cur, ct_task, &view);
	if (err)
		return err;
	*found = ref_find(r, view, pid);
	return *found < 0 ? -ESRCH : 0;
}

int ref_pid_of(const struct ref *r, int cur, int t)
{
	if (!ref_running(r, cur) || !exists(r, t))
		return -ESRCH;
	return ref_nr(r, r->tasks[cur].ct, t);
}

int ref_state(const struct ref *r, int t)
{
	return exists(r, t) ? r->tasks[t].state : -ESRCH;
}

/* ---- Stored owners (rule 9) -------------------------------------------------- */

int ref_setown(struct ref *r, int cur, int pid)
{
	int t;

	if (!ref_running(r, cur))
		return -ESRCH;
	if (pid <= 0)
		return -EINVAL;
	t = ref_find(r, r->tasks[cur].ct, pid);
	if (t < 0)
		return -ESRCH;
	r->objs = grow(r->objs, &r->cap_objs, r->nr_objs, sizeof *r->objs);
	r->objs[r->nr_objs] = (struct ref_obj){
		.open = true, .id = -1, .owner = t, .owner_nr = ref_nr(r, 0, t),
	};
	return r->nr_objs++;
}

/* The open object the design calls id, or -1. */
static int obj_by_id(const struct ref *r, int id)
{
	for (int i = 0; i < r->nr_objs; i++)
		if (r->objs[i].open && r->objs[i].id == id)
			return i;
	return -1;
}

const char *ref_obj_adopt(struct ref *r, int obj, int id)
{
	if (id < 0)
		return "an object id is negative";
	if (obj_by_id(r, id) >= 0)
		return "an object id is already held by an open object";
	r->objs[obj].id = id;
	return NULL;
}

int ref_notify(struct ref *r, int id, int sig, int *to)
{
	int obj = obj_by_id(r, id);
	const struct ref_obj *o;
	int t;

	*to = -1;
	if (obj < 0)
		return -EBADF;
	if (!sig_valid(sig))
		return -EINVAL;
	o = &r->objs[obj];
	if (r->flags & PIDSIM_D_OWNER_BY_NUMBER)
		t = ref_find(r, 0, o->owner_nr);	/* whoever holds it now */
	else
		t = exists(r, o->owner) ? o->owner : -1;
	*to = t;
	if (t < 0)
		return -ESRCH;
	return send_sig(r, -1, t, sig);
}

int ref_close(struct ref *r, int id)
{
	int obj = obj_by_id(r, id);

	if (obj < 0)
		return -EBADF;
	r->objs[obj].open = false;
	return 0;
}

/* ---- Migration within one image (pidsim_image.h) -------------------------- */

/* Whether t is top or a descendant of it. */
static bool in_tree(const struct ref *r, int t, int top)
{
	for (; t >= 0; t = r->tasks[t].parent)
		if (t == top)
			return true;
	return false;
}

/* The tree at t in pre-order, children in the order they became children. */
static int preorder(const struct ref *r, int t, int *out, int n)
{
	long after = -1;

	out[n++] = t;
	for (;;) {
		int next = -1;

		for (int c = 0; c < r->nr_tasks; c++)
			if (r->tasks[c].exists && r->tasks[c].parent == t &&
			    r->tasks[c].seq > after &&
			    (next < 0 || r->tasks[c].seq < r->tasks[next].seq))
				next = c;
		if (next < 0)
			return n;
		after = r->tasks[next].seq;
		n = preorder(r, next, out, n);
	}
}

/* The number an image pid of container ct with these numbers has in the
 * view of image container ic, or 0. */
static int image_nr_of(const struct pidsim_image *img, uint32_t ct,
		       const int *numbers, unsigned n, int ic)
{
	unsigned d = 0;

	for (uint32_t c = ct; c != PIDSIM_IMAGE_NONE; c = img->containers[c].parent, d++)
		if ((int)c == ic)
			return d < n ? numbers[d] : 0;
	return 0;
}

/* The number image task i (nr_tasks + r: reaped leader r) has in the view
 * of image container ic, or 0. */
static int image_nr(const struct pidsim_image *img, int i, int ic)
{
	const struct pidsim_image_reaped *d;

	if (i < 0)
		return 0;
	if (i < (int)img->nr_tasks)
		return image_nr_of(img, img->tasks[i].ct, img->tasks[i].numbers,
				   img->tasks[i].nr_numbers, ic);
	d = &img->reaped[i - (int)img->nr_tasks];
	return image_nr_of(img, d->ct, d->numbers, d->nr_numbers, ic);
}

/* Copy t of source task s: a number in every view that sees it.  Views
 * the image has (inv[v] >= 0: the source view) get the source's number
 * (with img, s is a task of that image and the number is the image's);
 * the others a new one, by the cyclic rule or the design's own way. */
static int copy_numbers(struct ref *r, int s, int t, const int *inv,
			const struct pidsim_image *img)
{
	int own = r->tasks[t].ct, err = 0;

	/* the numbers asked for first, then the new ones */
	for (int v = 0; v < r->nr_cts; v++) {
		int sv = inv[v], want;

		if (!r->cts[v].exists || !numbered(r, v, t) || ref_nr(r, v, t) ||
		    sv < 0 || (adopted(r, v, own) && v != own &&
			       !(r->flags & PIDSIM_D_RENUMBERS)))
			continue;	/* vpid-ibm's host numbers are its own */
		want = img ? image_nr(img, s, sv) : ref_nr(r, sv, s);
		if (want >= r->pid_max)
			err = err ? err : -EINVAL;
		else if (want > 0 && ref_find_pid(r, v, want) >= 0)
			err = err ? err : -EEXIST;
		else if (want > 0)
			take_nr(r, v, t, want);
	}
	for (int v = 0; v < r->nr_cts; v++) {
		int nr;

		if (!r->cts[v].exists || !numbered(r, v, t) || ref_nr(r, v, t) ||
		    adopted(r, v, own))
			continue;
		nr = next_free(r, v);
		if (!nr)
			return err == -EINVAL ? REF_EINVAL_OR_EAGAIN
			       : err ? REF_EEXIST_OR_EAGAIN : -EAGAIN;
		take_nr(r, v, t, nr);
		r->cts[v].last = nr;
	}
	return err;
}

/* t joins group g and session sx (ps_pgrp_join()): relinked, the most
 * recent joiner. */
static void join(struct ref *r, int t, int g, int sx)
{
	int og = r->tasks[t].pgrp, os = r->tasks[t].session;

	r->tasks[t].pgrp = g;
	r->tasks[t].session = sx;
	r->tasks[t].gseq = ++r->seq;
	put_pid(r, og);
	put_pid(r, os);
}

/* A restore's join_groups() (lib/ckpt/restore.c): the new init stub, then
 * each copy dst[i] in image order, joins the group g[i] and the session
 * sx[i] (model pids; -1: outside the tree, the parent's; a group outside
 * takes the parent's session too). */
static void join_copies(struct ref *r, int parent, int stub, const int *dst,
			int n, const int *g, const int *sx)
{
	int pg = r->tasks[parent].pgrp, ps = r->tasks[parent].session;

	if (stub >= 0)
		join(r, stub, pg, ps);
	for (int i = 0; i < n; i++)
		join(r, dst[i], g[i] < 0 ? pg : g[i], g[i] < 0 || sx[i] < 0 ? ps : sx[i]);
}

/* The remains of a reaped leader, made for a copy in container c: no
 * task, numbers to come. */
static int new_remains(struct ref *r, int c)
{
	int t = new_task(r, c, -1);

	r->tasks[t].exists = false;
	return t;
}

/* Put r back as it was before a copy (migrate, restore) that failed or
 * was only asked about: its counts, sequence and cursors. */
static void rollback(struct ref *r, int nt0, int nc0, int nn0, long seq0,
		     const int *last0)
{
	r->nr_tasks = nt0;
	r->nr_cts = nc0;
	r->nr_nums = nn0;
	r->seq = seq0;
	for (int c = 0; c < nc0; c++)
		r->cts[c].last = last0[c];
}

static bool in_list(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* The copy of source pid p: the copy of a task of the tree, of a reaped
 * leader made again, or -1 (outside the tree). */
static int copy_of(const int *src, const int *dst, int n, const int *rsrc,
		   const int *rdst, int nr, int p)
{
	for (int i = 0; i < n; i++)
		if (src[i] == p)
			return dst[i];
	for (int d = 0; d < nr; d++)
		if (rsrc[d] == p)
			return rdst[d];
	return -1;
}

int ref_migrate(struct ref *r, int cur, int root, unsigned what, int parent,
		unsigned mode, bool commit, int *src, int *dst, int *n, int *top)
{
	int nt0 = r->nr_tasks, nc0 = r->nr_cts, nn0 = r->nr_nums, no0 = r->nr_objs;
	int topc, pc, base, deepest = -1, made = 0, err = 0, stub = -1, maxw = 0;
	long seq0 = r->seq;
	int *last0, *cmap, *inv, *gk, *sk, *rsrc, *rdst, nr = 0;

	*n = 0;
	*top = -1;
	if (!ref_running(r, cur) || !exists(r, root))
		return -ESRCH;
	if (what == PIDSIM_CKPT_CONTAINER) {
		if (!ref_is_init(r, root) || r->tasks[root].ct == 0)
			return -EINVAL;
		topc = r->tasks[root].ct;
	} else if (what == PIDSIM_CKPT_TREE) {
		if (r->tasks[root].parent < 0)
			return -EINVAL;
		topc = r->tasks[r->tasks[root].parent].ct;
	} else {
		return -EINVAL;
	}
	if (!ref_ct_contains(r, r->tasks[cur].ct, topc))
		return -EPERM;
	if (exists(r, parent) && in_tree(r, parent, root))
		return -EINVAL;
	/* Within one image the new parent must be in a view cur sees. */
	if (exists(r, parent) &&
	    !ref_ct_contains(r, r->tasks[cur].ct, r->tasks[parent].ct))
		return -EPERM;
	if (mode != PIDSIM_RESTORE_CONTAINER && mode != PIDSIM_RESTORE_INTO)
		return -EINVAL;
	if (!ref_running(r, parent))
		return -ESRCH;
	*n = preorder(r, root, src, 0);
	pc = r->tasks[parent].ct;
	base = r->cts[pc].level + (mode == PIDSIM_RESTORE_CONTAINER);
	if (mode == PIDSIM_RESTORE_CONTAINER) {
		made = 1;
		deepest = 0;
	}
	for (int i = 0; i < *n; i++) {
		int c = r->tasks[src[i]].ct, d = r->cts[c].level - r->cts[topc].level;

		if (ref_is_init(r, src[i]) && c != topc) {
			made++;
			deepest = d > deepest ? d : deepest;
		}
		if (ref_nr(r, topc, src[i]) > maxw)
			maxw = ref_nr(r, topc, src[i]);
	}
	if (deepest >= 0 && base + deepest > r->max_level)
		return r->level_errno;
	if (r->max_containers &&
	    (unsigned)(live_containers(r) - 1 + made) > r->max_containers)
		return -EAGAIN;

	last0 = malloc(sizeof(int) * (size_t)nc0);
	cmap = malloc(sizeof(int) * (size_t)nc0);
	inv = malloc(sizeof(int) * (size_t)(nc0 + *n + 2));
	if (!last0 || !cmap || !inv)
		abort();
	for (int c = 0; c < nc0 + *n + 2; c++)
		inv[c] = -1;
	for (int c = 0; c < nc0; c++) {
		last0[c] = r->cts[c].last;
		cmap[c] = -1;
	}
	if (mode == PIDSIM_RESTORE_INTO) {
		cmap[topc] = pc;
		inv[pc] = topc;
		if (maxw)
			r->cts[pc].last = maxw;	/* the restore's, for its time */
	} else {
		cmap[topc] = new_ct(r, pc);
		inv[cmap[topc]] = topc;
		if (what == PIDSIM_CKPT_TREE) {
			stub = new_task(r, cmap[topc], parent);
			r->cts[cmap[topc]].init = stub;
			take_nr(r, cmap[topc], stub, 1);
			err = copy_numbers(r, -1, stub, inv, NULL);
		}
	}
	for (int i = 0; !err && i < *n; i++) {
		int s = src[i], c = r->tasks[s].ct, p = stub >= 0 ? stub : parent, t;

		if (cmap[c] < 0) {
			cmap[c] = new_ct(r, cmap[r->cts[c].parent]);
			inv[cmap[c]] = c;
		}
		for (int j = 0; j < i; j++)
			if (src[j] == r->tasks[s].parent)
				p = dst[j];
		t = new_task(r, cmap[c], p);
		if (r->cts[cmap[c]].init < 0)
			r->cts[cmap[c]].init = t;
		r->tasks[t].state = r->tasks[s].state;
		r->tasks[t].status = r->tasks[s].status;
		dst[i] = t;
		err = copy_numbers(r, s, t, inv, NULL);
	}
	/* The reaped leaders inside the tree that its groups and sessions
	 * name (a container of the tree: its init in it), in the order of
	 * their first naming, each made again after every task. */
	gk = malloc(sizeof(int) * (size_t)(2 * *n + 1));
	sk = malloc(sizeof(int) * (size_t)(2 * *n + 1));
	rsrc = malloc(sizeof(int) * (size_t)(2 * *n + 1));
	rdst = malloc(sizeof(int) * (size_t)(2 * *n + 1));
	if (!gk || !sk || !rsrc || !rdst)
		abort();
	for (int i = 0; !err && i < 2 * *n; i++) {
		int p = i % 2 ? r->tasks[src[i / 2]].session : r->tasks[src[i / 2]].pgrp;
		int c = r->tasks[p].ct, d = 0;

		if (r->tasks[p].exists || !has_nrs(r, p) ||
		    !in_list(src, *n, r->cts[c].init))
			continue;
		while (d < nr && rsrc[d] != p)
			d++;
		if (d < nr)
			continue;
		rsrc[nr] = p;
		rdst[nr] = new_remains(r, cmap[c]);
		err = copy_numbers(r, p, rdst[nr++], inv, NULL);
	}
	for (int i = 0; !err && i < *n; i++) {
		gk[i] = copy_of(src, dst, *n, rsrc, rdst, nr, r->tasks[src[i]].pgrp);
		sk[i] = copy_of(src, dst, *n, rsrc, rdst, nr, r->tasks[src[i]].session);
	}
	if (err || !commit) {
		rollback(r, nt0, nc0, nn0, seq0, last0);
		free(last0);
		free(cmap);
		free(inv);
		free(gk);
		free(sk);
		free(rsrc);
		free(rdst);
		return err;
	}
	join_copies(r, parent, stub, dst, *n, gk, sk);
	free(gk);
	free(sk);
	free(rsrc);
	free(rdst);
	*top = stub >= 0 ? stub : dst[0];
	for (int i = 0; i < *n; i++)
		r->cts[r->tasks[dst[i]].ct].restored = true;
	if (stub >= 0)
		r->cts[r->tasks[stub].ct].restored = true;
	for (int c = 0; c < nc0; c++)
		if (cmap[c] >= nc0)
			r->cts[cmap[c]].last = last0[c];	/* the image's cursor */
	if (mode == PIDSIM_RESTORE_INTO)
		r->cts[pc].last = last0[pc];
	/* The stored owners in the tree move, in the order of their ids. */
	for (;;) {
		int o = -1, t = -1;

		for (int i = 0; i < no0; i++) {
			const struct ref_obj *ob = &r->objs[i];
			int to = !ob->open ? -1 : (r->flags & PIDSIM_D_OWNER_BY_NUMBER)
				 ? ref_find(r, 0, ob->owner_nr)
				 : exists(r, ob->owner) ? ob->owner : -1;
			bool moves = false;

			for (int j = 0; to >= 0 && j < *n; j++)
				moves |= src[j] == to;
			if (moves && (o < 0 || ob->id < r->objs[o].id)) {
				o = i;
				t = to;
			}
		}
		if (o < 0)
			break;
		r->objs[o].open = false;
		for (int j = 0, s0 = t; j < *n; j++)
			if (src[j] == s0)
				t = dst[j];
		r->objs = grow(r->objs, &r->cap_objs, r->nr_objs, sizeof *r->objs);
		r->objs[r->nr_objs++] = (struct ref_obj){
			.open = true, .id = -1, .owner = t, .owner_nr = ref_nr(r, 0, t),
		};
	}
	/* The tree goes on the source, as if reaped. */
	for (int i = 0; i < *n; i++)
		release(r, src[i]);
	free(last0);
	free(cmap);
	free(inv);
	return 0;
}

/* ---- Restore from an image of another kernel image ------------------------ */

int ref_restore(struct ref *r, const struct pidsim_image *img, int parent,
		unsigned mode, bool commit, int *dst, int *top)
{
	int nt0 = r->nr_tasks, nc0 = r->nr_cts, nn0 = r->nr_nums, n = (int)img->nr_tasks;
	int nic = (int)img->nr_containers, pc, base, deepest = -1, made = 0, err = 0;
	int stub = -1;
	long seq0 = r->seq;
	int *last0, *cmap, *inv, *depth, *maxw, *rdst = NULL, *gk = NULL, *sk = NULL;

	*top = -1;
	if (mode != PIDSIM_RESTORE_CONTAINER && mode != PIDSIM_RESTORE_INTO)
		return -EINVAL;
	if (!ref_running(r, parent))
		return -ESRCH;
	pc = r->tasks[parent].ct;
	base = r->cts[pc].level + (mode == PIDSIM_RESTORE_CONTAINER);
	depth = malloc(sizeof(int) * (size_t)(nic + 1));
	if (!depth)
		abort();
	if (mode == PIDSIM_RESTORE_CONTAINER) {
		made = 1;
		deepest = 0;
	}
	depth[0] = 0;
	for (int c = 1; c < nic; c++) {	/* a container after its parent */
		depth[c] = depth[img->containers[c].parent] + 1;
		made++;
		deepest = depth[c] > deepest ? depth[c] : deepest;
	}
	free(depth);
	if (deepest >= 0 && base + deepest > r->max_level)
		return r->level_errno;
	if (r->max_containers &&
	    (unsigned)(live_containers(r) - 1 + made) > r->max_containers)
		return -EAGAIN;
	for (int i = 0; i < n; i++)
		if (img->tasks[i].numbers[0] >= r->pid_max)
			return -EINVAL;
	for (uint32_t d = 0; d < img->nr_reaped; d++)
		if (img->reaped[d].numbers[0] >= r->pid_max)
			return -EINVAL;
	/* a container made takes the image's cursor: below pid_max only */
	for (int c = 0; c < nic; c++)
		if ((mode == PIDSIM_RESTORE_CONTAINER || c != 0) &&
		    img->containers[c].cursor >= r->pid_max)
			return -EINVAL;

	last0 = malloc(sizeof(int) * (size_t)nc0);
	cmap = malloc(sizeof(int) * (size_t)(nic + 1));
	inv = malloc(sizeof(int) * (size_t)(nc0 + nic + 2));
	maxw = calloc((size_t)nic + 1, sizeof(int));
	if (!last0 || !cmap || !inv || !maxw)
		abort();
	/* a container made, or parent's with INTO, has its cursor past every
	 * number the image asks for in it (that it can hold: below pid_max)
	 * until the end of the restore */
	for (int i = 0; i < n + (int)img->nr_reaped; i++)
		for (int c = 0; c < nic; c++)
			if (image_nr(img, i, c) > maxw[c] &&
			    image_nr(img, i, c) < r->pid_max)
				maxw[c] = image_nr(img, i, c);
	for (int c = 0; c < nc0 + nic + 2; c++)
		inv[c] = -1;
	for (int c = 0; c < nc0; c++)
		last0[c] = r->cts[c].last;
	for (int c = 0; c < nic; c++)
		cmap[c] = -1;
	if (mode == PIDSIM_RESTORE_INTO) {
		cmap[0] = pc;
		inv[pc] = 0;
		if (maxw[0])
			r->cts[pc].last = maxw[0];
	} else {
		cmap[0] = new_ct(r, pc);
		inv[cmap[0]] = 0;
		r->cts[cmap[0]].last = maxw[0];
		if (img->flags & PIDSIM_IMAGE_TREE) {
			stub = new_task(r, cmap[0], parent);
			r->cts[cmap[0]].init = stub;
			take_nr(r, cmap[0], stub, 1);
			err = copy_numbers(r, -1, stub, inv, img);
		}
	}
	for (int i = 0; !err && i < n; i++) {
		const struct pidsim_image_task *tk = &img->tasks[i];
		int c = (int)tk->ct, t;

		if (cmap[c] < 0) {
			cmap[c] = new_ct(r, cmap[img->containers[c].parent]);
			inv[cmap[c]] = c;
			r->cts[cmap[c]].last = maxw[c];
		}
		t = new_task(r, cmap[c], tk->parent != PIDSIM_IMAGE_NONE ? dst[tk->parent]
					 : stub >= 0 ? stub : parent);
		if (r->cts[cmap[c]].init < 0)
			r->cts[cmap[c]].init = t;
		r->tasks[t].state = tk->state;
		r->tasks[t].status = tk->exit_status;
		dst[i] = t;
		err = copy_numbers(r, i, t, inv, img);
	}
	/* the reaped leaders, after every task, then every task's groups */
	rdst = malloc(sizeof(int) * (img->nr_reaped + 1));
	gk = malloc(sizeof(int) * (size_t)(n + 1));
	sk = malloc(sizeof(int) * (size_t)(n + 1));
	if (!rdst || !gk || !sk)
		abort();
	for (uint32_t d = 0; !err && d < img->nr_reaped; d++) {
		rdst[d] = new_remains(r, cmap[img->reaped[d].ct]);
		err = copy_numbers(r, n + (int)d, rdst[d], inv, img);
	}
	for (int i = 0; !err && i < n; i++) {
		uint32_t x[2] = { img->tasks[i].pgrp, img->tasks[i].session };
		int *k[2] = { &gk[i], &sk[i] };

		for (int j = 0; j < 2; j++)
			*k[j] = x[j] == PIDSIM_IMAGE_NONE ? -1 :
				x[j] < img->nr_tasks ? dst[x[j]] : rdst[x[j] - img->nr_tasks];
	}
	if (err || !commit) {
		rollback(r, nt0, nc0, nn0, seq0, last0);
		goto out;
	}
	join_copies(r, parent, stub, dst, n, gk, sk);
	*top = stub >= 0 ? stub : dst[0];
	for (int i = 0; i < n; i++)
		r->cts[r->tasks[dst[i]].ct].restored = true;
	if (stub >= 0)
		r->cts[r->tasks[stub].ct].restored = true;
	for (int c = 0; c < nic; c++)
		if (cmap[c] >= nc0)
			r->cts[cmap[c]].last = img->containers[c].cursor;
	if (mode == PIDSIM_RESTORE_INTO)
		r->cts[pc].last = last0[pc];
	/* The stored owners come back as new objects, in the image's order. */
	for (uint32_t o = 0; o < img->nr_owners; o++) {
		int t = dst[img->owners[o].task];

		r->objs = grow(r->objs, &r->cap_objs, r->nr_objs, sizeof *r->objs);
		r->objs[r->nr_objs++] = (struct ref_obj){
			.open = true, .id = -1, .owner = t, .owner_nr = ref_nr(r, 0, t),
		};
	}
out:
	free(rdst);
	free(gk);
	free(sk);
	free(maxw);
	free(last0);
	free(cmap);
	free(inv);
	return err;
}
