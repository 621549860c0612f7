/*
 * image.c - the image format: a design-independent, versioned,
 * self-checking binary form of a checkpointed process tree.
 *
 * Why a format of its own?  An image must travel between two processes
 * (build/pidsim checkpoint, then restore in another run) and between
 * designs, so it holds only what every design agrees on: the family tree
 * in pre-order with children in list order (so that wait(-1) reaps in the
 * same order after a restore), each task's state and exit status, the
 * number it has in each view inside the tree, the containers with their
 * cursors, and the stored owners that point inside the tree.  Nothing of
 * any design's internals goes in, except one optional per-container hint
 * that only the design that wrote it reads (vpid-ibm's container id).
 *
 * The layout, byte by byte, is docs/image-format.md: a 64-byte header
 * (magic, version, sizes, counts; its fields by offset in image.h), fixed-size records, and a CRC-32 of
 * everything before it, all little-endian whatever the host.  The reader
 * trusts nothing: it checks the magic, the version, the limits, the
 * length, the checksum, and then every index and every rule a real tree
 * obeys, before anything is built from it.  A bad image is an error code
 * and a reason, never a crash, a leak or an allocation sized by the input
 * beyond PIDSIM_IMAGE_MAX_BYTES.
 */
#include "image.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char magic[8] = { 0x89, 'P', 'I', 'D', 'S', 'I', 'M', '\n' };

/* ---- CRC-32 (IEEE 802.3, as zlib's crc32()) ------------------------------- */

static uint32_t crc_table[256];
static bool crc_ready;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int j = 0; j < 8; j++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = true;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	if (!crc_ready)
		crc_init();
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- Little-endian fields --------------------------------------------------- */

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The bytes of a header, and of a task record without its numbers, in
 * version v. */
static unsigned header_size(unsigned v)
{
	return v == 1 ? PS_IMG_HEADER : PS_IMG_HEADER_V2;
}

static unsigned task_size(unsigned v)
{
	return v == 1 ? PS_IMG_TASK : PS_IMG_TASK_V2;
}

/* Bytes of a version v image with these counts (numbers: all tasks' and
 * reaped leaders' numbers together). */
static uint64_t image_size(unsigned v, uint64_t cts, uint64_t tasks,
			   uint64_t reaped, uint64_t numbers, uint64_t owners)
{
	return header_size(v) + cts * PS_IMG_CONTAINER + tasks * task_size(v) +
	       reaped * PS_IMG_REAPED + numbers * 4 + owners * PS_IMG_OWNER +
	       PS_IMG_TRAILER;
}

/* ---- Writing ------------------------------------------------------------------ */

/* The header of a version v image of size bytes holding numbers
 * numbers. */
static void put_header(unsigned char *b, const struct pidsim_image *img,
		       unsigned v, uint64_t size, uint64_t numbers)
{
	memcpy(b + HDR_MAGIC, magic, sizeof magic);
	put32(b + HDR_VERSION, v);
	put32(b + HDR_HEADER_SIZE, header_size(v));
	if (v > 1)
		put32(b + HDR_REAPED, img->nr_reaped);
	put64(b + HDR_SIZE, size);
	put32(b + HDR_FLAGS, img->flags);
	put32(b + HDR_PID_MAX, (uint32_t)img->pid_max);
	put32(b + HDR_CONTAINERS, img->nr_containers);
	put32(b + HDR_TASKS, img->nr_tasks);
	put32(b + HDR_OWNERS, img->nr_owners);
	put32(b + HDR_NUMBERS, (uint32_t)numbers);
	for (int i = 0; i < PIDSIM_IMAGE_DESIGN_LEN - 1 && img->design[i]; i++)
		b[HDR_DESIGN + i] = (unsigned char)img->design[i];
}

/* The numbers of a task or a reaped leader, from p: past them. */
static unsigned char *put_numbers(unsigned char *p, const int *numbers,
				  unsigned n)
{
	for (unsigned j = 0; j < n; j++, p += 4)
		put32(p, (uint32_t)numbers[j]);
	return p;
}

