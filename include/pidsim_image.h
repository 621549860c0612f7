/*
 * pidsim_image.h - checkpoint, restore and migrate a process tree, and the
 * image format that carries it between kernel images.
 *
 * Why migration?  It is the reason the 2006 thread cared about pids at
 * all: "we can only migrate a self contained process tree (with some glue
 * at the top)", and "when we migrate we expect that the pid is preserved
 * to the user".  It is also where the designs part ways most: PID
 * virtualization keeps every vpid while the internal pids change under it
 * (vpid-openvz's linear containers come back sparse, vpid-ibm's container
 * id may be taken on the target), while PID spaces rebuild a whole space
 * with the same numbers.  Linux grew ns_last_pid and clone3()'s set_tid
 * for the same job (CRIU).
 *
 * An image is design-independent: it holds, for every task, the number it
 * has in each view inside the tree, as the source design answers it, and
 * any design restores what any design wrote, within its own limits.  The
 * format is docs/image-format.md; pidsim_image_decode() checks all of it.
 *
 * Conventions are pidsim.h's: 0 or a positive result, or a negative errno;
 * a call that fails changes nothing.  The image errors:
 *   -ENODATA          truncated: shorter than its header or its stated size
 *   -ENOEXEC          not a pidsim image (wrong magic)
 *   -EPROTONOSUPPORT  a version this build does not read
 *   -EFBIG            oversized: beyond the PIDSIM_IMAGE_MAX_* limits
 *   -EBADMSG          corrupted: checksum mismatch, or bytes past its end
 *   -EUCLEAN          checksum right but content inconsistent (a crafted
 *                     or buggy image: an index out of range, a child
 *                     before its parent, two tasks with one number...)
 */
#ifndef PIDSIM_IMAGE_H
#define PIDSIM_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pidsim.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PIDSIM_IMAGE_VERSION 2	/* what pidsim_checkpoint() writes; the
				 * decoder reads versions 1 and 2 */
#define PIDSIM_IMAGE_NONE 0xffffffffu	/* no index: a root has no parent */
#define PIDSIM_IMAGE_DESIGN_LEN 16	/* bytes of the design's name, NUL-padded:
				 * names up to 15 characters */

/* Limits a decoder enforces (-EFBIG past them), so that no image makes it
 * allocate without bound: PID_MAX_LIMIT tasks is more than one view holds. */
#define PIDSIM_IMAGE_MAX_TASKS (1u << 22)
#define PIDSIM_IMAGE_MAX_CONTAINERS (1u << 22)
#define PIDSIM_IMAGE_MAX_OWNERS (1u << 22)
#define PIDSIM_IMAGE_MAX_BYTES (1u << 30)

/* pidsim_image.flags */
#define PIDSIM_IMAGE_TREE 0x1u	/* a task tree: container 0 is the one the
				 * root's parent lives in, not in the image */

/* ---- Checkpoint, restore, migrate ---------------------------------------- */

/* What pidsim_checkpoint() takes. */
#define PIDSIM_CKPT_CONTAINER 1	/* root is a container's init: the container,
				 * its descendant containers, all their tasks */
#define PIDSIM_CKPT_TREE 2	/* root and all its descendants, in whatever
				 * containers they live (CRIU without a pid
				 * namespace) */

/* How pidsim_restore() places the tree. */
#define PIDSIM_RESTORE_CONTAINER 1 /* as a new container whose init is a
				    * child of parent (the glue at the top) */
#define PIDSIM_RESTORE_INTO 2	/* into parent's own container, each task
				 * asking for its old number there */

/*
 * Optional outputs of checkpoint, restore and migrate (any pointer may be
 * NULL, and so may the struct): the tree's tasks and stored-owner objects
 * in image order, on the source (checkpoint) and on the target (restore);
 * migrate fills both, so that task i on the source is task i on the
 * target.  Up to cap (obj_cap) entries are stored; the counts are the
 * image's, which may be more.
 */
struct pidsim_tree {
	size_t cap;			/* room in src and dst */
	pidsim_tid *src, *dst;		/* tasks on the source, on the target */
	size_t obj_cap;			/* room in src_obj and dst_obj */
	int *src_obj, *dst_obj;		/* owner objects (pidsim_setown() ids) */
	size_t nr_tasks, nr_objs;	/* out: how many the image holds */
	pidsim_tid top;			/* out (restore): the task linked to
					 * parent: the new container's init or
					 * the tree's root */
};

