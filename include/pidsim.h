/*
 * pidsim.h - a userspace model of a kernel task table, with several pid
 * designs behind one interface.
 *
 * What is pidsim?
 *
 * In February 2006 the Linux kernel developers argued about how containers
 * should get their own process ids (Hubertus Franke, "Summary: PID
 * virtualization, Containers, Migration", 3 Feb 2006).  Two designs were on
 * the table: PID virtualization (one internal pid space, converted to a
 * per-container virtual pid at every user/kernel crossing: the OpenVZ and
 * IBM patches) and PID spaces (one allocator and one lookup table per
 * container, references to tasks held as weak task references: Eric
 * Biederman's proposal, merged in hierarchical form as pid namespaces in
 * 2.6.24).
 *
 * pidsim implements the process semantics once (fork, exit, wait, kill,
 * getpid, getppid, ps, reparenting, container lifecycle) and lets a "design"
 * decide only how pids are allocated, looked up and shown.  The same calls
 * run on every design, so any difference in results or in the cost counters
 * is a difference between designs.
 *
 * Conventions (libuv's):
 *   - every function that can fail returns 0 or a positive result on
 *     success and a negative errno value on failure;
 *   - a call that fails changes nothing;
 *   - a NULL kernel image is -EINVAL (NULL or PIDSIM_NO_TASK from the
 *     calls that return no error); a NULL pointer for a result is -EINVAL
 *     unless the call's comment says it may be NULL;
 *   - tasks are named by pidsim_tid handles.  A handle is a weak task
 *     reference: it resolves to its task while the task exists (running or
 *     zombie) and to nothing once the task has been reaped, never to a later
 *     task.  A stale handle is -ESRCH, never a crash.  Handles belong to
 *     the image that gave them: two images hand out the same values;
 *   - a container is named by the handle of its init task;
 *   - "current" is the task making the call, as in the kernel.  It must be
 *     running: a zombie makes no system calls (-ESRCH).
 *
 * Not thread-safe: one kernel image is used by one thread at a time.
 *
 * Checkpoint, restore and migration of a process tree, and the image
 * format between kernel images: pidsim_image.h.
 */
#ifndef PIDSIM_H
#define PIDSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; pidsim_version() is the library's (the
 * shared library's soname carries the major number). */
#define PIDSIM_VERSION "0.1.0"
const char *pidsim_version(void);

/* A weak task reference; 0 (PIDSIM_NO_TASK) names no task. */
typedef uint64_t pidsim_tid;
#define PIDSIM_NO_TASK ((pidsim_tid)0)

typedef struct pidsim_kernel pidsim_kernel;

/* Linux's limits, kept by the model (include/linux/threads.h). */
#define PIDSIM_PID_MAX_DEFAULT 32768   /* PID_MAX_DEFAULT */
#define PIDSIM_PID_MAX_LIMIT 4194304   /* PID_MAX_LIMIT on 64-bit */
#define PIDSIM_RESERVED_PIDS 300       /* RESERVED_PIDS */
#define PIDSIM_MAX_LEVEL 32            /* MAX_PID_NS_LEVEL */

/* pidsim_fork() flags. */
#define PIDSIM_CLONE_NEWPID 0x1u       /* child is init of a new container */

/* Task states, from pidsim_task_state(). */
#define PIDSIM_RUNNING 1
#define PIDSIM_ZOMBIE 2

/* ---- Designs ------------------------------------------------------------ */

/*
 * The ways a design legitimately differs, written once as an X-macro:
 * X(ID, bit, name, meaning).  PIDSIM_D_<ID> is the bit in
 * pidsim_design_info.flags; the name is what the scenario language's
 * @FLAG selectors, `pidsim designs` and the transcripts' notes say.
 */
#define PIDSIM_DESIGN_FLAGS(X)                                                \
	X(HOST_SEES_ALL, 0x1u, "host-sees-all",                               \
	  "host tasks see every task by number")                              \
	X(OWNER_BY_NUMBER, 0x2u, "owner-by-number",                           \
	  "stored owners are kept as numbers")                                \
	X(SHARED_RANGE, 0x4u, "shared-range",                                 \
	  "all containers draw from one range")                               \
	X(RENUMBERS, 0x8u, "renumbers",                                       \
	  "numbers differ from the cyclic rule")                              \
	X(HIERARCHICAL, 0x10u, "hierarchical",                                \
	  "ancestors see descendants' tasks")                                 \
	X(HOST_GROUP_NUMBER, 0x20u, "host-group-number",                      \
	  "a group or session outside a container reads as its host number")

