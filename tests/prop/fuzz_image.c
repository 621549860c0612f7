/*
 * fuzz_image.c - libFuzzer target: the image decoder and restore.
 *
 * Any bytes: pidsim_image_decode() must return an image or an error, never
 * crash or leak, and what it decodes must encode back to the same bytes.
 * pidsim_restore() of the same bytes runs on every design, in both modes
 * (PIDSIM_RESTORE_CONTAINER and _INTO), under the host and under a
 * container's init, on a target of the image's own pid_max (and of
 * PID_MAX_LIMIT when the image has a number or a cursor past its own): it
 * must rebuild the tree or fail, and a failure
 * must change nothing.  "Nothing" is checked against a twin target that
 * never saw the call: the same census, and the same numbers for the next
 * fork in the host and in the container (so a cursor moved shows too).
 *
 * Mutating bytes under a CRC-32 gets almost nothing past the frame check;
 * fuzz_image_mutate.c gives libFuzzer a structure-aware mutator that
 * decodes, changes fields and encodes with a valid checksum.  This file
 * is also built without libFuzzer, with fuzz_replay.c, for make test to
 * replay tests/corpus/image/ and tests/corpus/regress-image/.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim.h"
#include "pidsim_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a failed restore must leave as it was. */
struct seen {
	struct pidsim_census census;
	int host_pid, ct_pid;
};

static void die(const char *design, int pid_max, unsigned mode, int under_ct,
		int ret, const char *what)
{
	fprintf(stderr, "fuzz_image: restore on %s (pid_max %d, mode %s, under "
		"the %s) returned %d and %s\n", design, pid_max,
		mode == PIDSIM_RESTORE_INTO ? "INTO" : "CONTAINER",
		under_ct ? "container's init" : "host", ret, what);
	abort();
}

/* The next fork's number by cur, undone (exit and reap). */
static int next_pid(pidsim_kernel *k, pidsim_tid cur)
{
	pidsim_tid t;
	int pid = pidsim_fork(k, cur, 0, &t);

	if (pid > 0) {
		pidsim_exit(k, t, 0);
		pidsim_wait(k, cur, pid, NULL);
	}
	return pid;
}

static void seen_get(pidsim_kernel *k, pidsim_tid ct, struct seen *s)
{
	memset(s, 0, sizeof *s);
	pidsim_census_get(k, &s->census);
	s->host_pid = next_pid(k, pidsim_host_init(k));
	s->ct_pid = next_pid(k, ct);
}

/* A target: a container (its init in *ct) with a child, a host task, the
 * cursors past the start. */
static pidsim_kernel *boot(const char *design, int pid_max, pidsim_tid *ct)
{
	pidsim_kernel *k;
	pidsim_tid host;

	if (pidsim_kernel_create(design, pid_max, &k))
		abort();
	host = pidsim_host_init(k);
	*ct = PIDSIM_NO_TASK;
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, ct);
	pidsim_fork(k, *ct, 0, NULL);
	pidsim_fork(k, host, 0, NULL);
	return k;
}

/* What a fresh target of design at pid_max shows (a twin that never saw
 * a restore): computed once per pair. */
static const struct seen *fresh_seen(const char *design, int pid_max)
{
	static struct {
		const char *design;
		int pid_max;
		struct seen s;
	} cache[16];
	static unsigned next;
	pidsim_kernel *k;
	pidsim_tid ct;
	unsigned i;

	for (i = 0; i < 16; i++)
		if (cache[i].design == design && cache[i].pid_max == pid_max)
			return &cache[i].s;
	i = next++ % 16;
	k = boot(design, pid_max, &ct);
	seen_get(k, ct, &cache[i].s);
	pidsim_kernel_destroy(k);
	cache[i].design = design;
	cache[i].pid_max = pid_max;
	return &cache[i].s;
}

/* One restore on a fresh target, a failure checked against a twin. */
static void restore_one(const char *design, int pid_max, unsigned mode,
			int under_ct, const uint8_t *data, size_t size,
			int decode_err, uint32_t nr_tasks)
{
	pidsim_tid ct;
	pidsim_kernel *k = boot(design, pid_max, &ct);
	struct pidsim_census c0, c1;
	struct seen a;
	int ret;

	pidsim_census_get(k, &c0);
	ret = pidsim_restore(k, data, size, under_ct ? ct : pidsim_host_init(k),
			     mode, NULL);
	if (decode_err && ret != decode_err)
		die(design, pid_max, mode, under_ct, ret, "not the decoder's error");
	if (ret >= 0) {
		pidsim_census_get(k, &c1);
		if (c1.tasks < c0.tasks + nr_tasks || c1.tasks > c0.tasks + nr_tasks + 1)
			die(design, pid_max, mode, under_ct, ret,
			    "made a wrong number of tasks");
	} else {
		seen_get(k, ct, &a);
		if (memcmp(&a, fresh_seen(design, pid_max), sizeof a))
			die(design, pid_max, mode, under_ct, ret,
			    "changed the target (census, or the next numbers)");
	}
	pidsim_kernel_destroy(k);
}

/* What decodes encodes back to the same bytes. */
static void check_round_trip(const struct pidsim_image *img, const uint8_t *data,
			     size_t size)
{
	void *again;
	size_t len;

	if (pidsim_image_encode(img, &again, &len))
		abort();
	if (len != size || memcmp(again, data, size)) {
		fprintf(stderr, "fuzz_image: a decoded image does not encode "
			"back to its bytes\n");
		abort();
	}
	free(again);
}

/* Whether img has a number or a cursor at or past its own pid_max: then
 * a target of PID_MAX_LIMIT is tried too, which takes them all. */
static bool past_pid_max(const struct pidsim_image *img)
{
	for (uint32_t c = 0; c < img->nr_containers; c++)
		if (img->containers[c].cursor >= img->pid_max)
			return true;
	for (uint32_t i = 0; i < img->nr_tasks; i++)
		for (unsigned j = 0; j < img->tasks[i].nr_numbers; j++)
			if (img->tasks[i].numbers[j] >= img->pid_max)
				return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pidsim_image *img = NULL;
	int pid_max[2] = { 0, 0 }, err;
	uint32_t nr_tasks = 0;
	char why[160];

	err = pidsim_image_decode(data, size, &img, why, sizeof why);
	if (!err) {
		check_round_trip(img, data, size);
		nr_tasks = img->nr_tasks;
		pid_max[0] = img->pid_max;
		if (img->pid_max < PIDSIM_PID_MAX_LIMIT && past_pid_max(img))
			pid_max[1] = PIDSIM_PID_MAX_LIMIT;
		pidsim_image_destroy(img);
	}
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const char *design = pidsim_design_at(i)->name;

		if (err) {	/* the restore decodes first: nothing else runs */
			restore_one(design, 0, PIDSIM_RESTORE_CONTAINER, 0, data,
				    size, err, 0);
			continue;
		}
		for (int p = 0; p < 2 && pid_max[p]; p++)
			for (unsigned mode = PIDSIM_RESTORE_CONTAINER;
			     mode <= PIDSIM_RESTORE_INTO; mode++)
				for (int under_ct = 0; under_ct < 2; under_ct++)
					restore_one(design, pid_max[p], mode, under_ct,
						    data, size, 0, nr_tasks);
	}
	return 0;
}
