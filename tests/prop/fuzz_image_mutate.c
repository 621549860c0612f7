/*
 * fuzz_image_mutate.c - a structure-aware mutator for the image fuzz
 * target (libFuzzer's LLVMFuzzerCustomMutator).
 *
 * Why: an image ends in a CRC-32 of everything before it, so libFuzzer's
 * byte mutations die at the frame check (-EBADMSG) and never reach the
 * content checks or a restore.  This mutator decodes the input, changes
 * its fields - the numbers of each task in each view, the counts (a task,
 * a container or an owner more or less), parents, states and exit
 * statuses, container levels, cursors, hints, owners, the header's flags
 * and pid_max, each task's process group and session, the reaped leaders
 * (one more or less, their containers and numbers) - and encodes it again with pidsim_image_encode(), so the
 * checksum and the counts are always right and only the content is
 * wrong, or not.  Values come from the boundaries the code has (1,
 * RESERVED_PIDS, the pid_max values the target uses, PID_MAX_LIMIT,
 * INT_MAX, vpid-openvz's bit 10, vpid-ibm's id << 22 | vpid...) as well
 * as at random.
 *
 * Some mutations stay with bytes: libFuzzer's own (LLVMFuzzerMutate), on
 * input that does not decode or one time in eight, followed half the time
 * by a repair of the frame (the size field and the CRC), so that the
 * decoder's content checks see byte-level damage too.
 *
 * PIDSIM_FUZZ_BYTES=1 in the environment turns the structure off: the
 * plain byte mutator, for comparison.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim.h"
#include "pidsim_image.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);

#define MAX_T 64			/* tasks the mutator works on */
#define MAX_C 40			/* containers */
#define MAX_O 16			/* owners */
#define MAX_R 16			/* reaped leaders */
#define MAX_N (PIDSIM_MAX_LEVEL + 1)	/* numbers per task */

/* The image being mutated, in arrays of fixed room. */
static struct {
	struct pidsim_image img;
	struct pidsim_image_container cts[MAX_C];
	struct pidsim_image_task tasks[MAX_T];
	struct pidsim_image_owner owners[MAX_O];
	struct pidsim_image_reaped reaped[MAX_R];
	int nr[MAX_T][MAX_N];
	int rnr[MAX_R][MAX_N];
} m;

static uint64_t rng;

static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* vpid-ibm's number in the host's view for a task whose own is vpid:
 * a container id (9 bits, at their ends or at random) << 22 | vpid. */
static int ibm_nr(int vpid)
{
	static const uint32_t id[] = { 1, 2, 255, 256, 510, 511 };
	uint32_t i = below(2) ? id[below(6)] : 1 + below(511);

	return (int)(i << 22 | ((uint32_t)vpid & (PIDSIM_PID_MAX_LIMIT - 1)));
}

/* A number worth trying in a view of a task whose own number is own: an
 * extreme, one around a pid_max the target may have, a boundary of the
 * allocators (RESERVED_PIDS, vpid-openvz's bit 10 and min_ct_pid_max),
 * vpid-ibm's host number of the task, or a random one. */
static int interesting(int own)
{
	static const int extreme[] = {
		0, 1, 2, -1, INT_MAX, INT_MAX - 1, INT_MIN,
		PIDSIM_PID_MAX_LIMIT - 1, PIDSIM_PID_MAX_LIMIT, PIDSIM_PID_MAX_LIMIT + 1,
	};
	static const int bound[] = { 299, 300, 301, 1023, 1024, 1025, 1026, 1027 };
	const int pid_max[] = { m.img.pid_max, 16, 400, 4096, 32768 };

	switch (below(5)) {
	case 0:
		return extreme[below(sizeof extreme / sizeof extreme[0])];
	case 1:
		return pid_max[below(sizeof pid_max / sizeof pid_max[0])] - 1 +
		       (int)below(3);
	case 2:
		return bound[below(sizeof bound / sizeof bound[0])];
	case 3:		/* vpid-ibm's host number of the task's own */
		return ibm_nr(own);
	default:
		return below(2) ? (int)rnd() : (int)below(64);
	}
}

/* Levels below container 0, by the parents (a cycle or a bad index
 * counts as deep, which the decoder refuses anyway). */
static unsigned depth_of(uint32_t c)
{
	unsigned d = 0;

	while (c < m.img.nr_containers && c != 0 && d <= MAX_N) {
		c = m.cts[c].parent;
		d++;
	}
	return d;
}