enum {
#define PIDSIM_X(id, bit, name, meaning) PIDSIM_D_##id = bit,
	PIDSIM_DESIGN_FLAGS(PIDSIM_X)
#undef PIDSIM_X
};

/* "host-sees-all" for PIDSIM_D_HOST_SEES_ALL; NULL for anything but one
 * flag.  pidsim_flag_find() is the reverse (len bytes of name): the flag,
 * or 0. */
const char *pidsim_flag_name(unsigned flag);
unsigned pidsim_flag_find(const char *name, size_t len);

/*
 * What a design is and what it cannot do, as data, so that tests, the
 * scenario runner and the benchmarks can say "not supported by this design"
 * instead of failing.
 */
struct pidsim_design_info {
	const char *name;        /* as given to pidsim_kernel_create() */
	const char *summary;     /* one line: what it is, where it comes from */
	const char *lookup;      /* what a pid -> task lookup in a container does */
	const char *conversion;  /* what a task -> pid conversion does */
	int max_level;           /* deepest container level (host is 0) */
	int level_errno;         /* fork(CLONE_NEWPID) past max_level: -errno */
	unsigned max_containers; /* containers alive at once, host excluded; 0: no limit */
	int max_pid_max;         /* largest pid_max it can give every container */
	int min_ct_pid_max;      /* smallest pid_max at which a container's
				  * tasks other than its init can fork; below
				  * it such a fork is -EAGAIN, unless a restore
				  * put tasks in that container; 0: no limit */
	unsigned flags;          /* PIDSIM_D_* */
	/* The mechanisms behind the flags, in words, for the notes that
	 * explain a difference between designs: */
	const char *host_view;   /* what the host's view of a container's
				  * tasks is made of */
	const char *renumbering; /* how its numbers differ from the cyclic
				  * rule (PIDSIM_D_RENUMBERS); NULL: they do not */
};

/* Number of designs compiled in. */
size_t pidsim_design_count(void);

/* The i-th design (0 <= i < pidsim_design_count()), or NULL. */
const struct pidsim_design_info *pidsim_design_at(size_t i);

/* The design called name, or NULL. */
const struct pidsim_design_info *pidsim_design_find(const char *name);

/* ---- Design limits -------------------------------------------------------- */

/*
 * The limits a design records, written once as an X-macro: X(ID, name).
 * Each is enforced in one place (lib/limits.c) by the calls it bounds, a
 * call it refuses says so (pidsim_limit_hit()), and the same check
 * answers ahead of time whether a design can hold a world
 * (pidsim_design_allows()), so the scenario runner, the command line and
 * the benchmarks name a limit without classifying errors themselves.
 *   max_level       a fork(CLONE_NEWPID) or a restore nesting deeper than
 *                   pidsim_design_info.max_level: its level_errno
 *   max_containers  more containers alive than max_containers: -EAGAIN
 *   max_pid_max     an image booted with pid_max above max_pid_max: -EINVAL
 *   min_ct_pid_max  a fork in a container of an image whose pid_max is
 *                   below min_ct_pid_max: -EAGAIN (vpid-openvz's linear
 *                   containers have no number left but their init's)
 *   shared_range    a fork or restore that needs a number when the one
 *                   range all containers share is full: -EAGAIN
 */
#define PIDSIM_LIMITS(X)                                                      \
	X(MAX_LEVEL, "max_level")                                             \
	X(MAX_CONTAINERS, "max_containers")                                   \
	X(MAX_PID_MAX, "max_pid_max")                                         \
	X(MIN_CT_PID_MAX, "min_ct_pid_max")                                   \
	X(SHARED_RANGE, "shared pid range full")

enum pidsim_limit {
	PIDSIM_LIMIT_NONE = 0,
#define PIDSIM_X(id, name) PIDSIM_LIMIT_##id,
	PIDSIM_LIMITS(PIDSIM_X)
#undef PIDSIM_X
};

