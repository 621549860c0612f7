/*
 * internal.h - the model's objects and the table of operations a pid
 * design fills in.
 *
 * The process semantics (task.c) are written once.  They reach the pid
 * design only through struct ps_design, a const table of operations in the
 * manner of the kernel's struct file_operations and Redis's dictType: give
 * a new task its pid(s) (by the cyclic rule, or the numbers a restore asks
 * for), release them at reap, find a task from a number in a view, give a
 * task's number as a view sees it, create and destroy a container's pid
 * state, read and set its cursor, walk a view in order, and keep a stored
 * owner.
 *
 * A view is a container: what the tasks inside it see.  Each design appends
 * its own fields to the kernel image, to every container and to every task
 * (SQLite's sqlite3_file pattern) and reaches them with ps_priv().
 */
#ifndef PS_INTERNAL_H
#define PS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "pidsim.h"
#include "weakref.h"

struct ps_container;

struct ps_task {
	struct ps_task *parent;		/* real parent; NULL for host init */
	struct ps_task *first_child;	/* children in the order they became children */
	struct ps_task *last_child;
	struct ps_task *next_sibling;
	struct ps_task *prev_sibling;
	struct ps_container *ct;	/* the container the task lives in */
	ps_ref ref;			/* this task's weak-reference slot */
	int state;			/* PIDSIM_RUNNING, PIDSIM_ZOMBIE, or
					 * PS_REAPED: only its pid is left */
	int exit_status;		/* wait status, once a zombie */
	/*
	 * Process group and session (pgrp.c): task->signal->pids[PIDTYPE_PGID]
	 * and [PIDTYPE_SID].  Each names the pid of the group's (session's)
	 * leader: a task, or what is left of one once it was reaped (state
	 * PS_REAPED), whose numbers stay taken in every view while any task
	 * still belongs to the group or the session, as a struct pid stays
	 * linked while any pid type uses it (detach_pid(), free_pid()).
	 */
	struct ps_task *pgrp, *session;
	struct ps_task *pg_next, *pg_prev;	/* pgrp's members (its PIDTYPE_PGID list) */
	/* This task's pid as a group's or a session's: */
	struct ps_task *pg_first;	/* the group's members; NULL: it names none */
	uint32_t nr_session;		/* tasks whose session it is */
	uint16_t pins;			/* walks of its group under way (get_pid()) */
	bool kill_mark;			/* a group kill has yet to signal it */
	/* the design's fields follow, ps_design.task_priv bytes */
};

/* ps_task.state of a reaped task whose pid still names a live group or
 * session: no task any more, only its numbers (pgrp.c). */
#define PS_REAPED 3

#ifdef PS_MUTANT_GROUP_NUMBER_REUSED
#define PS_MUTANT_NO_PID (-0x7ead)	/* pgrp.c's mutant */
#endif

struct ps_container {
	struct ps_container *parent;	/* NULL for the host */
	struct ps_task *init;		/* pid 1, the child reaper */
	int level;			/* 0 for the host */
	bool dead;			/* its init was reaped; it lingers while
					 * the remains of a reaped leader in it
					 * (or in a container below) live on */
	unsigned users;			/* pids whose container it is (tasks and
					 * the remains of reaped leaders) and
					 * child containers: the last to go
					 * destroys it, as the last put_pid()
					 * of a pid_namespace's pids frees it */
	uint32_t hint;			/* set by a restore before ct_init: the
					 * design-specific id it asks to reuse
					 * (vpid-ibm's container id); 0: none */
	/* the design's fields follow, ps_design.ct_priv bytes */
};

/* A kernel object with a stored owner (F_SETOWN); the design fills it. */
struct ps_owner {
	bool used;
	union {
		int nr;			/* a design that keeps a number */
		ps_ref ref;		/* a design that keeps a weak reference */
		uint64_t raw;
	} u;
};

/*
 * What a restored task asks for, as clone3()'s set_tid array does: its
 * number in each view on its chain of containers (its own and every
 * ancestor), indexed by the view's level.  nr[L] 0 asks for nothing there:
 * that view gives a number by the cyclic rule, as in a fork.  A number that
 * is taken is -EEXIST, one the view cannot hold (>= its pid_max) -EINVAL.
 * A design takes the numbers asked for in the views where it numbers the
 * task and ignores the rest.  A NULL want is a fork.
 */