/* Load the decoded image into m; false if it does not fit. */
static bool load(const struct pidsim_image *img)
{
	if (img->nr_tasks > MAX_T || img->nr_containers > MAX_C ||
	    img->nr_owners > MAX_O || img->nr_reaped > MAX_R)
		return false;
	m.img = *img;
	memcpy(m.cts, img->containers, img->nr_containers * sizeof *m.cts);
	memcpy(m.tasks, img->tasks, img->nr_tasks * sizeof *m.tasks);
	memcpy(m.owners, img->owners, img->nr_owners * sizeof *m.owners);
	if (img->nr_reaped)
		memcpy(m.reaped, img->reaped, img->nr_reaped * sizeof *m.reaped);
	for (uint32_t i = 0; i < img->nr_tasks; i++) {
		memcpy(m.nr[i], img->tasks[i].numbers,
		       img->tasks[i].nr_numbers * sizeof(int));
		m.tasks[i].numbers = m.nr[i];
	}
	for (uint32_t r = 0; r < img->nr_reaped; r++) {
		memcpy(m.rnr[r], img->reaped[r].numbers,
		       img->reaped[r].nr_numbers * sizeof(int));
		m.reaped[r].numbers = m.rnr[r];
	}
	m.img.containers = m.cts;
	m.img.tasks = m.tasks;
	m.img.owners = m.owners;
	m.img.reaped = m.reaped;
	return true;
}

/* The highest number any task has in the view of container c, plus one. */
static int fresh_in(uint32_t c)
{
	int top = 1;

	for (uint32_t i = 0; i < m.img.nr_tasks; i++) {
		uint32_t v = m.tasks[i].ct;

		for (unsigned j = 0; j < m.tasks[i].nr_numbers && v < m.img.nr_containers;
		     j++, v = m.cts[v].parent)
			if (v == c && m.nr[i][j] >= top)
				top = m.nr[i][j] < INT_MAX ? m.nr[i][j] + 1 : INT_MAX;
	}
	return top;
}

/* Give task i in container c numbers that fit: a new one in each view,
 * or none (0) above its own now and then. */
static void renumber(uint32_t i, uint32_t c, bool init)
{
	uint32_t v = c;

	m.tasks[i].ct = c;
	m.tasks[i].nr_numbers = depth_of(c) + 1;
	if (m.tasks[i].nr_numbers > MAX_N)
		m.tasks[i].nr_numbers = MAX_N;
	for (unsigned j = 0; j < m.tasks[i].nr_numbers; j++) {
		m.nr[i][j] = j == 0 && init ? 1 : j > 0 && !init && below(3) == 0
			     ? 0 : v < m.img.nr_containers ? fresh_in(v) : 1;
		if (v < m.img.nr_containers)
			v = m.cts[v].parent;
	}
}

/* A pid index of a group or session: a task i < T, a reaped leader T + r.
 * The task count moves from nt by delta: the reaped leaders' indices with
 * it, and an index of a task that goes (nt - 1 when delta < 0) is NONE. */
static void shift_pids(uint32_t nt, int delta)
{
	for (uint32_t i = 0; i < m.img.nr_tasks; i++) {
		uint32_t *x[2] = { &m.tasks[i].pgrp, &m.tasks[i].session };

		for (int k = 0; k < 2; k++) {
			if (*x[k] == PIDSIM_IMAGE_NONE)
				continue;
			if (delta < 0 && *x[k] == nt - 1)
				*x[k] = PIDSIM_IMAGE_NONE;
			else if (*x[k] >= nt && *x[k] < nt + m.img.nr_reaped)
				*x[k] = (uint32_t)((int64_t)*x[k] + delta);
		}
	}
}

/* The last task's ancestors, itself first: where a new last task may hang
 * and the image stay in pre-order. */
static uint32_t on_right_path(void)
{
	uint32_t path[MAX_T], n = 0;

	for (uint32_t t = m.img.nr_tasks - 1; t < m.img.nr_tasks && n < MAX_T;
	     t = m.tasks[t].parent)
		path[n++] = t;
	return n ? path[below(n)] : 0;
}

/* A new last task: a child of one on the right path, in its container or
 * as the init of a new one nested in it. */
static void add_task(void)
{
	uint32_t i = m.img.nr_tasks, p;
	bool nest;

	if (i >= MAX_T)
		return;
	p = on_right_path();
	nest = below(3) == 0 && m.img.nr_containers < MAX_C &&
	       depth_of(m.tasks[p].ct) < PIDSIM_MAX_LEVEL;
	shift_pids(i, 1);
	m.img.nr_tasks++;
	/* in its parent's group and session, as a fork's child */
	m.tasks[i] = (struct pidsim_image_task){ .parent = p, .state = PIDSIM_RUNNING,
						 .numbers = m.nr[i],
						 .pgrp = m.tasks[p].pgrp,
						 .session = m.tasks[p].session };
	if (nest) {
		uint32_t c = m.img.nr_containers++;

		m.cts[c] = (struct pidsim_image_container){
			.parent = m.tasks[p].ct, .init = i,
			.cursor = (int)below(3), .hint = below(4),
		};
		renumber(i, c, true);
	} else {
		renumber(i, m.tasks[p].ct, false);
	}
	if (below(4) == 0 && m.tasks[p].state == PIDSIM_RUNNING) {
		m.tasks[i].state = PIDSIM_ZOMBIE;
		m.tasks[i].exit_status = (int)below(256) << 8;
	}
}