/* What a world asks of a design: its deepest container level (host 0),
 * the containers alive at once (host excluded), pid_max (0: the default),
 * and whether tasks other than the containers' inits fork inside them. */
struct pidsim_needs {
	int level;
	unsigned containers;
	int pid_max;
	int forks_in_containers;
};

/*
 * The first limit of design d that a world with these needs passes, in
 * the order above; PIDSIM_LIMIT_NONE when d can hold it.  Only
 * forks_in_containers asks anything of min_ct_pid_max.  The calls check their limits with
 * this same function.  NULL d or n: PIDSIM_LIMIT_NONE (nothing to check).
 */
enum pidsim_limit pidsim_design_allows(const struct pidsim_design_info *d,
				       const struct pidsim_needs *n);

/* The limit's name and its value in d, as the transcripts write it:
 * "max_level 32", "shared pid range full".  snprintf()'s convention; ""
 * for PIDSIM_LIMIT_NONE, -EINVAL for a NULL d or an unknown limit. */
int pidsim_limit_format(const struct pidsim_design_info *d, enum pidsim_limit l,
			char *buf, size_t size);

/* "max_level" for PIDSIM_LIMIT_MAX_LEVEL; NULL for NONE or unknown. */
const char *pidsim_limit_name(enum pidsim_limit l);

/* ---- Kernel images ------------------------------------------------------ */

/*
 * Boot a kernel image running the named design, with host init as pid 1 of
 * the host container.  pid_max 0 means PIDSIM_PID_MAX_DEFAULT; otherwise it
 * must lie in 2..PIDSIM_PID_MAX_LIMIT and within the design's max_pid_max.
 * Returns 0, -ENOENT (unknown design), -EINVAL (bad pid_max or NULL) or
 * -ENOMEM.
 */
int pidsim_kernel_create(const char *design, int pid_max, pidsim_kernel **out);

/* Release the image and everything in it.  NULL is ignored. */
void pidsim_kernel_destroy(pidsim_kernel *k);

const struct pidsim_design_info *pidsim_kernel_design(const pidsim_kernel *k);
int pidsim_kernel_pid_max(const pidsim_kernel *k);

/* Host init: the only task a fresh image has (PIDSIM_NO_TASK for NULL). */
pidsim_tid pidsim_host_init(const pidsim_kernel *k);

/* Which recorded limit refused the last call on k that failed among
 * fork, restore and migrate (pidsim_image.h; for migrate, the target's);
 * PIDSIM_LIMIT_NONE when that call failed for another reason, or none
 * has failed (or k is NULL). */
enum pidsim_limit pidsim_limit_hit(const pidsim_kernel *k);

/* Counters, per image: 0, or -EINVAL for a NULL k or out.
 * pidsim_stats_reset() zeroes all but the bytes (NULL is ignored). */
struct pidsim_stats {
	uint64_t lookups;      /* number -> task lookups asked of the design */
	uint64_t conversions;  /* translations between pid domains */
	uint64_t probes;  /* pid-table finds, inserts and deletes (lib/pidtab.h) */
	uint64_t bytes;        /* bytes allocated now, all tables included */
	uint64_t peak_bytes;   /* most bytes allocated at once */
	uint64_t allocs;       /* allocation calls made */
	/* Migration (pidsim_image.h): bytes of image per task is
	 * ckpt_bytes / ckpt_tasks; the lookups and conversions a checkpoint
	 * or a restore spends are counted above, like any call's. */
	uint64_t ckpt_tasks;    /* tasks written to images by pidsim_checkpoint() */
	uint64_t ckpt_bytes;    /* bytes of those images */
	uint64_t restore_tasks; /* tasks made by pidsim_restore() */
	uint64_t restore_bytes; /* bytes of the images they came from */
};
int pidsim_stats_get(const pidsim_kernel *k, struct pidsim_stats *out);
void pidsim_stats_reset(pidsim_kernel *k);

/* What an image holds now: 0, or -EINVAL for a NULL k or out. */
struct pidsim_census {
	unsigned tasks;        /* running and zombie, host init included */
	unsigned zombies;
	unsigned containers;   /* host included; not one whose init was
				* reaped (it lingers, with no task in it,
				* while a reaped leader's pid of it does,
				* and counts towards max_containers) */
	unsigned reaped_leaders; /* reaped group or session leaders whose
				  * numbers a live group or session keeps */
};
int pidsim_census_get(const pidsim_kernel *k, struct pidsim_census *out);