int pidsim_image_encode(const struct pidsim_image *img, void **buf, size_t *len)
{
	unsigned v = img && img->version == 1 ? 1 : PIDSIM_IMAGE_VERSION;
	uint32_t nr_reaped = v > 1 && img ? img->nr_reaped : 0;
	uint64_t numbers = 0, size;
	unsigned char *b, *p;

	if (!img || !buf || !len)
		return -EINVAL;
	for (uint32_t i = 0; i < img->nr_tasks; i++)
		numbers += img->tasks[i].nr_numbers;
	for (uint32_t i = 0; i < nr_reaped; i++)
		numbers += img->reaped[i].nr_numbers;
	size = image_size(v, img->nr_containers, img->nr_tasks, nr_reaped,
			  numbers, img->nr_owners);
	if (img->nr_tasks > PIDSIM_IMAGE_MAX_TASKS ||
	    img->nr_containers > PIDSIM_IMAGE_MAX_CONTAINERS ||
	    img->nr_owners > PIDSIM_IMAGE_MAX_OWNERS ||
	    nr_reaped > PIDSIM_IMAGE_MAX_TASKS || size > PIDSIM_IMAGE_MAX_BYTES)
		return -EFBIG;
	b = calloc(1, (size_t)size);
	if (!b)
		return -ENOMEM;
	put_header(b, img, v, size, numbers);
	p = b + header_size(v);
	for (uint32_t c = 0; c < img->nr_containers; c++, p += PS_IMG_CONTAINER) {
		const struct pidsim_image_container *ct = &img->containers[c];

		put32(p + CT_PARENT, ct->parent);
		put32(p + CT_INIT, ct->init);
		put32(p + CT_CURSOR, (uint32_t)ct->cursor);
		put32(p + CT_HINT, ct->hint);
	}
	for (uint32_t i = 0; i < img->nr_tasks; i++) {
		const struct pidsim_image_task *t = &img->tasks[i];

		put32(p + TASK_PARENT, t->parent);
		put32(p + TASK_CT, t->ct);
		put16(p + TASK_STATE, (uint16_t)t->state);
		put16(p + TASK_NR_NUMBERS, (uint16_t)t->nr_numbers);
		put32(p + TASK_EXIT_STATUS, (uint32_t)t->exit_status);
		if (v > 1) {
			put32(p + TASK_PGRP, t->pgrp);
			put32(p + TASK_SESSION, t->session);
		}
		p = put_numbers(p + task_size(v), t->numbers, t->nr_numbers);
	}
	for (uint32_t i = 0; i < nr_reaped; i++) {
		const struct pidsim_image_reaped *d = &img->reaped[i];

		put32(p + REAPED_CT, d->ct);
		put16(p + REAPED_NR_NUMBERS, (uint16_t)d->nr_numbers);
		p = put_numbers(p + PS_IMG_REAPED, d->numbers, d->nr_numbers);
	}
	for (uint32_t o = 0; o < img->nr_owners; o++, p += PS_IMG_OWNER)
		put32(p, img->owners[o].task);
	put32(p, crc32_of(b, (size_t)(p - b)));
	*buf = b;
	*len = (size_t)size;
	return 0;
}

/* ---- Reading ------------------------------------------------------------------ */

struct reader {
	const unsigned char *b;
	size_t len;
	unsigned version;	/* 1 or 2, once the header passed */
	char *why;
	size_t why_size;
	struct pidsim_image *img;
	int *numbers;		/* every task's numbers, in task order */
	unsigned *depth;	/* per container: levels below container 0 */
	uint32_t *stack;	/* the pre-order path, root first */
	uint64_t *keys;		/* (view, number) pairs, to find duplicates */
	uint32_t *gsess;	/* per pid: the session of the group it names */
	bool *named;		/* per reaped leader: a task's group or session */
};

