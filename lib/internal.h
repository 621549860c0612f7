/*
 * internal.h - the model's objects and the table of operations a pid
 * design fills in.
 *
 * The process semantics (task.c) are written once.  They reach the pid
 * design only through struct ps_design, a const table of operations in the
 * manner of the kernel's struct file_operations and Redis's dictType: give
 * a new task its pid(s), release them at reap, find a task from a number in
 * a view, give a task's number as a view sees it, create and destroy a
 * container's pid state, walk a view in order, and keep a stored owner.
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
	int state;			/* PIDSIM_RUNNING or PIDSIM_ZOMBIE */
	int exit_status;		/* wait status, once a zombie */
	/* the design's fields follow, ps_design.task_priv bytes */
};

struct ps_container {
	struct ps_container *parent;	/* NULL for the host */
	struct ps_task *init;		/* pid 1, the child reaper */
	int level;			/* 0 for the host */
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

	/* alloc_pid(): every number t needs, in every view that sees it, all
	 * or nothing.  t->ct is set, and t is t->ct->init for a new container.
	 * 0, -EAGAIN or -ENOMEM. */
	int (*attach_pid)(struct pidsim_kernel *k, struct ps_task *t);
	/* free_pid(): release them all at reap. */
	void (*detach_pid)(struct pidsim_kernel *k, struct ps_task *t);

	/* find_task_by_pid_ns(): the task view sees as nr, or NULL. */
	struct ps_task *(*find_task)(struct pidsim_kernel *k,
				     const struct ps_container *view, int nr);
	/* task_pid_nr_ns(): t's number in view, 0 when view cannot see t. */
	int (*task_nr)(struct pidsim_kernel *k, const struct ps_task *t,
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
	struct ps_task *(*owner_get)(struct pidsim_kernel *k,
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
	size_t task_size, ct_size;
	struct ps_task *free_tasks;	/* released tasks kept for reuse */
	struct ps_owner *owners;
	int nr_owners, cap_owners;	/* ids handed out, room for */
	int free_owner;			/* a closed id to reuse; -1: none */
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

/* The list of designs, designs.def expanded. */
extern const struct ps_design *const ps_designs[];
extern const size_t ps_nr_designs;

#endif