/* ---- Process calls ------------------------------------------------------ */

/*
 * fork(2) / clone(2).  Creates a child of cur; with PIDSIM_CLONE_NEWPID the
 * child is pid 1 of a new container nested in cur's.  Returns the child's
 * pid as cur sees it (its glue pid, for a new container's init) and stores
 * its handle in *child when child is not NULL.  -EAGAIN when a pid range it
 * needs is full (in a container, always below the design's min_ct_pid_max);
 * the design's level_errno past its deepest level; -EINVAL
 * for unknown flags; -ESRCH when cur is not a running task; -ENOMEM.
 */
int pidsim_fork(pidsim_kernel *k, pidsim_tid cur, unsigned flags,
		pidsim_tid *child);

/*
 * exit(2).  cur becomes a zombie with exit status (code & 0xff) until its
 * parent waits; its children move to their container's init.  When cur is a
 * container's init, every other task of the container and of its
 * descendant containers is killed and released.  -EPERM for host init.
 */
int pidsim_exit(pidsim_kernel *k, pidsim_tid cur, int code);

/*
 * waitpid(pid, &status, WNOHANG).  pid > 0 names a child in cur's view,
 * -1 any child, 0 the children in cur's process group, pid < -1 the
 * children in the group cur's view numbers -pid; each takes the first
 * zombie among them in the order the children became children.  Returns
 * the reaped child's pid in cur's view and its wait status (as
 * <sys/wait.h> decodes it) in *status, 0 when the children matched are
 * all running, -ECHILD when none matches (a number naming no group
 * matches none), -ESRCH for INT_MIN.
 */
int pidsim_wait(pidsim_kernel *k, pidsim_tid cur, int pid, int *status);

/*
 * kill(2).  sig 0 probes; SIGCHLD, SIGCONT, SIGURG and SIGWINCH are
 * ignored; 19..22 (stop signals) are not modelled (-EINVAL); every other
 * signal 1..64 kills.  pid -1 signals every task cur can see but itself and
 * its container's init.  pid 0 signals every member of cur's process
 * group, cur included, wherever the members live (rule 15); pid < -1 every
 * member of the group cur's view numbers -pid, zombies included.  -ESRCH
 * when no task matches (a group with no member; INT_MIN), checked before
 * the signal number; -EINVAL for a bad signal.  A container's init
 * ignores signals from its own container and all but SIGKILL from an
 * ancestor container, whichever way they are addressed.
 */
int pidsim_kill(pidsim_kernel *k, pidsim_tid cur, int pid, int sig);

/* getpid(2), getppid(2): numbers as cur sees them (getppid: 0 when the
 * parent is not visible, as for a container's init). */
int pidsim_getpid(pidsim_kernel *k, pidsim_tid cur);
int pidsim_getppid(pidsim_kernel *k, pidsim_tid cur);

/* ---- Process groups and sessions (rules 11-16) ---------------------------- */

/*
 * A task belongs to one process group and one session, each named by the
 * pid of its leader (the task that created it).  Host init leads session 1
 * and group 1 from boot.  A child joins its parent's group and session,
 * the init of a new container too: it stays in a group and session it may
 * not be able to name (getpgid() 0) until it calls setsid().  A group's or
 * session's number stays taken in every view while the group or session
 * has a member, even after its leader was reaped: no fork gets it.
 *
 * The contract's rules (tests/contract/pgrp.c): 11 boot and inheritance;
 * 12 setpgid(); 13 setsid(); 14 getpgid() and getsid(); 15 kill() and
 * wait() on 0 and -pgid; 16 a number taken while its group or session
 * lives.
 */

/*
 * setpgid(2): move pid (0: cur) into group pgid (0: pid's own number,
 * making it a group leader).  -EINVAL when pgid < 0; -ESRCH when pid is
 * neither cur nor a child of cur; -EPERM when pid is a child in another
 * session, when pid leads a session, or when pgid is not pid's number and
 * no group numbered pgid in cur's view has a member in cur's session.  A
 * parent may move a child into any group of the same session.  (Linux's
 * -EACCES for a child that has exec'd: exec is not modelled.)
 */
