/*
 * ref.h - the reference model: what every operation of the contract
 * (issue 2, rules 1-10, and include/pidsim.h) must return, written for
 * clarity and not for speed.
 *
 * It shares nothing with lib/: plain arrays that only grow, linear scans
 * for every lookup, and the rules spelled out once each, in the order the
 * contract states them.  Tasks and containers are named by their index in
 * the arrays (ids); a task keeps its id after it is reaped.
 *
 * Designs legitimately differ in how they number some views, and the
 * design's info says which (pidsim_design_info.flags):
 *
 *   - which tasks a view sees: its own container's tasks and the init of
 *     each direct child container (rule 4); every descendant's task with
 *     PIDSIM_D_HIERARCHICAL; every task, from the host, with
 *     PIDSIM_D_HOST_SEES_ALL;
 *   - which numbers follow the cyclic rule (rule 3) in a view: all of them,
 *     except with PIDSIM_D_RENUMBERS (vpid-openvz: every number is the
 *     design's own), and, for a host that sees every task but does not
 *     share its range with the containers (vpid-ibm), the numbers of
 *     tasks outside the host.  Such numbers are "adopted": the model
 *     takes the design's number when the task enters the view
 *     (ref_adopt()), checks it is positive and unique there, and holds the
 *     design to it for the rest of the task's life;
 *   - which ranges a fork draws from: every view that numbers the new task
 *     by the cyclic rule, so that with PIDSIM_D_SHARED_RANGE a fork in a
 *     container also needs a free number in the host;
 *   - limits: max_level (level_errno), max_containers (-EAGAIN),
 *     min_ct_pid_max (-EAGAIN for a fork in a container no restore has
 *     put tasks in);
 *   - stored owners: a weak reference, or with PIDSIM_D_OWNER_BY_NUMBER the
 *     owner's number in the host's view, found again by number (the host
 *     view is the kernel's: only a design that also sees every task from
 *     the host can keep an owner by number);
 *   - process groups and sessions (rules 11-16): numbered by their
 *     leader's numbers, but with PIDSIM_D_HOST_GROUP_NUMBER, where a group
 *     led outside a container reads inside it as its host number.  A
 *     reaped leader keeps its numbers while a task of its group or session
 *     exists (a task that does not exist but holds numbers is such
 *     "remains"); a group kill signals its members most recent joiner
 *     first (the library's list order).
 */
#ifndef PROP_REF_H
#define PROP_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "pidsim.h"

#define REF_UNKNOWN (-1000000)	/* a number only the design can tell */
#define REF_EEXIST_OR_EAGAIN (-1000001)	/* a migrate that may fail either way */
#define REF_EINVAL_OR_EAGAIN (-1000002)	/* a restore likewise: a number past
					 * pid_max asked for, none left where
					 * a new one is needed */

struct ref_task {
	bool exists;		/* from fork until reaped or released */
	int state;		/* PIDSIM_RUNNING or PIDSIM_ZOMBIE */
	int status;		/* wait status, once a zombie */
	int ct;			/* its container */
	int parent;		/* a task id; -1 for host init */
	long seq;		/* when it became its parent's child */
	int pgrp, session;	/* the leaders' task ids */
	long gseq;		/* when it joined its group */
};

struct ref_ct {
	bool exists;		/* until its init is reaped */
	int parent;		/* a container id; -1 for the host */
	int init;		/* a task id */
	int level;
	int last;		/* the view's cursor: the last number handed out */
	bool restored;		/* a restore put tasks in it: min_ct_pid_max
				 * does not hold there */
};

/* A number a task holds in a view. */
struct ref_num {
	int task, ct, nr;
};

struct ref_obj {
	bool open;
	int id;			/* the design's id for it (ids are the design's) */
	int owner;		/* a task id (weak reference designs) */
	int owner_nr;		/* the owner's host number (by-number designs) */
};

struct ref {
	unsigned flags;		/* PIDSIM_D_* */
	int max_level, level_errno;
	unsigned max_containers;
	int min_ct_pid_max;
	int pid_max;

	struct ref_task *tasks;
	int nr_tasks;
	struct ref_ct *cts;
	int nr_cts;
	struct ref_num *nums;	/* numbers held now */
	int nr_nums;
	struct ref_obj *objs;
	int nr_objs;
	long seq;		/* child order */
	int cap_tasks, cap_cts, cap_nums, cap_objs;
};

/* A fresh image: host init is task 0 in container 0.  info may be NULL
 * for the generator's model (pidspace's rules: flags 0, 32 levels). */
void ref_init(struct ref *r, const struct pidsim_design_info *info, int pid_max);
void ref_fini(struct ref *r);

/* ---- Questions ----------------------------------------------------------- */

bool ref_running(const struct ref *r, int t);
bool ref_is_init(const struct ref *r, int t);
/* Whether container a is b or one of b's ancestors. */
bool ref_ct_contains(const struct ref *r, int a, int b);
/* Whether view c sees task t (rule 4 and the design's flags). */
bool ref_visible(const struct ref *r, int c, int t);
/* t's number in view c now; 0 when c does not see it. */
int ref_nr(const struct ref *r, int c, int t);
/* The task view c sees as nr, or -1. */
int ref_find(const struct ref *r, int c, int nr);
/* The pid view c holds nr by: a task, or the remains of a reaped leader
 * (find_vpid()); -1. */