struct ps_pid_want {
	int nr[PIDSIM_MAX_LEVEL + 1];
};

/* The number want asks for in view, or 0 (any). */
static inline int ps_want_nr(const struct ps_pid_want *want,
			     const struct ps_container *view)
{
	return want ? want->nr[view->level] : 0;
}

/*
 * A container's allocator state, as a restore reads it, sets its cursor
 * and puts it back when it fails: the last number handed out in the view
 * (the cursor of the cyclic rule; for a design whose host view shows
 * internal pids, the host's is the internal allocator's) and a mode that
 * a restore may switch (vpid-openvz: 1 once sparse; 0 in every other
 * design).
 */
struct ps_alloc_state {
	int last;
	int mode;
};

struct ps_design {
	struct pidsim_design_info info;
	size_t kernel_priv, ct_priv, task_priv;

	/* Set up and tear down the image-wide state (kernel_priv). */
	int (*kernel_init)(struct pidsim_kernel *k);
	void (*kernel_fini)(struct pidsim_kernel *k);

	/* A container's pid state: on creation (before its init is attached)
	 * and after its init has been released. */
	int (*ct_init)(struct pidsim_kernel *k, struct ps_container *ct);
	void (*ct_fini)(struct pidsim_kernel *k, struct ps_container *ct);

	/* The allocator state of ct's view (struct ps_alloc_state), read and
	 * set.  set only puts back a mode that get gave for ct, with any
	 * cursor, and so cannot fail. */
	void (*ct_state_get)(const struct pidsim_kernel *k,
			     const struct ps_container *ct,
			     struct ps_alloc_state *st);
	void (*ct_state_set)(struct pidsim_kernel *k, struct ps_container *ct,
			     const struct ps_alloc_state *st);
	/* The id a checkpoint records for ct, for ct_init to try again on
	 * restore (ps_container.hint).  Optional: NULL means none (0). */
	uint32_t (*ct_hint)(const struct pidsim_kernel *k,
			    const struct ps_container *ct);

	/* alloc_pid(): every number t needs, in every view that sees it, all
	 * or nothing.  t->ct is set, and t is t->ct->init for a new container.
	 * want is NULL for a fork, or the numbers a restore asks for
	 * (struct ps_pid_want).  0, -EAGAIN, -ENOMEM; with a want, also
	 * -EEXIST and -EINVAL. */
	int (*attach_pid)(struct pidsim_kernel *k, struct ps_task *t,
			  const struct ps_pid_want *want);
	/* free_pid(): release them all at reap. */
	void (*detach_pid)(struct pidsim_kernel *k, struct ps_task *t);

	/* find_task_by_pid_ns(): the task view sees as nr, or NULL.  Like
	 * find_pid_ns(), it may give the remains of a reaped group or
	 * session leader (PS_REAPED), whose number is still taken: the
	 * semantics ask pid_task() of it (task.h's find_task()). */
	struct ps_task *(*find_task)(struct pidsim_kernel *k,
				     const struct ps_container *view, int nr);
	/* task_pid_nr_ns(): t's number in view, 0 when view cannot see t. */
	int (*task_nr)(struct pidsim_kernel *k, const struct ps_task *t,
		       const struct ps_container *view);
	/* The other pid types (pgrp.c).  find_group: find_vpid() of a
	 * number naming a process group or a session, as kill(-pgid),
	 * wait(-pgid) and setpgid()'s pgid read it: the pid (a task or the
	 * remains of one) view sees as nr, or NULL.  group_nr: pid_vnr() of
	 * a group's or a session's pid, as getpgid() and getsid() give it:
	 * the number view reads for it, 0 when it has none there.  Most
	 * designs give a group the number its leader's pid has (find_task
	 * and task_nr); each design's file says where it does otherwise. */
	struct ps_task *(*find_group)(struct pidsim_kernel *k,
				      const struct ps_container *view, int nr);
	int (*group_nr)(struct pidsim_kernel *k, const struct ps_task *pid,
			const struct ps_container *view);
	/* find_ge_pid(): the task view sees by the lowest number >= nr, with
	 * that number in *found; NULL when there is none. */
	struct ps_task *(*find_ge)(struct pidsim_kernel *k,
				   const struct ps_container *view, int nr,
				   int *found);