/* Drop the last task, its container if it was its only one, its owners. */
static void drop_task(void)
{
	uint32_t i = m.img.nr_tasks - 1, o = 0;

	if (i == 0)
		return;
	if (m.img.nr_containers > 1 && m.cts[m.img.nr_containers - 1].init == i)
		m.img.nr_containers--;
	m.img.nr_tasks--;
	shift_pids(i + 1, -1);
	for (uint32_t k = 0; k < m.img.nr_owners; k++)
		if (m.owners[k].task != i)
			m.owners[o++] = m.owners[k];
	m.img.nr_owners = o;
}

static uint32_t any_index(uint32_t n)
{
	switch (below(8)) {
	case 0:
		return PIDSIM_IMAGE_NONE;
	case 1:
		return rnd();
	default:
		return below(n + 1);
	}
}

/* A reaped leader more (t's group's, in t's container, with numbers that
 * fit there), one less (the last: what it led is outside), or one
 * changed. */
static void mutate_reaped(uint32_t i)
{
	uint32_t nt = m.img.nr_tasks, r = m.img.nr_reaped;
	struct pidsim_image_task *t = &m.tasks[i];

	if (r < MAX_R && below(2)) {
		uint32_t c = t->ct < m.img.nr_containers ? t->ct : 0, v = c;
		struct pidsim_image_reaped *d = &m.reaped[r];

		d->ct = c;
		d->numbers = m.rnr[r];
		d->nr_numbers = depth_of(c) + 1;
		if (d->nr_numbers > MAX_N)
			d->nr_numbers = MAX_N;
		for (unsigned j = 0; j < d->nr_numbers; j++) {
			m.rnr[r][j] = v < m.img.nr_containers ? fresh_in(v) : 2;
			if (v < m.img.nr_containers)
				v = m.cts[v].parent;
		}
		m.img.nr_reaped++;
		t->pgrp = nt + r;
		if (below(3) == 0)
			t->session = nt + r;
	} else if (r && below(2)) {
		for (uint32_t k = 0; k < nt; k++) {
			if (m.tasks[k].pgrp == nt + r - 1)
				m.tasks[k].pgrp = PIDSIM_IMAGE_NONE;
			if (m.tasks[k].session == nt + r - 1)
				m.tasks[k].session = PIDSIM_IMAGE_NONE;
		}
		m.img.nr_reaped--;
	} else if (r) {
		uint32_t k = below(r);
		struct pidsim_image_reaped *d = &m.reaped[k];

		if (below(2))
			d->ct = below(2) ? below(m.img.nr_containers) : rnd();
		else if (d->nr_numbers && d->nr_numbers <= MAX_N)
			m.rnr[k][below(d->nr_numbers)] = interesting(m.rnr[k][0]);
	}
}