/*
 * Write the tree at root into a new image: with PIDSIM_CKPT_CONTAINER,
 * root must be the init of a container other than the host; with
 * PIDSIM_CKPT_TREE, any task but host init.  cur is the task asking, which
 * must live in the tree's top container or an ancestor of it (-EPERM), or
 * PIDSIM_NO_TASK for kernel context (a checkpoint tool).  Changes nothing
 * on k but its counters (the conversions it makes, ckpt_*).  *image is
 * malloc()ed: free it with pidsim_image_free().  -ESRCH (cur or root),
 * -EINVAL (what, NULL), -EFBIG, -ENOMEM.
 */
int pidsim_checkpoint(pidsim_kernel *k, pidsim_tid cur, pidsim_tid root,
		      unsigned what, void **image, size_t *len,
		      struct pidsim_tree *tree);

/*
 * Rebuild the tree of an image on k under parent, a running task, all or
 * nothing.  Returns the number parent sees tree->top by (as fork does).
 *
 * PIDSIM_RESTORE_CONTAINER: a new container nested in parent's, whose init
 * is a child of parent with a new glue pid.  Inside it every task has the
 * number, the parent, the state and the exit status it had, every nested
 * container is rebuilt, and every container's cursor is the image's, so
 * the next fork hands out what it would have on the source.  A cursor is
 * the last number handed out, so it must be below k's pid_max (-EINVAL
 * otherwise, as Linux refuses a write of more than pid_max to
 * ns_last_pid: pid_ns_ctl_handler()); the allocator is never given one
 * outside 0 .. pid_max - 1.  A tree image
 * (PIDSIM_CKPT_TREE) has no init of its own: a new init (pid 1) holds it,
 * and the tree's root is its child.
 *
 * PIDSIM_RESTORE_INTO: the tree goes into parent's container, its root a
 * child of parent, each task asking for its old number there (-EEXIST if
 * one is taken, -EINVAL if one is >= that view's pid_max or is a number
 * the design never hands out there, such as a vpid-openvz host number
 * with bit 10 set); containers nested in the tree are rebuilt as above,
 * each with the image's cursor (below pid_max, as above).  The target
 * container's cursor does not move, and the image's container 0 cursor
 * is not used.  A container image asks for pid 1 and so always fails.
 *
 * Either way, a number >= pid_max in a view is refused (-EINVAL) by a
 * design that asks for it and ignored by one that does not (vpid-ibm's
 * host-view numbers, id << 22 | vpid): it never moves a cursor.
 *
 * Numbers in views above the tree are new.  Stored owners come back as new
 * objects.  Fails with the image errors above, -ESRCH (parent), -EINVAL
 * (mode, NULL, a number out of range), -EEXIST, -EAGAIN (a view or the
 * design's container ids are full), the design's level_errno (nesting
 * deeper than it can), -ENOMEM; k is then as it was (tables keep any room
 * they grew, as a failed fork's do).
 *
 * When several errors apply, the first check to fail decides: mode, the
 * image, parent; then, before anything changes, level_errno, the
 * max_containers -EAGAIN, -EINVAL for a task's own number >= pid_max or
 * the cursor of a container it makes >= pid_max;
 * then the tasks in image order, each taking its numbers one view at a
 * time in its design's order (each design's attach_pid says which).  So
 * when a number is taken in one view (-EEXIST) and another view the task
 * needs a new number in is full (-EAGAIN), which of the two comes back
 * depends on the design; the property suite allows either.
 */
int pidsim_restore(pidsim_kernel *k, const void *image, size_t len,
		   pidsim_tid parent, unsigned mode, struct pidsim_tree *tree);

/*
 * Checkpoint root on src, restore the image on dst under parent, then
 * release the tree on src: its tasks and containers go, with no zombie
 * left (root's parent sees it go as if it had reaped it), and the stored
 * owners that moved are closed on src.  src and dst may be the same image
 * if parent is outside the tree; then a cur that is a task must see
 * parent's container (its own or a descendant), else -EPERM.  All or
 * nothing; the errors of both calls.
 */
int pidsim_migrate(pidsim_kernel *src, pidsim_tid cur, pidsim_tid root,
		   unsigned what, pidsim_kernel *dst, pidsim_tid parent,
		   unsigned mode, struct pidsim_tree *tree);

/* Free an image pidsim_checkpoint() made.  NULL is ignored. */
void pidsim_image_free(void *image);

/* ---- The format, decoded --------------------------------------------------- */

struct pidsim_image_container {
	uint32_t parent;	/* container index; NONE for container 0 */
	uint32_t init;		/* task index; NONE: container 0 of a tree image */
	int cursor;		/* the last number handed out in its view */
	uint32_t hint;		/* design-specific (vpid-ibm: its container id);
				 * other designs write 0 and ignore it */
};