	/* f_setown() / send_sigio(): keep t as o's owner, find it later from
	 * kernel context (no view). */
	void (*owner_set)(struct pidsim_kernel *k, struct ps_owner *o,
			  const struct ps_task *t);
	struct ps_task *(*owner_find)(struct pidsim_kernel *k,
				     const struct ps_owner *o);
};

struct pidsim_kernel {
	const struct ps_design *design;
	int pid_max;
	struct ps_mem mem;
	struct pidsim_stats stats;	/* all but the byte counts, kept in mem */
	uint64_t allocs_base;		/* mem.allocs at the last stats reset */
	struct ps_reftab refs;
	struct ps_container *host;
	unsigned nr_tasks, nr_zombies, nr_containers;
	unsigned nr_reaped;		/* remains of reaped leaders (PS_REAPED) */
	unsigned nr_dead_cts;		/* containers lingering with no init */
	uint64_t nr_released;		/* tasks released so far: a group walk
					 * restarts when a signal released some */
	size_t task_size, ct_size;
	struct ps_task *free_tasks;	/* released tasks kept for reuse, */
	unsigned nr_free_tasks;		/* at most PS_TASK_CACHE of them */
	struct ps_owner *owners;
	int nr_owners, cap_owners;	/* ids handed out, room for */
	int free_owner;			/* a closed id to reuse; -1: none */
	enum pidsim_limit limit_hit;	/* what refused the last failed fork,
					 * restore or migrate (pidsim_limit_hit()) */
	/* the design's fields follow, ps_design.kernel_priv bytes */
};

/* The design's fields appended to a model object.  Model structs are
 * padded to max_align_t so the appended fields are aligned. */
#define ps_priv(obj) ((void *)((char *)(obj) + ps_priv_offset(sizeof *(obj))))
static inline size_t ps_priv_offset(size_t size)
{
	size_t a = _Alignof(max_align_t);

	return (size + a - 1) / a * a;
}

/*
 * task.c's building blocks, for lib/ckpt/: restore builds a tree with the
 * same steps fork does, migrate releases one as wait and exit do, and
 * neither reaches into the design or the image's counts but through
 * these.
 */
/* The task a weak reference names, or NULL once it has been reaped. */
static inline struct ps_task *ps_task_resolve(const struct pidsim_kernel *k,
					      pidsim_tid tid)
{
	return ps_ref_resolve(&k->refs, tid);
}
/* A new container nested in parent, with no init yet; hint as in
 * ps_container.hint.  0, the design's ct_init error or -ENOMEM. */
int ps_ct_create(struct pidsim_kernel *k, struct ps_container *parent,
		 uint32_t hint, struct ps_container **out);
/* Destroy a container whose init was never attached. */
void ps_ct_destroy(struct pidsim_kernel *k, struct ps_container *ct);
/* A new running task in ct with the numbers want asks for (NULL: a
 * fork's), not linked to a parent; the first task of ct is its init. */
int ps_task_create(struct pidsim_kernel *k, struct ps_container *ct,
		   const struct ps_pid_want *want, struct ps_task **out);
/* Make t the last child of parent. */
void ps_link_child(struct ps_task *parent, struct ps_task *t);
/* Release t, which has no children: release_task(). */
void ps_release_task(struct pidsim_kernel *k, struct ps_task *t);
/* Release t and every descendant of it, children before parents, nested
 * containers with their inits, with no zombie left: t's parent sees t go
 * as if it had been reaped. */
void ps_release_tree(struct pidsim_kernel *k, struct ps_task *t);
/* Process groups and sessions (pgrp.c).  t joins group pgrp and session
 * session (pids: tasks or remains), leaving those it was in. */