int ref_find_pid(const struct ref *r, int c, int nr);
/* The numbers view c sees, ascending, in out (room for r->nr_tasks). */
int ref_list(const struct ref *r, int c, int *out);
/* The views where t's number is the design's own, to learn with
 * ref_adopt() right after t's fork: up to r->nr_cts of them. */
int ref_adopt_views(const struct ref *r, int t, int *views);
/* Learn t's number in view c: NULL, or what is wrong with it. */
const char *ref_adopt(struct ref *r, int c, int t, int nr);

/* ---- Operations: each returns what the call must return ------------------ */

/* What a fork would return if it fails (an error), or 0 if it succeeds. */
int ref_fork_error(const struct ref *r, int cur, unsigned flags);
/* Whether the design may run out of numbers where the model does not: a
 * view the fork needs numbers the design's own way. */
bool ref_fork_may_eagain(const struct ref *r, int cur, unsigned flags);
/* Fork (which ref_fork_error() said succeeds): the child's id in *child,
 * its number in cur's view as the result (REF_UNKNOWN when adopted). */
int ref_fork(struct ref *r, int cur, unsigned flags, int *child);

int ref_exit(struct ref *r, int cur, int code);
/* *reaped: the task reaped, or -1. */
int ref_wait(struct ref *r, int cur, int pid, int *status, int *reaped);
int ref_kill(struct ref *r, int cur, int pid, int sig);
int ref_kill_in(struct ref *r, int cur, int ct_task, int pid, int sig);
int ref_getpid(const struct ref *r, int cur);
int ref_getppid(const struct ref *r, int cur);
/* Rules 11-16.  getpgid and getsid give REF_UNKNOWN for a number only the
 * design can tell (a restored reaped leader's, in a view the design
 * numbers its own way: learn it with ref_adopt() of *pid). */
int ref_setpgid(struct ref *r, int cur, int pid, int pgid);
int ref_setsid(struct ref *r, int cur);
int ref_getpgid(const struct ref *r, int cur, int pid, int *leader);
int ref_getsid(const struct ref *r, int cur, int pid, int *leader);
/* The members of group g that exist, most recent joiner first, into out
 * (room for r->nr_tasks): how many. */
int ref_group_members(const struct ref *r, int g, int *out);
/* ps: the count; the numbers in out (room for r->nr_tasks). */
int ref_ps(const struct ref *r, int cur, int *out);
int ref_ps_in(const struct ref *r, int cur, int ct_task, int *out);
/* find: 0 and the task in *found, or an error. */
int ref_find_task(const struct ref *r, int cur, int pid, int *found);
int ref_find_in(const struct ref *r, int cur, int ct_task, int pid, int *found);
int ref_pid_of(const struct ref *r, int cur, int t);
int ref_state(const struct ref *r, int t);
/* setown: the object's index in the model (>= 0), or an error.  Object
 * ids are the design's to choose: learn the one it chose with
 * ref_obj_adopt() (NULL, or what is wrong with it); notify and close name
 * objects by those ids. */
int ref_setown(struct ref *r, int cur, int pid);
const char *ref_obj_adopt(struct ref *r, int obj, int id);
/* notify: *to is the task reached, or -1. */
int ref_notify(struct ref *r, int id, int sig, int *to);
int ref_close(struct ref *r, int id);

/* ---- Migration within one image (pidsim_image.h) -------------------------- */

/* pidsim_migrate(r, cur, root, what, r, parent, mode): the error, or 0
 * with the tree's tasks in image order in src[], their copies in dst[]
 * (room for r->nr_tasks each), their count in *n and the task linked to
 * parent in *top (REF_EEXIST_OR_EAGAIN: a task asks for a number that is
 * taken and needs one where none is left, which a design checks in its own
 * order).  Inside the tree every number is the source's; above it
 * numbers follow the cyclic rule, or are the design's own: learn those
 * with ref_adopt() for every view that sees a copy but holds no number for
 * it.  Objects whose owner moved are closed and come back as new objects
 * (from the first index past the old r->nr_objs, in the order of their
 * ids), whose ids to learn with ref_obj_adopt().  With commit false the
 * model is left as it was either way (the result only). */
int ref_migrate(struct ref *r, int cur, int root, unsigned what, int parent,
		unsigned mode, bool commit, int *src, int *dst, int *n, int *top);

/* ---- Restore from another kernel image (pidsim_image.h) ------------------- */

struct pidsim_image;

/* pidsim_restore() of the decoded image img under parent in mode: the
 * error, or 0 with the image's tasks, in its order, in dst[] (room for
 * img->nr_tasks) and the task linked to parent in *top.  Inside the tree
 * every number is the image's; above it, new ones as ref_migrate()'s are
 * (learn the adopted ones with ref_adopt()).  The image's owners come
 * back as new objects from the first index past the old r->nr_objs, whose
 * ids to learn with ref_obj_adopt().  With commit false the model is left
 * as it was either way. */
int ref_restore(struct ref *r, const struct pidsim_image *img, int parent,
		unsigned mode, bool commit, int *dst, int *top);

#endif