static int bad(struct reader *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	if (r->why_size) {
		va_start(ap, fmt);
		vsnprintf(r->why, r->why_size, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Magic, version, header size, stated size: what the first 64 bytes of
 * the header say, each with its own error. */
static int check_header(struct reader *r, uint64_t *size)
{
	const unsigned char *b = r->b;
	size_t n = r->len < sizeof magic ? r->len : sizeof magic;
	uint32_t v;

	if (memcmp(b, magic, n) != 0)
		return bad(r, -ENOEXEC, "not a pidsim image (bad magic)");
	if (r->len < PS_IMG_HEADER)
		return bad(r, -ENODATA, "truncated: %zu bytes, shorter than "
			   "the %d-byte header", r->len, PS_IMG_HEADER);
	v = get32(b + HDR_VERSION);
	if (v < 1 || v > PIDSIM_IMAGE_VERSION)
		return bad(r, -EPROTONOSUPPORT, "version %u (this build reads "
			   "versions 1 to %d)", v, PIDSIM_IMAGE_VERSION);
	r->version = v;
	if (get32(b + HDR_HEADER_SIZE) != header_size(v))
		return bad(r, -EBADMSG, "header size %u, not %u", get32(b + HDR_HEADER_SIZE),
			   header_size(v));
	*size = get64(b + HDR_SIZE);
	if (*size > PIDSIM_IMAGE_MAX_BYTES)
		return bad(r, -EFBIG, "oversized: %llu bytes (at most %u)",
			   (unsigned long long)*size, PIDSIM_IMAGE_MAX_BYTES);
	return 0;
}

/* The header, then the length, the checksum and the counts: what can be
 * checked before the content, each with its own error. */
static int check_frame(struct reader *r, uint64_t *numbers)
{
	const unsigned char *b = r->b;
	uint64_t size;
	uint32_t cts, tasks, owners, reaped = 0;
	int err = check_header(r, &size);

	if (err)
		return err;
	if (r->len < size)
		return bad(r, -ENODATA, "truncated: %zu of %llu bytes", r->len,
			   (unsigned long long)size);
	if (r->len > size)
		return bad(r, -EBADMSG, "%zu bytes past the end of the image",
			   r->len - (size_t)size);
	if (size < header_size(r->version) + PS_IMG_TRAILER)
		return bad(r, -EBADMSG, "stated size %llu is below the minimum",
			   (unsigned long long)size);
	if (get32(b + size - 4) != crc32_of(b, (size_t)size - 4))
		return bad(r, -EBADMSG, "checksum mismatch: the image is corrupted");
	cts = get32(b + HDR_CONTAINERS);
	tasks = get32(b + HDR_TASKS);
	owners = get32(b + HDR_OWNERS);
	if (r->version > 1)
		reaped = get32(b + HDR_REAPED);
	*numbers = get32(b + HDR_NUMBERS);
	if (cts > PIDSIM_IMAGE_MAX_CONTAINERS || tasks > PIDSIM_IMAGE_MAX_TASKS ||
	    owners > PIDSIM_IMAGE_MAX_OWNERS || reaped > PIDSIM_IMAGE_MAX_TASKS ||
	    *numbers > ((uint64_t)tasks + reaped) * (PIDSIM_MAX_LEVEL + 1))
		return bad(r, -EFBIG, "oversized: %u containers, %u tasks, %u "
			   "owners, %u reaped leaders, %llu numbers", cts, tasks,
			   owners, reaped, (unsigned long long)*numbers);
	if (image_size(r->version, cts, tasks, reaped, *numbers, owners) != size)
		return bad(r, -EUCLEAN, "counts do not add up to the size");
	if (r->version > 1 && get32(b + HDR_RESERVED))
		return bad(r, -EUCLEAN, "reserved header field not 0");
	return 0;
}

static int read_header(struct reader *r)
{
	struct pidsim_image *img = r->img;
	const unsigned char *b = r->b;

	img->version = get32(b + HDR_VERSION);
	img->size = r->len;
	img->flags = get32(b + HDR_FLAGS);
	img->pid_max = (int)get32(b + HDR_PID_MAX);
	img->nr_containers = get32(b + HDR_CONTAINERS);
	img->nr_tasks = get32(b + HDR_TASKS);
	img->nr_owners = get32(b + HDR_OWNERS);
	img->nr_reaped = r->version > 1 ? get32(b + HDR_REAPED) : 0;
	memcpy(img->design, b + HDR_DESIGN, PIDSIM_IMAGE_DESIGN_LEN);
	img->design[PIDSIM_IMAGE_DESIGN_LEN] = '\0';
	if (img->flags & ~PIDSIM_IMAGE_TREE)
		return bad(r, -EUCLEAN, "unknown flags 0x%x", img->flags);
	if (get32(b + HDR_PID_MAX) < 2 || get32(b + HDR_PID_MAX) > PIDSIM_PID_MAX_LIMIT)
		return bad(r, -EUCLEAN, "source pid_max %u out of range", get32(b + HDR_PID_MAX));
	if (!img->nr_containers || !img->nr_tasks)
		return bad(r, -EUCLEAN, "no %s", img->nr_tasks ? "container" : "task");
	for (int i = 0; i < PIDSIM_IMAGE_DESIGN_LEN; i++) {
		unsigned char c = b[HDR_DESIGN + i];

		if (c == 0) {
			while (++i < PIDSIM_IMAGE_DESIGN_LEN)
				if (b[HDR_DESIGN + i])
					return bad(r, -EUCLEAN, "design name not NUL-padded");
			return 0;
		}
		if (c < 0x21 || c > 0x7e)
			return bad(r, -EUCLEAN, "design name has byte 0x%02x", c);
	}
	return bad(r, -EUCLEAN, "design name not NUL-terminated");
}

static int read_containers(struct reader *r, const unsigned char *p)
{
	struct pidsim_image *img = r->img;
	bool tree = img->flags & PIDSIM_IMAGE_TREE;

	for (uint32_t c = 0; c < img->nr_containers; c++, p += PS_IMG_CONTAINER) {
		struct pidsim_image_container *ct = &img->containers[c];

		ct->parent = get32(p + CT_PARENT);
		ct->init = get32(p + CT_INIT);
		ct->cursor = (int)get32(p + CT_CURSOR);
		ct->hint = get32(p + CT_HINT);
		if (c == 0 ? ct->parent != PIDSIM_IMAGE_NONE : ct->parent >= c)
			return bad(r, -EUCLEAN, "container %u: parent %d is not "
				   "an earlier container", c, (int)ct->parent);
		r->depth[c] = c ? r->depth[ct->parent] + 1 : 0;
		if (r->depth[c] > PIDSIM_MAX_LEVEL)
			return bad(r, -EUCLEAN, "container %u: nested %u deep "
				   "(at most %d)", c, r->depth[c], PIDSIM_MAX_LEVEL);
		if (c == 0 && tree ? ct->init != PIDSIM_IMAGE_NONE
				   : ct->init >= img->nr_tasks)
			return bad(r, -EUCLEAN, "container %u: bad init %d", c,
				   (int)ct->init);
		if (ct->cursor < 0 || ct->cursor >= PIDSIM_PID_MAX_LIMIT)
			return bad(r, -EUCLEAN, "container %u: cursor %d out of "
				   "range", c, ct->cursor);
	}
	return 0;
}

/* A wait status the model can produce: exited with 0..255, or killed by
 * a signal 1..64. */
static bool status_ok(int st)
{
	return (st & 0xff) == 0 ? st >= 0 && st <= 0xff00 : st >= 1 && st <= 64;
}

/* The container a task's parent lives in: container 0 for the root of a
 * tree image (its parent stayed on the source), NONE for a container's. */
static uint32_t parent_ct(const struct pidsim_image *img, uint32_t i)
{
	if (i == 0)
		return img->flags & PIDSIM_IMAGE_TREE ? 0 : PIDSIM_IMAGE_NONE;
	return img->tasks[img->tasks[i].parent].ct;
}

/* One task's family and container: pre-order, containers first seen at
 * their init, a parent in the same container or (an init) the one above. */
static int check_family(struct reader *r, uint32_t i, uint32_t *sp,
			uint32_t *next_ct)
{
	struct pidsim_image *img = r->img;
	struct pidsim_image_task *t = &img->tasks[i];
	bool is_init;

	if (i == 0 ? t->parent != PIDSIM_IMAGE_NONE : t->parent >= i)
		return bad(r, -EUCLEAN, "task %u: parent %d is not an earlier "
			   "task", i, (int)t->parent);
	while (*sp && r->stack[*sp - 1] != t->parent)
		--*sp;
	if (i && !*sp)
		return bad(r, -EUCLEAN, "task %u: not in pre-order (parent %u "
			   "is not on the path to it)", i, t->parent);
	r->stack[(*sp)++] = i;
	if (i && img->tasks[t->parent].state == PIDSIM_ZOMBIE)
		return bad(r, -EUCLEAN, "task %u: its parent %u is a zombie",
			   i, t->parent);
	if (t->ct >= img->nr_containers || t->ct > *next_ct)
		return bad(r, -EUCLEAN, "task %u: container %d out of order",
			   i, (int)t->ct);
	is_init = img->containers[t->ct].init == i;
	if (t->ct == *next_ct) {
		if (!is_init)
			return bad(r, -EUCLEAN, "task %u: first task of container "
				   "%u is not its init", i, t->ct);
		++*next_ct;
	} else if (is_init) {
		return bad(r, -EUCLEAN, "task %u: init after its container's "
			   "tasks", i);
	}
	if (is_init ? img->containers[t->ct].parent != parent_ct(img, i)
		    : t->ct != parent_ct(img, i))
		return bad(r, -EUCLEAN, "task %u: its parent lives in the wrong "
			   "container", i);
	return 0;
}

/*
 * Whether some view of some design can hold nr as numbers[j] of t (view:
 * the container of that view).  A task's own number is 1 ..
 * PID_MAX_LIMIT - 1; a number above it, 0 for none.  No view of any
 * design numbers at or above PID_MAX_LIMIT but one: vpid-ibm's host,
 * where a container's task is id << 22 | vpid (id >= 1) - in an image,
 * the number one level up of a task in a container just below container
 * 0 of a tree image (the only image whose container 0 can be the host;
 * vpid-ibm does not nest), its low 22 bits the task's own number.
 */
_Static_assert((PIDSIM_PID_MAX_LIMIT & (PIDSIM_PID_MAX_LIMIT - 1)) == 0,
	       "a vpid-ibm host number's vpid is its low bits below PID_MAX_LIMIT");

static bool number_ok(const struct pidsim_image *img, const int *numbers,
		      unsigned j, uint32_t view, int nr)
{
	if (nr < 0 || (j == 0 && nr == 0))
		return false;
	if (nr < PIDSIM_PID_MAX_LIMIT)
		return true;
	return j == 1 && view == 0 && (img->flags & PIDSIM_IMAGE_TREE) &&
	       (nr & (PIDSIM_PID_MAX_LIMIT - 1)) == numbers[0];
}

/* The numbers of a pid in container ct (task i, or reaped leader i -
 * nr_tasks), from its own container's view up, each in range, into out
 * (its numbers in r->numbers) and, as (view, number) keys for the check
 * that no two pids share one, into r->keys. */
static int read_numbers(struct reader *r, uint32_t i, uint32_t ct, unsigned n,
			int *out, const unsigned char **pp, size_t *nkeys)
{
	struct pidsim_image *img = r->img;
	const unsigned char *p = *pp;
	uint32_t view = ct;

	for (unsigned j = 0; j < n; j++, p += 4) {
		int nr = (int)get32(p);

		out[j] = nr;
		if (!number_ok(img, out, j, view, nr))
			return bad(r, -EUCLEAN, "%s %u: number %d out of range "
				   "in container %u's view",
				   i < img->nr_tasks ? "task" : "reaped leader",
				   i < img->nr_tasks ? i : i - img->nr_tasks,
				   nr, view);
		if (nr)
			r->keys[(*nkeys)++] = (uint64_t)view << 32 | (uint32_t)nr;
		view = img->containers[view].parent;
	}
	*pp = p;
	return 0;
}

/* The tasks' records; *used and *nkeys count the numbers read. */
static int read_tasks(struct reader *r, const unsigned char **pp, size_t *used,
		      size_t *nkeys)
{
	struct pidsim_image *img = r->img;
	const unsigned char *p = *pp;
	uint32_t sp = 0, next_ct = img->flags & PIDSIM_IMAGE_TREE ? 1 : 0;
	uint64_t total = get32(r->b + HDR_NUMBERS);
	int err;

	for (uint32_t i = 0; i < img->nr_tasks; i++) {
		struct pidsim_image_task *t = &img->tasks[i];

		t->parent = get32(p + TASK_PARENT);
		t->ct = get32(p + TASK_CT);
		t->state = get16(p + TASK_STATE);
		t->nr_numbers = get16(p + TASK_NR_NUMBERS);
		t->exit_status = (int)get32(p + TASK_EXIT_STATUS);
		t->pgrp = t->session = PIDSIM_IMAGE_NONE;
		if (r->version > 1) {
			t->pgrp = get32(p + TASK_PGRP);
			t->session = get32(p + TASK_SESSION);
		}
		p += task_size(r->version);
		err = check_family(r, i, &sp, &next_ct);
		if (err)
			return err;
		if (t->state != PIDSIM_RUNNING && t->state != PIDSIM_ZOMBIE)
			return bad(r, -EUCLEAN, "task %u: state %d", i, t->state);
		if (t->state == PIDSIM_RUNNING ? t->exit_status != 0
					       : !status_ok(t->exit_status))
			return bad(r, -EUCLEAN, "task %u: exit status 0x%x", i,
				   (unsigned)t->exit_status);
		if (t->nr_numbers != r->depth[t->ct] + 1 ||
		    *used + t->nr_numbers > total)
			return bad(r, -EUCLEAN, "task %u: %u numbers for a "
				   "container %u deep", i, t->nr_numbers,
				   r->depth[t->ct]);
		t->numbers = r->numbers + *used;
		err = read_numbers(r, i, t->ct, t->nr_numbers, r->numbers + *used,
				   &p, nkeys);
		if (err)
			return err;
		*used += t->nr_numbers;
		if ((t->numbers[0] == 1) != (img->containers[t->ct].init == i))
			return bad(r, -EUCLEAN, "task %u: pid 1 is its container's "
				   "init's, and only its", i);
	}
	if (next_ct != img->nr_containers)
		return bad(r, -EUCLEAN, "a container has no task");
	*pp = p;
	return 0;
}

/* The reaped leaders' records (version 2): a container of the image, as
 * many numbers as a task there, none of them pid 1 (its init's). */
static int read_reaped(struct reader *r, const unsigned char **pp, size_t *used,
		       size_t *nkeys)
{
	struct pidsim_image *img = r->img;
	const unsigned char *p = *pp;
	uint64_t total = get32(r->b + HDR_NUMBERS);
	int err;

	for (uint32_t i = 0; i < img->nr_reaped; i++) {
		struct pidsim_image_reaped *d = &img->reaped[i];

		d->ct = get32(p + REAPED_CT);
		d->nr_numbers = get16(p + REAPED_NR_NUMBERS);
		if (get16(p + REAPED_RESERVED))
			return bad(r, -EUCLEAN, "reaped leader %u: reserved "
				   "field not 0", i);
		p += PS_IMG_REAPED;
		if (d->ct >= img->nr_containers)
			return bad(r, -EUCLEAN, "reaped leader %u: container %d "
				   "out of range", i, (int)d->ct);
		if (d->nr_numbers != r->depth[d->ct] + 1 ||
		    *used + d->nr_numbers > total)
			return bad(r, -EUCLEAN, "reaped leader %u: %u numbers "
				   "for a container %u deep", i, d->nr_numbers,
				   r->depth[d->ct]);
		d->numbers = r->numbers + *used;
		err = read_numbers(r, img->nr_tasks + i, d->ct, d->nr_numbers,
				   r->numbers + *used, &p, nkeys);
		if (err)
			return err;
		*used += d->nr_numbers;
		if (d->numbers[0] == 1)
			return bad(r, -EUCLEAN, "reaped leader %u: pid 1 is its "
				   "container's init's", i);
	}
	if (*used != total)
		return bad(r, -EUCLEAN, "numbers do not add up");
	*pp = p;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

#define UNSEEN 0xfffffffeu	/* no member of the group seen yet */

/* Whether pid index x names a task (not NONE, not a reaped leader). */
static bool is_task(const struct pidsim_image *img, uint32_t x)
{
	return x < img->nr_tasks;
}

/* Task i's group and session are pids of the image or NONE; reaped
 * leaders they name are marked. */
static int check_indices(struct reader *r, uint32_t i)
{
	struct pidsim_image *img = r->img;
	const struct pidsim_image_task *t = &img->tasks[i];
	uint32_t nr_pids = img->nr_tasks + img->nr_reaped;
	uint32_t x[2] = { t->pgrp, t->session };

	for (int j = 0; j < 2; j++) {
		if (x[j] == PIDSIM_IMAGE_NONE)
			continue;
		if (x[j] >= nr_pids)
			return bad(r, -EUCLEAN, "task %u: %s %d is no pid of the "
				   "image", i, j ? "session" : "process group",
				   (int)x[j]);
		if (!is_task(img, x[j]))
			r->named[x[j] - img->nr_tasks] = true;
	}
	return 0;
}

/* Task i's group has one session (gsess: per pid, its group's session);
 * a task leading i's group is in that session; a task leading i's
 * session is in it and leads its own group. */
static int check_leaders(struct reader *r, uint32_t i)
{
	struct pidsim_image *img = r->img;
	const struct pidsim_image_task *t = &img->tasks[i];

	if (t->pgrp != PIDSIM_IMAGE_NONE) {
		if (r->gsess[t->pgrp] == UNSEEN)
			r->gsess[t->pgrp] = t->session;
		if (r->gsess[t->pgrp] != t->session)
			return bad(r, -EUCLEAN, "task %u: process group %u spans "
				   "two sessions", i, t->pgrp);
		if (is_task(img, t->pgrp) &&
		    img->tasks[t->pgrp].session != t->session)
			return bad(r, -EUCLEAN, "task %u: the leader of its "
				   "group is in another session", i);
	}
	if (is_task(img, t->session) &&
	    (img->tasks[t->session].session != t->session ||
	     img->tasks[t->session].pgrp != t->session))
		return bad(r, -EUCLEAN, "task %u: the leader of its session "
			   "does not lead it", i);
	return 0;
}

/*
 * Groups and sessions, as a kernel holds them: every index a pid of the
 * image or NONE (outside the tree); every reaped leader named by some
 * task; a group's members all in one session; the leader of an inside
 * group in that group's session, and the leader of an inside session in
 * it and leading its own group (setsid() makes both; neither can be left
 * while the session is led).
 */
static int check_groups(struct reader *r)
{
	struct pidsim_image *img = r->img;
	int err = 0;

	for (uint32_t x = 0; x < img->nr_tasks + img->nr_reaped; x++)
		r->gsess[x] = UNSEEN;
	for (uint32_t i = 0; !err && i < img->nr_tasks; i++)
		err = check_indices(r, i);
	for (uint32_t i = 0; !err && i < img->nr_tasks; i++)
		err = check_leaders(r, i);
	for (uint32_t d = 0; !err && d < img->nr_reaped; d++)
		if (!r->named[d])
			err = bad(r, -EUCLEAN, "reaped leader %u: no task's "
				  "group or session", d);
	return err;
}

/* No two pids (tasks, reaped leaders) hold one number in one view. */
static int check_unique(struct reader *r, size_t nkeys)
{
	qsort(r->keys, nkeys, sizeof *r->keys, cmp_u64);
	for (size_t i = 1; i < nkeys; i++)
		if (r->keys[i] == r->keys[i - 1])
			return bad(r, -EUCLEAN, "two pids hold number %u in "
				   "container %u's view", (uint32_t)r->keys[i],
				   (uint32_t)(r->keys[i] >> 32));
	return 0;
}

static int read_owners(struct reader *r, const unsigned char *p)
{
	struct pidsim_image *img = r->img;

	for (uint32_t o = 0; o < img->nr_owners; o++, p += PS_IMG_OWNER) {
		img->owners[o].task = get32(p);
		if (img->owners[o].task >= img->nr_tasks)
			return bad(r, -EUCLEAN, "owner %u: task %d out of range",
				   o, (int)img->owners[o].task);
	}
	return 0;
}

/*
 * The decoded image in one block (the struct, then its tasks, containers,
 * owners, reaped leaders and numbers, each array aligned for its type),
 * and the reader's scratch; the counts are already bounded by
 * check_frame().
 */
static int alloc_decoded(struct reader *r, uint64_t numbers)
{
	const unsigned char *b = r->b;
	size_t cts = get32(b + HDR_CONTAINERS), tasks = get32(b + HDR_TASKS);
	size_t owners = get32(b + HDR_OWNERS);
	size_t reaped = r->version > 1 ? get32(b + HDR_REAPED) : 0;
#define ALIGN_FOR(at, type) (((at) + _Alignof(type) - 1) & ~(_Alignof(type) - 1))
	size_t at_tasks = ALIGN_FOR(sizeof(struct pidsim_image), struct pidsim_image_task);
	size_t at_cts = ALIGN_FOR(at_tasks + tasks * sizeof(struct pidsim_image_task),
				  struct pidsim_image_container);
	size_t at_owners = ALIGN_FOR(at_cts + cts * sizeof(struct pidsim_image_container),
				     struct pidsim_image_owner);
	size_t at_reaped = ALIGN_FOR(at_owners + owners * sizeof(struct pidsim_image_owner),
				     struct pidsim_image_reaped);
	size_t at_numbers = ALIGN_FOR(at_reaped + reaped * sizeof(struct pidsim_image_reaped),
				      int);
#undef ALIGN_FOR
	char *block = calloc(1, at_numbers + (size_t)numbers * sizeof(int));
	struct pidsim_image *img = (struct pidsim_image *)(void *)block;

	r->img = img;
	r->depth = calloc(cts, sizeof *r->depth);
	r->stack = calloc(tasks, sizeof *r->stack);
	r->keys = calloc(numbers ? numbers : 1, sizeof *r->keys);
	r->gsess = calloc(tasks + reaped, sizeof *r->gsess);
	r->named = calloc(reaped ? reaped : 1, sizeof *r->named);
	if (!img || !r->depth || !r->stack || !r->keys || !r->gsess || !r->named)
		return -ENOMEM;
	img->tasks = (void *)(block + at_tasks);
	img->containers = (void *)(block + at_cts);
	img->owners = (void *)(block + at_owners);
	img->reaped = (void *)(block + at_reaped);
	r->numbers = (void *)(block + at_numbers);
	return 0;
}

int pidsim_image_header(const void *buf, size_t len, uint64_t *size,
			char *why, size_t why_size)
{
	struct reader r = { .b = buf, .len = len, .why = why,
			    .why_size = why ? why_size : 0 };

	if (r.why_size)
		why[0] = '\0';
	if (!size || (!buf && len))
		return bad(&r, -EINVAL, "no image");
	if (len == 0)
		return bad(&r, -ENODATA, "empty image");
	return check_header(&r, size);
}

void pidsim_image_destroy(struct pidsim_image *img)
{
	free(img);
}

int pidsim_image_decode(const void *buf, size_t len, struct pidsim_image **out,
			char *why, size_t why_size)
{
	struct reader r = { .b = buf, .len = len, .why = why,
			    .why_size = why ? why_size : 0 };
	const unsigned char *p;
	uint64_t numbers = 0;
	size_t used = 0, nkeys = 0;
	int err;

	if (r.why_size)
		why[0] = '\0';
	if (!out || (!buf && len))
		return bad(&r, -EINVAL, "no image");
	if (len == 0)
		return bad(&r, -ENODATA, "empty image");
	err = check_frame(&r, &numbers);
	if (err)
		return err;
	err = alloc_decoded(&r, numbers);
	if (err) {
		bad(&r, err, "out of memory");
		goto out;
	}
	err = read_header(&r);
	if (err)
		goto out;
	p = r.b + header_size(r.version);
	err = read_containers(&r, p);
	if (err)
		goto out;
	p += (size_t)r.img->nr_containers * PS_IMG_CONTAINER;
	err = read_tasks(&r, &p, &used, &nkeys);
	if (!err)
		err = read_reaped(&r, &p, &used, &nkeys);
	if (!err)
		err = check_unique(&r, nkeys);
	if (!err)
		err = check_groups(&r);
	if (!err)
		err = read_owners(&r, p);
out:
	free(r.depth);
	free(r.stack);
	free(r.keys);
	free(r.gsess);
	free(r.named);
	if (err) {
		pidsim_image_destroy(r.img);
		return err;
	}
	*out = r.img;
	return 0;
}

/* ---- Text ------------------------------------------------------------------- */

static void print_index(FILE *out, char tag, uint32_t i)
{
	if (i == PIDSIM_IMAGE_NONE)
		fprintf(out, " %-6s", "-");
	else
		fprintf(out, " %c%-5u", tag, i);
}

/* A group's or session's pid: a task Tn, a reaped leader Rn, or "-"
 * (outside the tree). */
static void print_pid(FILE *out, const struct pidsim_image *img, uint32_t x)
{
	if (x == PIDSIM_IMAGE_NONE)
		fprintf(out, " %-6s", "-");
	else if (x < img->nr_tasks)
		fprintf(out, " T%-5u", x);
	else
		fprintf(out, " R%-5u", x - img->nr_tasks);
}

static void print_numbers(FILE *out, const int *numbers, unsigned n)
{
	fprintf(out, " pids");
	for (unsigned j = 0; j < n; j++)
		if (numbers[j])
			fprintf(out, " %d", numbers[j]);
		else
			fprintf(out, " -");
	fputc('\n', out);
}

void pidsim_image_print(FILE *out, const struct pidsim_image *img)
{
	if (!out || !img)
		return;
	fprintf(out, "pidsim image v%u: %zu bytes, %s from %s (pid_max %d)\n",
		img->version, img->size,
		img->flags & PIDSIM_IMAGE_TREE ? "a task tree" : "a container",
		img->design[0] ? img->design : "?", img->pid_max);
	fprintf(out, "containers %u%s\n", img->nr_containers,
		img->flags & PIDSIM_IMAGE_TREE ?
		" (C0: the container the tree's root was forked in)" : "");
	for (uint32_t c = 0; c < img->nr_containers; c++) {
		const struct pidsim_image_container *ct = &img->containers[c];

		fprintf(out, "  C%-5u parent", c);
		print_index(out, 'C', ct->parent);
		fprintf(out, " init");
		print_index(out, 'T', ct->init);
		fprintf(out, " cursor %d hint %u\n", ct->cursor, ct->hint);
	}
	fprintf(out, "tasks %u (pre-order; pids: own view first, then each "
		"container up)\n", img->nr_tasks);
	for (uint32_t i = 0; i < img->nr_tasks; i++) {
		const struct pidsim_image_task *t = &img->tasks[i];
		int st = t->exit_status;

		fprintf(out, "  T%-5u parent", i);
		print_index(out, 'T', t->parent);
		fprintf(out, " in C%-5u ", t->ct);
		if (t->state == PIDSIM_RUNNING)
			fprintf(out, "%-12s", "running");
		else if ((st & 0xff) == 0)
			fprintf(out, "exited %-5d", st >> 8);
		else
			fprintf(out, "killed %-5d", st);
		if (img->version > 1) {
			fprintf(out, " pgrp");
			print_pid(out, img, t->pgrp);
			fprintf(out, " sid");
			print_pid(out, img, t->session);
		}
		print_numbers(out, t->numbers, t->nr_numbers);
	}
	if (img->version > 1)
		fprintf(out, "reaped leaders %u (a group's or session's pid, no "
			"task)\n", img->nr_reaped);
	for (uint32_t d = 0; d < img->nr_reaped; d++) {
		fprintf(out, "  R%-5u in C%-5u ", d, img->reaped[d].ct);
		print_numbers(out, img->reaped[d].numbers, img->reaped[d].nr_numbers);
	}
	fprintf(out, "owners %u\n", img->nr_owners);
	for (uint32_t o = 0; o < img->nr_owners; o++)
		fprintf(out, "  O%-5u owner T%u\n", o, img->owners[o].task);
}

const char *pidsim_image_strerror(int err)
{
	switch (err) {
	case -ENODATA: return "truncated image";
	case -ENOEXEC: return "not a pidsim image";
	case -EPROTONOSUPPORT: return "unsupported image version";
	case -EFBIG: return "oversized image";
	case -EBADMSG: return "corrupted image";
	case -EUCLEAN: return "inconsistent image";
	case -ENOMEM: return "out of memory";
	case -EINVAL: return "invalid argument";
	default: return "not an image error";
	}
}