void ps_pgrp_join(struct pidsim_kernel *k, struct ps_task *t,
		  struct ps_task *pgrp, struct ps_task *session);
/* The remains of a reaped leader in ct, with the numbers want asks for
 * (as ps_task_create()), pinned: unpin once members name it, and it goes
 * when none does.  0 or ps_task_create()'s error. */
int ps_pid_remains(struct pidsim_kernel *k, struct ps_container *ct,
		   const struct ps_pid_want *want, struct ps_task **out);
/* get_pid()/put_pid() on a pid for a walk of its group: the pid stays
 * while pinned; the last unpin frees remains that nothing names. */
void ps_pid_pin(struct ps_task *p);
void ps_pid_unpin(struct pidsim_kernel *k, struct ps_task *p);
/* Make sure n more stored owners can be added without allocating: 0 or
 * -ENOMEM (nothing changed). */
int ps_owner_reserve(struct pidsim_kernel *k, unsigned n);
/* A new object with t as its stored owner: its id, or -ENOMEM. */
int ps_owner_add(struct pidsim_kernel *k, const struct ps_task *t);
/* Object ids handed out so far (0 .. count - 1, some closed), and the task
 * object obj's stored owner reaches now, as send_sigio() would find it
 * (NULL for a closed object or an owner that reaches nothing). */
int ps_owner_count(const struct pidsim_kernel *k);
struct ps_task *ps_owner_task(struct pidsim_kernel *k, int obj);
/* t, running, becomes a zombie with wait status status (do_exit()'s last
 * step; a restore makes its zombies with it). */
void ps_task_make_zombie(struct pidsim_kernel *k, struct ps_task *t, int status);
/* t's number in view, as the design gives it: 0 when view cannot see t. */
int ps_task_nr(struct pidsim_kernel *k, const struct ps_task *t,
	       const struct ps_container *view);
/* The design's allocator state of ct (struct ps_alloc_state): read, and
 * set (a cursor 0 .. pid_max - 1), and the id a checkpoint records for ct
 * (ps_container.hint; 0 for a design without one). */
void ps_ct_state_get(const struct pidsim_kernel *k, const struct ps_container *ct,
		     struct ps_alloc_state *st);
void ps_ct_state_set(struct pidsim_kernel *k, struct ps_container *ct,
		     const struct ps_alloc_state *st);
uint32_t ps_ct_hint(const struct pidsim_kernel *k, const struct ps_container *ct);
/* Weak-reference slots in use or free (ps_ref_index() of a live task's
 * ref is below it), for a table indexed by task. */
uint32_t ps_task_slots(const struct pidsim_kernel *k);
/* Whether new containers nested down to level, made more of, would pass
 * a limit the design records (limits.c's check, as fork makes it). */
enum pidsim_limit ps_limit_new_containers(const struct pidsim_kernel *k,
					  int level, unsigned made);

/* Whether t is its container's init. */
static inline bool ps_is_init(const struct ps_task *t)
{
	return t == t->ct->init;
}

/* Whether view is ct or one of ct's ancestors: whether a task in view may
 * name ct by a qualified address. */
static inline bool ps_sees_container(const struct ps_container *view,
				     const struct ps_container *ct)
{
	for (; ct; ct = ct->parent)
		if (ct == view)
			return true;
	return false;
}

/* limits.c: the errno a call refused by limit l returns; which limit, if
 * any, explains an -EAGAIN from the design when a task of ct needed a
 * number (forked_in_ct: a fork by a task of ct, not a new container's
 * init nor a restore); and the record pidsim_limit_hit() reads, set by a
 * failing fork, restore or migrate. */
int ps_limit_errno(const struct pidsim_design_info *d, enum pidsim_limit l);
enum pidsim_limit ps_limit_eagain(const pidsim_kernel *k,
				  const struct ps_container *ct, bool forked_in_ct);
void ps_limit_refused(pidsim_kernel *k, enum pidsim_limit l);

/* The list of designs, designs.def expanded. */
extern const struct ps_design *const ps_designs[];
extern const size_t ps_nr_designs;
/* The design called name, or NULL. */
const struct ps_design *ps_design_find(const char *name);

#endif