struct pidsim_image_task {
	uint32_t parent;	/* task index, before this one; NONE for the root */
	uint32_t ct;		/* container index */
	int state;		/* PIDSIM_RUNNING or PIDSIM_ZOMBIE */
	int exit_status;	/* a zombie's wait status; 0 when running */
	unsigned nr_numbers;	/* ct's depth below container 0, plus one */
	const int *numbers;	/* [0] in its own container's view, [j] in
				 * the view j containers up; 0: none there */
	/* Its process group and session (version 2): the pid of each one's
	 * leader, as a pid index (a task i < nr_tasks, or nr_tasks + r for
	 * reaped leader r), or PIDSIM_IMAGE_NONE when the leader is outside
	 * the tree (always, in a version 1 image).  A restore puts a task
	 * whose group or session is outside in the restoring parent's group
	 * and session, as CRIU --shell-job does. */
	uint32_t pgrp, session;
};

/* A reaped group or session leader inside the tree (version 2): no task,
 * only its pid, whose numbers stay taken while its group or session has
 * members (pgrp.c).  A restore takes them again. */
struct pidsim_image_reaped {
	uint32_t ct;		/* container index */
	unsigned nr_numbers;	/* as a task's */
	const int *numbers;	/* as a task's */
};

/* A kernel object whose stored owner is in the tree; objects are listed
 * in the order of their ids on the source, and come back as new objects
 * in that order. */
struct pidsim_image_owner {
	uint32_t task;		/* task index of the stored owner */
};

struct pidsim_image {
	unsigned version;
	unsigned flags;		/* PIDSIM_IMAGE_* */
	int pid_max;		/* the source's (informative) */
	char design[PIDSIM_IMAGE_DESIGN_LEN + 1]; /* the source's design (informative) */
	size_t size;		/* bytes */
	uint32_t nr_containers, nr_tasks, nr_owners;
	uint32_t nr_reaped;	/* version 2: reaped leaders; 0 in version 1 */
	struct pidsim_image_container *containers;
	struct pidsim_image_task *tasks;	/* pre-order, children in order */
	struct pidsim_image_owner *owners;
	struct pidsim_image_reaped *reaped;
};

/*
 * Decode and check an image.  0 and *out (free with
 * pidsim_image_destroy()), or one of the image errors, or -ENOMEM, with a
 * one-line reason in why (when why is not NULL and why_size > 0); -EINVAL
 * for a NULL out, or a NULL buf with a length.
 */
int pidsim_image_decode(const void *buf, size_t len, struct pidsim_image **out,
			char *why, size_t why_size);
void pidsim_image_destroy(struct pidsim_image *img);

/*
 * Encode img into a malloc()ed buffer (free it with pidsim_image_free()):
 * the writer pidsim_checkpoint() uses, for a tool that builds or edits a
 * decoded image (the image fuzzer does).  It writes what img says, with a
 * valid checksum, and does not check that the content is consistent:
 * pidsim_image_decode() of the result does.  0, -EFBIG past the
 * PIDSIM_IMAGE_MAX_* limits, -EINVAL for a NULL argument, -ENOMEM.
 * img->size is ignored; img->version 1 writes a version 1 image (without
 * groups, sessions and reaped leaders: for tests of the reader), any other
 * value PIDSIM_IMAGE_VERSION.
 */
int pidsim_image_encode(const struct pidsim_image *img, void **buf, size_t *len);

/* The bytes of an image's header that every version shares, and all a
 * reader needs to know how much to read (docs/image-format.md); a version
 * 2 header has 8 bytes more. */
#define PIDSIM_IMAGE_HEADER_SIZE 64

/*
 * Check an image's header alone, the first PIDSIM_IMAGE_HEADER_SIZE bytes
 * (len may be more; fewer is -ENODATA), and give in *size the length it
 * states, at most PIDSIM_IMAGE_MAX_BYTES: a reader of a file or a pipe
 * reads the header, asks this, and reads no more than *size bytes (and
 * one, to see whether there are bytes past the end).  0, or what
 * pidsim_image_decode() would say of the header: -ENOEXEC, -ENODATA,
 * -EPROTONOSUPPORT, -EBADMSG (the header size), -EFBIG; -EINVAL for a NULL
 * size (or buf with len > 0).  A one-line reason in why.
 */
int pidsim_image_header(const void *buf, size_t len, uint64_t *size,
			char *why, size_t why_size);

/* The image as text, one line per container, task and owner; nothing
 * when out or img is NULL. */
void pidsim_image_print(FILE *out, const struct pidsim_image *img);

/* What an image error means, in a few words ("truncated image"...). */
const char *pidsim_image_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* PIDSIM_IMAGE_H */