int pidsim_setpgid(pidsim_kernel *k, pidsim_tid cur, int pid, int pgid);

/*
 * setsid(2): a new session and a new group, both numbered by cur's pid,
 * with cur their only member; returns that number in cur's view.  -EPERM
 * when cur already leads a process group (or a group numbered by its pid
 * lives on), a session leader always does.
 */
int pidsim_setsid(pidsim_kernel *k, pidsim_tid cur);

/*
 * getpgid(2), getsid(2): the number of the group (session) of pid (0: cur)
 * in cur's view: its leader's number there, 0 when the view has none (a
 * group inherited from outside a container; vpid-openvz reads the host's
 * number, PIDSIM_D_HOST_GROUP_NUMBER).  -ESRCH when cur cannot see pid.
 */
int pidsim_getpgid(pidsim_kernel *k, pidsim_tid cur, int pid);
int pidsim_getsid(pidsim_kernel *k, pidsim_tid cur, int pid);

/*
 * The pids cur can see, ascending, as ps(1) reads them from /proc.  Stores
 * up to cap of them in pids and returns how many there are (which may be
 * more than cap).
 */
int pidsim_ps(pidsim_kernel *k, pidsim_tid cur, int *pids, size_t cap);

/* Take a weak reference to the task cur sees as pid: -ESRCH if none. */
int pidsim_find(pidsim_kernel *k, pidsim_tid cur, int pid, pidsim_tid *out);

/* The number cur sees task t by: > 0, 0 when t is not visible to cur,
 * -ESRCH when t has been reaped. */
int pidsim_pid_of(pidsim_kernel *k, pidsim_tid cur, pidsim_tid t);

/* Whether t is PIDSIM_RUNNING or PIDSIM_ZOMBIE; -ESRCH once reaped. */
int pidsim_task_state(const pidsim_kernel *k, pidsim_tid t);

/* ---- Containers and qualified addresses ----------------------------------- */

/* The container t lives in, named by its init's handle. */
int pidsim_container_of(const pidsim_kernel *k, pidsim_tid t, pidsim_tid *ct);

/* Nesting level of t's container: 0 for the host. */
int pidsim_level_of(const pidsim_kernel *k, pidsim_tid t);

/*
 * Qualified addressing, (container, pid), as in the seed's
 * "ps --show-container": pid is read in container ct's view, which must be
 * cur's own container or a descendant of it (-EPERM otherwise).
 */
int pidsim_find_in(pidsim_kernel *k, pidsim_tid cur, pidsim_tid ct, int pid,
		   pidsim_tid *out);
int pidsim_kill_in(pidsim_kernel *k, pidsim_tid cur, pidsim_tid ct, int pid,
		   int sig);
int pidsim_ps_in(pidsim_kernel *k, pidsim_tid cur, pidsim_tid ct, int *pids,
		 size_t cap);

/* ---- Stored owners (F_SETOWN) ------------------------------------------- */

/*
 * fcntl(fd, F_SETOWN, pid): record the task cur sees as pid as the owner
 * of a new kernel object, stored as the design stores it (a number or a
 * weak reference).  Returns the object's id (>= 0), -ESRCH, -EINVAL for
 * pid <= 0 (an owner that is a process group is not modelled), -ENOMEM.
 */
int pidsim_setown(pidsim_kernel *k, pidsim_tid cur, int pid);

/*
 * send_sigio(): signal the owner of object obj from kernel context, with
 * no current task.  Stores the task it reached in *to (PIDSIM_NO_TASK if
 * none).  Returns 0 when a task was reached, -ESRCH when the stored owner
 * resolves to no task, -EBADF for an unknown object, -EINVAL for a bad sig.
 */
int pidsim_notify(pidsim_kernel *k, int obj, int sig, pidsim_tid *to);

/* Forget object obj.  -EBADF for an unknown object. */
int pidsim_owner_close(pidsim_kernel *k, int obj);

/* ---- Errors ------------------------------------------------------------- */

/* "ESRCH" for -ESRCH (or ESRCH); "E?" for any other int, INT_MIN too. */
const char *pidsim_errname(int err);

#ifdef __cplusplus
}
#endif
#endif /* PIDSIM_H */