/* One change to m. */
static void mutate_once(void)
{
	uint32_t nt = m.img.nr_tasks, nc = m.img.nr_containers;
	uint32_t i = below(nt), c = below(nc);
	struct pidsim_image_task *t = &m.tasks[i];
	uint32_t kind = below(28);

	if (kind >= 22 && kind <= 24)	/* groups: a version 1 image grows them */
		m.img.version = PIDSIM_IMAGE_VERSION;
	switch (kind) {
	case 0: case 1: case 2: case 3: case 4:		/* a number */
	case 17: case 18: case 19: case 20: {
		/* half the time above its own view, where designs differ */
		unsigned j = t->nr_numbers > 1 && below(2)
			     ? 1 + below(t->nr_numbers - 1) : below(t->nr_numbers);

		if (below(4) == 0 && t->nr_numbers > 0)
			m.nr[i][j] = (int)((uint32_t)m.nr[i][j] + below(5) - 2);
		else if (below(4) == 0)	/* another task's, in any view */
			m.nr[i][j] = m.nr[below(nt)][0];
		else
			m.nr[i][j] = interesting(m.nr[i][0]);
		break;
	}
	case 5:		/* a task more, maybe a container more */
	case 6:
		add_task();
		break;
	case 7:
		drop_task();
		break;
	case 8:		/* a parent */
		t->parent = any_index(nt);
		break;
	case 9:		/* a state, an exit status */
		if (below(2))
			t->state = t->state == PIDSIM_RUNNING ? PIDSIM_ZOMBIE
							      : PIDSIM_RUNNING;
		else
			t->state = (int)below(4);
		t->exit_status = below(2) ? 0 : below(2) ? (int)below(65)
						   : (int)below(256) << 8;
		break;
	case 10:	/* a level: another container, numbers to fit */
		renumber(i, below(nc), t->ct < nc && m.cts[t->ct].init == i);
		break;
	case 11:	/* nr_numbers alone */
		t->nr_numbers = below(2) ? t->nr_numbers + 1 : t->nr_numbers - 1;
		if (t->nr_numbers > MAX_N)
			t->nr_numbers = below(MAX_N);
		break;
	case 12:	/* a cursor */
		m.cts[c].cursor = below(2) ? interesting(0) : fresh_in(c) - 1;
		break;
	case 13:	/* a hint */
		m.cts[c].hint = below(2) ? below(520) : rnd();
		break;
	case 14:	/* a container's parent or init */
		if (below(2))
			m.cts[c].parent = any_index(nc);
		else
			m.cts[c].init = any_index(nt);
		break;
	case 15:	/* an owner: another task, one more, one less */
		if (m.img.nr_owners && below(3) == 0)
			m.img.nr_owners--;
		else if (m.img.nr_owners < MAX_O && below(2))
			m.owners[m.img.nr_owners++].task = below(nt);
		else if (m.img.nr_owners)
			m.owners[below(m.img.nr_owners)].task = any_index(nt);
		break;
	case 16:	/* the header */
		if (below(2)) {
			m.img.flags ^= PIDSIM_IMAGE_TREE;
		} else {
			static const int pm[] = { 2, 16, 301, 400, 1027, 4096,
						  32768, PIDSIM_PID_MAX_LIMIT };

			m.img.pid_max = pm[below(sizeof pm / sizeof pm[0])];
		}
		break;
	case 21:	/* a task shaped as vpid-ibm's, one level below the
			 * host: its own number at a boundary, and the host's */
		if (t->nr_numbers == 2) {
			static const int own[] = { 1, 2, 399, 4095, 32767,
						   PIDSIM_PID_MAX_LIMIT - 1 };

			if (below(2))
				m.nr[i][0] = own[below(sizeof own / sizeof own[0])];
			m.nr[i][1] = ibm_nr(m.nr[i][0]);
		}
		break;
	case 22:	/* a group: another pid's, or its own */
		t->pgrp = below(2) ? i : any_index(nt + m.img.nr_reaped);
		break;
	case 23:	/* a session: another pid's, or its own (setsid) */
		if (below(2))
			t->pgrp = t->session = i;
		else
			t->session = any_index(nt + m.img.nr_reaped);
		break;
	case 24:	/* a reaped leader: one more, leading t's group; one
			 * less; another container or numbers */
		mutate_reaped(i);
		break;
	default:	/* numbers copied from one task to another */
		if (nt > 1) {
			uint32_t k = below(nt);

			for (unsigned j = 0; j < t->nr_numbers && j < m.tasks[k].nr_numbers; j++)
				if (below(2))
					m.nr[i][j] = m.nr[k][j];
		}
		break;
	}
}

/* CRC-32 as docs/image-format.md gives it (zlib's crc32()). */
static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

/* Byte mutations, then (when repair) the frame made right again: the
 * size field and the CRC. */
static size_t byte_mutate(uint8_t *data, size_t size, size_t max_size, bool repair)
{
	uint32_t crc;

	size = LLVMFuzzerMutate(data, size, max_size);
	if (!repair || size < PIDSIM_IMAGE_HEADER_SIZE + 4)	/* the CRC-32 trailer */
		return size;
	for (int i = 0; i < 8; i++)
		data[16 + i] = (uint8_t)((uint64_t)size >> (8 * i));
	crc = crc32_of(data, size - 4);
	for (int i = 0; i < 4; i++)
		data[size - 4 + i] = (uint8_t)(crc >> (8 * i));
	return size;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	static int bytes_only = -1;
	struct pidsim_image *img = NULL;
	void *out;
	size_t len;
	bool ok;

	if (bytes_only < 0) {
		const char *e = getenv("PIDSIM_FUZZ_BYTES");

		bytes_only = e && *e == '1';
	}
	rng = seed;
	if (bytes_only)
		return LLVMFuzzerMutate(data, size, max_size);
	if (below(8) == 0 || pidsim_image_decode(data, size, &img, NULL, 0))
		return byte_mutate(data, size, max_size, below(2));
	ok = load(img);
	pidsim_image_destroy(img);
	if (!ok)
		return byte_mutate(data, size, max_size, below(2));
	/* mostly one change: libFuzzer stacks them through its corpus */
	for (uint32_t n = below(4) ? 1 : 2 + below(3); n; n--)
		mutate_once();
	if (pidsim_image_encode(&m.img, &out, &len))
		return byte_mutate(data, size, max_size, below(2));
	if (len > max_size) {
		free(out);
		return byte_mutate(data, size, max_size, below(2));
	}
	memcpy(data, out, len);
	free(out);
	return len;
}
