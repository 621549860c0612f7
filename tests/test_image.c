/*
 * test_image.c - the image format (lib/image.c, docs/image-format.md):
 * the layout byte by byte, and a reader that rejects every truncated,
 * corrupted, wrong-version, oversized or inconsistent image with its own
 * error, never crashing, leaking, or changing the kernel it restores into.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "pidsim.h"
#include "pidsim_image.h"

/* The test image: a pidspace container, pid_max 32768.
 *   T0 c (init, pid 1) ─┬─ T1 a (2) ── T2 b (3, owner of O0)
 *                       ├─ T3 e (4, setsid()) ── T4 f (5)
 *                       └─ T5 g (6, zombie, exit 3)
 * c, a, b and g are in the host's group and session (outside the tree),
 * e and f in e's.  Layout (version 2): header 72, one container at 72,
 * six 28-byte tasks at 88 (24 bytes and one number each), no reaped
 * leader, one owner at 256, CRC at 260: 264 bytes. */
#define IMG_LEN 264
#define TASK(i) (88 + 28 * (i))
#define NUMBERS 24		/* a task record's first number */
#define OWNER 256
#define CRC 260

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void set32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* CRC-32 bit by bit, as the document gives it: the table-driven one in
 * lib/image.c must agree. */
static uint32_t crc32_slow(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

static void fix_crc(unsigned char *b, size_t len)
{
	set32(b + len - 4, crc32_slow(b, len - 4));
}

struct img {
	pidsim_kernel *k;
	unsigned char *b;
	size_t len;
};

static int setup(void **state)
{
	struct img *m = calloc(1, sizeof *m);
	pidsim_tid host, c, a, b, e, g, t;
	void *buf;

	assert_non_null(m);
	assert_int_equal(pidsim_kernel_create("pidspace", 0, &m->k), 0);
	host = pidsim_host_init(m->k);
	pidsim_fork(m->k, host, PIDSIM_CLONE_NEWPID, &c);
	pidsim_fork(m->k, c, 0, &a);
	pidsim_fork(m->k, a, 0, &b);
	pidsim_fork(m->k, c, 0, &e);
	assert_int_equal(pidsim_setsid(m->k, e), 4);
	pidsim_fork(m->k, e, 0, &t);
	pidsim_fork(m->k, c, 0, &g);
	pidsim_exit(m->k, g, 3);
	assert_int_equal(pidsim_setown(m->k, c, 3), 0);
	assert_int_equal(pidsim_checkpoint(m->k, PIDSIM_NO_TASK, c,
					   PIDSIM_CKPT_CONTAINER, &buf, &m->len, NULL), 0);
	m->b = buf;
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct img *m = *state;

	pidsim_image_free(m->b);
	pidsim_kernel_destroy(m->k);
	free(m);
	return 0;
}

/* The layout of docs/image-format.md, field by field. */
static void test_image_layout(void **state)
{
	struct img *m = *state;
	const unsigned char *b = m->b;
	static const unsigned char magic[8] = { 0x89, 'P', 'I', 'D', 'S', 'I', 'M', '\n' };
	static const uint32_t parent[6] = { PIDSIM_IMAGE_NONE, 0, 1, 0, 3, 0 };
	static const uint32_t grp[6] = { PIDSIM_IMAGE_NONE, PIDSIM_IMAGE_NONE,
					 PIDSIM_IMAGE_NONE, 3, 3, PIDSIM_IMAGE_NONE };

	assert_int_equal(m->len, IMG_LEN);
	assert_memory_equal(b, magic, 8);
	assert_int_equal(le32(b + 8), 2);		/* version */
	assert_int_equal(le32(b + 12), 72);		/* header size */
	assert_int_equal(le32(b + 16), IMG_LEN);	/* size, low word */
	assert_int_equal(le32(b + 20), 0);		/* size, high word */
	assert_int_equal(le32(b + 24), 0);		/* flags: a container */
	assert_int_equal(le32(b + 28), 32768);		/* source pid_max */
	assert_int_equal(le32(b + 32), 1);		/* containers */
	assert_int_equal(le32(b + 36), 6);		/* tasks */
	assert_int_equal(le32(b + 40), 1);		/* owners */
	assert_int_equal(le32(b + 44), 6);		/* numbers */
	assert_string_equal((const char *)b + 48, "pidspace");
	assert_int_equal(le32(b + 64), 0);		/* reaped leaders */
	assert_int_equal(le32(b + 68), 0);		/* reserved */
	/* container 0: no parent, init T0, cursor 6, hint 0 */
	assert_int_equal(le32(b + 72), PIDSIM_IMAGE_NONE);
	assert_int_equal(le32(b + 76), 0);
	assert_int_equal(le32(b + 80), 6);
	assert_int_equal(le32(b + 84), 0);
	for (int i = 0; i < 6; i++) {
		const unsigned char *t = b + TASK(i);

		assert_int_equal(le32(t), parent[i]);
		assert_int_equal(le32(t + 4), 0);			/* container */
		assert_int_equal(t[8] | t[9] << 8, i == 5 ? 2 : 1);	/* state */
		assert_int_equal(t[10] | t[11] << 8, 1);		/* numbers */
		assert_int_equal(le32(t + 12), i == 5 ? 3 << 8 : 0);	/* status */
		assert_int_equal(le32(t + 16), grp[i]);			/* group */
		assert_int_equal(le32(t + 20), grp[i]);			/* session */
	}
	/* pids in pre-order: c 1, a 2, b 3, e 4, f 5, g 6 */
	for (int i = 0; i < 6; i++)
		assert_int_equal(le32(b + TASK(i) + NUMBERS), (uint32_t)i + 1);
	assert_int_equal(le32(b + OWNER), 2);		/* owner: T2, b */
	assert_int_equal(le32(b + CRC), crc32_slow(b, CRC));
}

/* The decoded form, and the text of `pidsim image show`. */
static void test_image_decode_and_print(void **state)
{
	struct img *m = *state;
	struct pidsim_image *img;
	char why[128], *text;
	FILE *f = tmpfile();

	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, why, sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(img->version, 2);
	assert_int_equal(img->nr_tasks, 6);
	assert_int_equal(img->nr_reaped, 0);
	assert_int_equal(img->tasks[4].pgrp, 3);
	assert_int_equal(img->tasks[4].session, 3);
	assert_int_equal(img->tasks[1].pgrp, PIDSIM_IMAGE_NONE);
	assert_int_equal(img->tasks[4].parent, 3);
	assert_int_equal(img->tasks[5].state, PIDSIM_ZOMBIE);
	assert_int_equal(img->tasks[5].exit_status, 3 << 8);
	assert_int_equal(img->containers[0].init, 0);
	assert_int_equal(img->owners[0].task, 2);
	assert_string_equal(img->design, "pidspace");
	assert_non_null(f);
	pidsim_image_print(f, img);
	text = read_back(f);
	assert_non_null(strstr(text, "pidsim image v2: 264 bytes, a container from pidspace"));
	assert_non_null(strstr(text, "exited 3"));
	assert_non_null(strstr(text, "pgrp T3     sid T3"));
	assert_non_null(strstr(text, "pgrp -      sid -"));
	assert_non_null(strstr(text, "owner T2"));
	free(text);
	pidsim_image_destroy(img);
	pidsim_image_destroy(NULL);
}

/* Every prefix of an image is truncated. */
static void test_image_truncated(void **state)
{
	struct img *m = *state;
	struct pidsim_image *img;

	for (size_t n = 0; n < m->len; n++)
		assert_int_equal(pidsim_image_decode(m->b, n, &img, NULL, 0), -ENODATA);
	assert_int_equal(pidsim_image_decode(NULL, 0, &img, NULL, 0), -ENODATA);
	assert_int_equal(pidsim_image_decode(NULL, 5, &img, NULL, 0), -EINVAL);
	assert_int_equal(pidsim_image_decode(m->b, m->len, NULL, NULL, 0), -EINVAL);
}

/* Any one byte changed anywhere is caught, and a restore of it changes
 * nothing. */
static void test_image_every_byte_corrupted(void **state)
{
	struct img *m = *state;
	static const unsigned char masks[] = { 0x01, 0x10, 0x80, 0xff };
	pidsim_tid host = pidsim_host_init(m->k);
	struct snap before;

	snapshot_views(m->k, &host, 1, &before);
	for (size_t i = 0; i < m->len; i++) {
		for (size_t j = 0; j < sizeof masks; j++) {
			struct pidsim_image *img;
			int err;

			m->b[i] ^= masks[j];
			err = pidsim_image_decode(m->b, m->len, &img, NULL, 0);
			assert_true(err == -EBADMSG || err == -ENOEXEC ||
				    err == -EPROTONOSUPPORT || err == -EFBIG ||
				    err == -ENODATA);
			assert_int_equal(pidsim_restore(m->k, m->b, m->len, host,
							PIDSIM_RESTORE_CONTAINER, NULL), err);
			m->b[i] ^= masks[j];
		}
	}
	ASSERT_UNCHANGED(&before);
}

static void test_image_wrong_version(void **state)
{
	struct img *m = *state;
	struct pidsim_image *img;
	char why[128];

	set32(m->b + 8, 3);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, why, sizeof why),
			 -EPROTONOSUPPORT);
	assert_non_null(strstr(why, "version 3"));
	fix_crc(m->b, m->len);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, NULL, 0), -EPROTONOSUPPORT);
	set32(m->b + 8, 0);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, NULL, 0), -EPROTONOSUPPORT);
}

static void test_image_not_an_image(void **state)
{
	struct img *m = *state;
	struct pidsim_image *img;
	static const char text[] = "fork host newpid -> c\n";

	(void)m;
	assert_int_equal(pidsim_image_decode(text, sizeof text - 1, &img, NULL, 0), -ENOEXEC);
	assert_int_equal(pidsim_image_decode("\x89PX", 3, &img, NULL, 0), -ENOEXEC);
	assert_int_equal(pidsim_image_decode("\x89PI", 3, &img, NULL, 0), -ENODATA);
}

/* A stated size or counts past the limits: -EFBIG before any allocation
 * they would size. */
static void test_image_oversized(void **state)
{
	struct img *m = *state;
	struct pidsim_image *img;

	set32(m->b + 16, PIDSIM_IMAGE_MAX_BYTES + 1);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, NULL, 0), -EFBIG);
	set32(m->b + 20, 1);
	set32(m->b + 16, m->len);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, NULL, 0), -EFBIG);
	set32(m->b + 20, 0);
	set32(m->b + 36, PIDSIM_IMAGE_MAX_TASKS + 1);
	fix_crc(m->b, m->len);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, NULL, 0), -EFBIG);
	set32(m->b + 36, 6);
	set32(m->b + 44, 0xffffffffu);
	fix_crc(m->b, m->len);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &img, NULL, 0), -EFBIG);
}

/* Bytes past the stated end are corruption, not padding. */
static void test_image_trailing_bytes(void **state)
{
	struct img *m = *state;
	unsigned char *b = calloc(1, m->len + 1);
	struct pidsim_image *img;

	assert_non_null(b);
	memcpy(b, m->b, m->len);
	assert_int_equal(pidsim_image_decode(b, m->len + 1, &img, NULL, 0), -EBADMSG);
	free(b);
}

/* Content that no tree has, with a right checksum: -EUCLEAN, each with
 * its reason. */
struct craft {
	size_t off;
	int size;		/* bytes: 2 or 4 */
	uint32_t val;
	const char *why;	/* words of the reason */
	size_t off2;		/* a second 4-byte field to set; 0: none */
	uint32_t val2;
};

static void test_image_inconsistent(void **state)
{
	struct img *m = *state;
	static const struct craft crafts[] = {
		{ 24, 4, 4, "flags", 0, 0 },
		{ 28, 4, 1, "pid_max", 0, 0 },
		{ 48, 4, 0x01020304, "design", 0, 0 },
		{ 68, 4, 1, "reserved", 0, 0 },
		{ 72, 4, 0, "parent", 0, 0 },			/* container 0 has one */
		{ 76, 4, 6, "init", 0, 0 },
		{ 76, 4, 1, "init", 0, 0 },
		{ 80, 4, 0xffffffffu, "cursor", 0, 0 },
		{ 80, 4, PIDSIM_PID_MAX_LIMIT, "cursor", 0, 0 },
		{ TASK(0), 4, 0, "parent", 0, 0 },		/* the root has one */
		{ TASK(1), 4, 1, "parent", 0, 0 },		/* itself */
		{ TASK(2), 4, 7, "parent", 0, 0 },
		{ TASK(4), 4, 1, "pre-order", 0, 0 },		/* a is off the path */
		{ TASK(3) + 4, 4, 1, "container", 0, 0 },
		{ TASK(1) + 8, 2, 3, "state", 0, 0 },
		{ TASK(1) + 8, 2, 0, "state", 0, 0 },
		{ TASK(1) + 12, 4, 0x100, "exit status", 0, 0 },	/* running */
		{ TASK(5) + 12, 4, 0x1234, "exit status", 0, 0 },
		{ TASK(5) + 12, 4, 65, "exit status", 0, 0 },
		{ TASK(0) + 8, 2, 2, "zombie", TASK(0) + 12, 9 },	/* with children */
		{ TASK(0) + NUMBERS, 4, 2, "pid 1", 0, 0 },
		{ TASK(2) + NUMBERS, 4, 1, "pid 1", 0, 0 },
		{ TASK(2) + NUMBERS, 4, 0, "out of range", 0, 0 },
		{ TASK(2) + NUMBERS, 4, PIDSIM_PID_MAX_LIMIT, "out of range", 0, 0 },
		{ TASK(2) + NUMBERS, 4, 0x80000000u, "out of range", 0, 0 },
		{ TASK(2) + NUMBERS, 4, 4, "two pids", 0, 0 },
		{ TASK(2) + 10, 2, 2, "numbers", 0, 0 },
		{ TASK(1) + 16, 4, 6, "no pid", 0, 0 },		/* group past T5 */
		{ TASK(1) + 20, 4, 7, "no pid", 0, 0 },		/* session */
		{ TASK(1) + 16, 4, 3, "leader of its group", 0, 0 },	/* e's: another session */
		{ TASK(4) + 20, 4, PIDSIM_IMAGE_NONE, "spans two sessions", 0, 0 },
		{ TASK(1) + 20, 4, 1, "does not lead", 0, 0 },	/* a leads no session */
		{ 64, 4, 1, "add up", 0, 0 },			/* a reaped leader, no room */
		{ OWNER, 4, 6, "owner", 0, 0 },
	};
	unsigned char *orig = malloc(m->len);

	assert_non_null(orig);
	memcpy(orig, m->b, m->len);
	for (size_t i = 0; i < sizeof crafts / sizeof crafts[0]; i++) {
		struct pidsim_image *img;
		char why[160];
		int err;

		memcpy(m->b, orig, m->len);
		if (crafts[i].size == 2) {
			m->b[crafts[i].off] = (unsigned char)crafts[i].val;
			m->b[crafts[i].off + 1] = (unsigned char)(crafts[i].val >> 8);
		} else {
			set32(m->b + crafts[i].off, crafts[i].val);
		}
		if (crafts[i].off2)
			set32(m->b + crafts[i].off2, crafts[i].val2);
		fix_crc(m->b, m->len);
		err = pidsim_image_decode(m->b, m->len, &img, why, sizeof why);
		if (err != -EUCLEAN || !strstr(why, crafts[i].why))
			fail_msg("craft %zu (offset %zu): %d '%s', want EUCLEAN '%s'",
				 i, crafts[i].off, err, why, crafts[i].why);
	}
	/* A design name that fills all 16 bytes, or has a byte after its NUL. */
	memcpy(m->b, orig, m->len);
	memset(m->b + 48, 'A', 16);
	fix_crc(m->b, m->len);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &(struct pidsim_image *){ 0 },
					     NULL, 0), -EUCLEAN);
	memcpy(m->b, orig, m->len);
	m->b[60] = 'x';
	fix_crc(m->b, m->len);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &(struct pidsim_image *){ 0 },
					     NULL, 0), -EUCLEAN);
	/* The wrong header size is corruption, version 1's too. */
	memcpy(m->b, orig, m->len);
	set32(m->b + 12, 64);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &(struct pidsim_image *){ 0 },
					     NULL, 0), -EBADMSG);
	set32(m->b + 12, 60);
	assert_int_equal(pidsim_image_decode(m->b, m->len, &(struct pidsim_image *){ 0 },
					     NULL, 0), -EBADMSG);
	free(orig);
}

/* A tiny LCG: the fuzz below is the same on every run. */
static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/*
 * Random damage, checksum fixed half the time so that the checks behind
 * it are reached: decoding never crashes, and whatever decodes restores
 * (into every design in turn) or fails with nothing changed.
 */
static void test_image_fuzz(void **state)
{
	struct img *m = *state;
	unsigned char *b = malloc(m->len);
	uint64_t seed = 0x5eed;
	int decoded = 0;

	assert_non_null(b);
	for (int round = 0; round < 20000; round++) {
		size_t nd = pidsim_design_count();
		pidsim_kernel *k;
		struct pidsim_census c0, c1;
		struct pidsim_image *img;
		int err, ret;

		memcpy(b, m->b, m->len);
		for (uint32_t n = 1 + rnd(&seed) % 3; n; n--) {
			size_t at = 64 + rnd(&seed) % (m->len - 68);

			if (rnd(&seed) % 2)
				b[at] ^= (unsigned char)(1u << rnd(&seed) % 8);
			else
				b[at] = (unsigned char)(rnd(&seed) % 8);
		}
		if (rnd(&seed) % 2)
			fix_crc(b, m->len);
		err = pidsim_image_decode(b, m->len, &img, NULL, 0);
		if (err)
			continue;
		pidsim_image_destroy(img);
		decoded++;
		assert_int_equal(pidsim_kernel_create(pidsim_design_at(round % nd)->name,
						      0, &k), 0);
		pidsim_census_get(k, &c0);
		ret = pidsim_restore(k, b, m->len, pidsim_host_init(k),
				     PIDSIM_RESTORE_CONTAINER, NULL);
		pidsim_census_get(k, &c1);
		if (ret < 0)
			assert_memory_equal(&c0, &c1, sizeof c0);
		ret = pidsim_restore(k, b, m->len, pidsim_host_init(k),
				     PIDSIM_RESTORE_INTO, NULL);
		pidsim_kernel_destroy(k);
	}
	assert_true(decoded > 100);	/* the fuzz reached the restore */
	free(b);
}

static void test_image_strerror(void **state)
{
	(void)state;
	assert_string_equal(pidsim_image_strerror(-ENODATA), "truncated image");
	assert_string_equal(pidsim_image_strerror(-EBADMSG), "corrupted image");
	assert_string_equal(pidsim_image_strerror(-EPROTONOSUPPORT),
			    "unsupported image version");
	assert_string_equal(pidsim_image_strerror(-EFBIG), "oversized image");
	assert_string_equal(pidsim_image_strerror(-EUCLEAN), "inconsistent image");
	assert_string_equal(pidsim_image_strerror(-ENOEXEC), "not a pidsim image");
	assert_string_equal(pidsim_image_strerror(0), "not an image error");
}

/* A tree image: flag set, container 0 without an init, the root's parent
 * NONE, a nested init holding two numbers. */
static void test_image_tree_layout(void **state)
{
	struct img *m = *state;
	pidsim_tid host = pidsim_host_init(m->k), root, c2;
	struct pidsim_image *img;
	void *buf;
	size_t len;

	pidsim_fork(m->k, host, 0, &root);
	pidsim_fork(m->k, root, PIDSIM_CLONE_NEWPID, &c2);
	assert_int_equal(pidsim_checkpoint(m->k, host, root, PIDSIM_CKPT_TREE,
					   &buf, &len, NULL), 0);
	assert_int_equal(pidsim_image_decode(buf, len, &img, NULL, 0), 0);
	assert_int_equal(img->flags, PIDSIM_IMAGE_TREE);
	assert_int_equal(img->nr_containers, 2);
	assert_int_equal(img->containers[0].init, PIDSIM_IMAGE_NONE);
	assert_int_equal(img->containers[1].parent, 0);
	assert_int_equal(img->tasks[0].parent, PIDSIM_IMAGE_NONE);
	assert_int_equal(img->tasks[1].nr_numbers, 2);
	assert_int_equal(img->tasks[1].numbers[0], 1);
	assert_int_equal(img->tasks[1].numbers[1], pidsim_pid_of(m->k, host, c2));
	pidsim_image_destroy(img);
	pidsim_image_free(buf);
}

/* The header alone gives the stated size, or the error the whole image
 * would get from it: what a reader of a stream asks before reading on. */
static void test_image_header_alone(void **state)
{
	struct img *m = *state;
	static const unsigned char zeros[PIDSIM_IMAGE_HEADER_SIZE];
	uint64_t size = 0;
	char why[128];

	assert_int_equal(pidsim_image_header(m->b, PIDSIM_IMAGE_HEADER_SIZE, &size,
					     why, sizeof why), 0);
	assert_int_equal(size, IMG_LEN);
	assert_string_equal(why, "");
	assert_int_equal(pidsim_image_header(m->b, m->len, &size, NULL, 0), 0);
	assert_int_equal(pidsim_image_header(zeros, sizeof zeros, &size, why,
					     sizeof why), -ENOEXEC);
	assert_non_null(strstr(why, "magic"));
	assert_int_equal(pidsim_image_header(m->b, 63, &size, NULL, 0), -ENODATA);
	assert_int_equal(pidsim_image_header(m->b, 0, &size, NULL, 0), -ENODATA);
	assert_int_equal(pidsim_image_header(m->b, 64, NULL, NULL, 0), -EINVAL);
	set32(m->b + 16, PIDSIM_IMAGE_MAX_BYTES + 1);
	assert_int_equal(pidsim_image_header(m->b, 64, &size, why, sizeof why), -EFBIG);
	set32(m->b + 16, PIDSIM_IMAGE_MAX_BYTES);
	assert_int_equal(pidsim_image_header(m->b, 64, &size, NULL, 0), 0);
	assert_int_equal(size, PIDSIM_IMAGE_MAX_BYTES);
	set32(m->b + 20, 1);
	assert_int_equal(pidsim_image_header(m->b, 64, &size, NULL, 0), -EFBIG);
	set32(m->b + 20, 0);
	set32(m->b + 12, 60);
	assert_int_equal(pidsim_image_header(m->b, 64, &size, NULL, 0), -EBADMSG);
	set32(m->b + 12, 64);		/* version 1's, in a version 2 header */
	assert_int_equal(pidsim_image_header(m->b, 64, &size, NULL, 0), -EBADMSG);
	set32(m->b + 12, 72);
	set32(m->b + 8, 3);
	assert_int_equal(pidsim_image_header(m->b, 64, &size, NULL, 0),
			 -EPROTONOSUPPORT);
}

/* ---- Numbers and cursors no view can take (issue 12, defect 1) ------------ */

#define INT_MAX_NR 0x7fffffffu

/* A crafted image of n tasks (parent, container, numbers each) in nc
 * containers (parent, init, cursor, hint each), all running, pid_max
 * 4194304, into b: its length. */
struct ctask {
	uint32_t parent, ct;
	unsigned n;
	uint32_t nr[2];
};

static size_t craft(unsigned char *b, uint32_t flags, const uint32_t (*cts)[4],
		    unsigned nc, const struct ctask *t, unsigned nt)
{
	unsigned char *p = b + 64;
	uint32_t nums = 0;
	size_t len;

	memset(b, 0, 64);
	memcpy(b, "\x89PIDSIM\n", 8);
	set32(b + 8, 1);
	set32(b + 12, 64);
	set32(b + 24, flags);
	set32(b + 28, PIDSIM_PID_MAX_LIMIT);
	set32(b + 32, nc);
	set32(b + 36, nt);
	memcpy(b + 48, "crafted", 7);
	for (unsigned c = 0; c < nc; c++, p += 16)
		for (int f = 0; f < 4; f++)
			set32(p + 4 * f, cts[c][f]);
	for (unsigned i = 0; i < nt; i++) {
		set32(p, t[i].parent);
		set32(p + 4, t[i].ct);
		p[8] = PIDSIM_RUNNING;
		p[9] = 0;
		p[10] = (unsigned char)t[i].n;
		p[11] = 0;
		set32(p + 12, 0);
		p += 16;
		for (unsigned j = 0; j < t[i].n; j++, p += 4)
			set32(p, t[i].nr[j]);
		nums += t[i].n;
	}
	set32(b + 44, nums);
	len = (size_t)(p - b) + 4;
	set32(b + 16, (uint32_t)len);
	set32(b + 20, 0);
	fix_crc(b, len);
	return len;
}

/* The image: a container whose nested task asks for 2147483647 in
 * container 0's view, after one that needs a new number there. */
static size_t craft_intmax_container(unsigned char *b, uint32_t up)
{
	static const uint32_t cts[2][4] = { { PIDSIM_IMAGE_NONE, 0, 2, 0 },
					    { 0, 1, 2, 0 } };
	const struct ctask t[4] = {
		{ PIDSIM_IMAGE_NONE, 0, 1, { 1, 0 } },
		{ 0, 1, 2, { 1, 0 } },
		{ 1, 1, 2, { 2, 0 } },
		{ 1, 1, 2, { 3, up } },
	};

	return craft(b, 0, cts, 2, t, 4);
}

/* A tree image whose container 0 is a host: a task of container 1 asks
 * there for what vpid-ibm gives container 511's vpid 4194303
 * (511 << 22 | 4194303 = 2147483647), after one that needs a new number
 * there.  cursor1: container 1's cursor. */
static size_t craft_intmax_tree(unsigned char *b, uint32_t own, uint32_t up,
				uint32_t cursor1)
{
	const uint32_t cts[2][4] = { { PIDSIM_IMAGE_NONE, PIDSIM_IMAGE_NONE, 2, 0 },
				     { 0, 1, cursor1, 511 } };
	const struct ctask t[4] = {
		{ PIDSIM_IMAGE_NONE, 0, 1, { 20, 0 } },
		{ 0, 1, 2, { 1, 30 } },
		{ 1, 1, 2, { 2, 0 } },
		{ 1, 1, 2, { own, up } },
	};

	return craft(b, PIDSIM_IMAGE_TREE, cts, 2, t, 4);
}

/* What a failed call must leave as it was, cheaply seen: the census, and
 * the numbers the next fork takes in the host and in a container (compared
 * against a twin kernel image that never saw the call). */
struct seen {
	struct pidsim_census census;
	int host_pid, ct_pid;
};

static void seen_get(pidsim_kernel *k, pidsim_tid ct, struct seen *s)
{
	pidsim_tid t;

	pidsim_census_get(k, &s->census);
	s->host_pid = pidsim_fork(k, pidsim_host_init(k), 0, &t);
	if (s->host_pid > 0) {
		pidsim_exit(k, t, 0);
		pidsim_wait(k, pidsim_host_init(k), s->host_pid, NULL);
	}
	s->ct_pid = pidsim_fork(k, ct, 0, &t);
	if (s->ct_pid > 0) {
		pidsim_exit(k, t, 0);
		pidsim_wait(k, ct, s->ct_pid, NULL);
	}
}

/* A kernel image of design d at pid_max with a container (its init in
 * *ct) holding one task, and the cursors moved past the start. */
static pidsim_kernel *boot(const char *d, int pid_max, pidsim_tid *ct)
{
	pidsim_kernel *k;
	pidsim_tid host;

	assert_int_equal(pidsim_kernel_create(d, pid_max, &k), 0);
	host = pidsim_host_init(k);
	assert_true(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, ct) > 0);
	pidsim_fork(k, *ct, 0, NULL);
	pidsim_fork(k, host, 0, NULL);
	return k;
}

/*
 * Restore b on every design, both modes, under the host and under a
 * container init: the result of each in ret[design][mode - 1] (under the
 * host).  Each failure must change nothing.
 */
static void restore_all(const unsigned char *b, size_t len, int pid_max,
			int ret[][2])
{
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const char *d = pidsim_design_at(i)->name;

		for (unsigned mode = PIDSIM_RESTORE_CONTAINER;
		     mode <= PIDSIM_RESTORE_INTO; mode++) {
			for (int under_ct = 0; under_ct < 2; under_ct++) {
				pidsim_tid ct, twin_ct;
				pidsim_kernel *k = boot(d, pid_max, &ct);
				pidsim_kernel *twin = boot(d, pid_max, &twin_ct);
				struct seen a, z;
				int r;

				pidsim_census_get(k, &a.census);
				r = pidsim_restore(k, b, len, under_ct ? ct
						   : pidsim_host_init(k), mode, NULL);
				if (!under_ct)
					ret[i][mode - 1] = r;
				if (r < 0) {
					seen_get(k, ct, &a);
					seen_get(twin, twin_ct, &z);
					if (memcmp(&a, &z, sizeof a))
						fail_msg("%s, mode %u: failed with %d "
							 "and changed the image", d,
							 mode, r);
				}
				pidsim_kernel_destroy(k);
				pidsim_kernel_destroy(twin);
			}
		}
	}
}

/* A number no view of any design holds is inconsistent (-EUCLEAN), so no
 * restore reads it: the crash (2147483647 in a container image
 * made pidns's cursor 2147483647, then last + 1 overflowed). */
static void test_image_number_no_view_holds(void **state)
{
	unsigned char b[512];
	struct pidsim_image *img;
	int ret[8][2];
	char why[160];
	size_t len;

	(void)state;
	assert_true(pidsim_design_count() <= 8);
	len = craft_intmax_container(b, INT_MAX_NR);
	assert_int_equal(pidsim_image_decode(b, len, &img, why, sizeof why), -EUCLEAN);
	assert_non_null(strstr(why, "task 3: number 2147483647 out of range"));
	restore_all(b, len, 0, ret);
	for (size_t i = 0; i < pidsim_design_count(); i++)
		for (int m = 0; m < 2; m++)
			assert_int_equal(ret[i][m], -EUCLEAN);
	/* PID_MAX_LIMIT is no number; PID_MAX_LIMIT - 1 is one */
	len = craft_intmax_container(b, PIDSIM_PID_MAX_LIMIT);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), -EUCLEAN);
	len = craft_intmax_container(b, PIDSIM_PID_MAX_LIMIT - 1);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), 0);
	pidsim_image_destroy(img);
	/* vpid-ibm's host numbers: id << 22 | the task's own number, only
	 * one level below a tree image's container 0 */
	len = craft_intmax_tree(b, 4194303, INT_MAX_NR, 2);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), 0);
	pidsim_image_destroy(img);
	len = craft_intmax_tree(b, 5, 3u << 22 | 5, 2);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), 0);
	pidsim_image_destroy(img);
	len = craft_intmax_tree(b, 5, 3u << 22 | 6, 2);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), -EUCLEAN);
	len = craft_intmax_tree(b, 4194302, INT_MAX_NR, 2);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), -EUCLEAN);
	len = craft_intmax_tree(b, 5, 1u << 22, 2);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), -EUCLEAN);
}

/* A number at or above the target's pid_max that a design asks for is
 * -EINVAL with nothing changed, and one a design ignores (vpid-ibm's
 * host numbers) moves no cursor: the allocator never gets a cursor past
 * pid_max - 1 (before the fix: pidns's last + 1 overflowed). */
static void test_image_restore_number_past_pid_max(void **state)
{
	unsigned char b[512];
	int ret[8][2];
	size_t len = craft_intmax_tree(b, 4194303, INT_MAX_NR, 2);

	(void)state;
	restore_all(b, len, PIDSIM_PID_MAX_LIMIT, ret);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		for (int m = 0; m < 2; m++) {
			int r = ret[i][m];

			if (d->flags & PIDSIM_D_HIERARCHICAL)
				assert_int_equal(r, -EINVAL);	/* pidns asks */
			else if (m == 0 && d->max_level < 2)
				assert_int_equal(r, d->level_errno);
			else
				assert_true(r == -EINVAL || r > 0);
		}
	}
	/* a smaller pid_max: the own number 4194303 is past it, refused
	 * before anything is made */
	restore_all(b, len, 0, ret);
	for (size_t i = 0; i < pidsim_design_count(); i++)
		assert_true(ret[i][1] == -EINVAL);
}

/* Each container a restore makes takes the image's cursor, which must be
 * below the target's pid_max: -EINVAL otherwise, as Linux refuses such a
 * write to ns_last_pid.  Container 0's cursor with INTO is not taken. */
static void test_image_cursor_past_pid_max(void **state)
{
	unsigned char b[512];
	int ret[8][2];
	size_t len;

	(void)state;
	len = craft_intmax_tree(b, 5, 6, 400);
	restore_all(b, len, 400, ret);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		assert_int_equal(ret[i][1], -EINVAL);
		assert_int_equal(ret[i][0], d->max_level < 2 ? d->level_errno : -EINVAL);
	}
	len = craft_intmax_tree(b, 5, 6, 399);
	set32(b + 64 + 8, 400);		/* container 0's: INTO ignores it */
	fix_crc(b, len);
	restore_all(b, len, 400, ret);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);

		assert_int_equal(ret[i][0], d->max_level < 2 ? d->level_errno : -EINVAL);
		if (d->flags & PIDSIM_D_RENUMBERS)
			continue;	/* vpid-openvz: below its min_ct_pid_max */
		assert_true(ret[i][1] > 0);
	}
}

/* A version 1 image written before groups and sessions existed
 * (tests/images/, by the build of commit 78ed485): a pidns container c1
 * with a nested container inner, a zombie b2 (exit 5) and an owner a2:
 *   fork host newpid -> c1; fork c1 -> a; fork c1 newpid -> inner;
 *   fork inner -> b; fork b -> b2; exit b2 5; fork a -> a2;
 *   setown c1 a2 -> sock.
 * It still decodes, as version 1 with every group and session outside the
 * tree, and restores on every design that nests, its tasks in the
 * restoring task's group and session. */
static void test_image_reads_version_1(void **state)
{
	unsigned char b[1024];
	struct pidsim_image *img;
	FILE *fp = fopen("tests/images/v1-nested-pidns.img", "rb");
	size_t len;

	(void)state;
	assert_non_null(fp);
	len = fread(b, 1, sizeof b, fp);
	fclose(fp);
	assert_int_equal(len, 236);
	assert_int_equal(pidsim_image_decode(b, len, &img, NULL, 0), 0);
	assert_int_equal(img->version, 1);
	assert_int_equal(img->nr_tasks, 6);
	assert_int_equal(img->nr_containers, 2);
	assert_int_equal(img->nr_reaped, 0);
	for (uint32_t i = 0; i < img->nr_tasks; i++) {
		assert_int_equal(img->tasks[i].pgrp, PIDSIM_IMAGE_NONE);
		assert_int_equal(img->tasks[i].session, PIDSIM_IMAGE_NONE);
	}
	assert_int_equal(img->tasks[5].exit_status, 5 << 8);
	pidsim_image_destroy(img);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);
		struct pidsim_tree tree = { 0 };
		pidsim_tid dst[6];
		pidsim_kernel *k;
		int glue;

		tree.cap = 6;
		tree.dst = dst;
		assert_int_equal(pidsim_kernel_create(d->name, 0, &k), 0);
		glue = pidsim_restore(k, b, len, pidsim_host_init(k),
				      PIDSIM_RESTORE_CONTAINER, &tree);
		if (d->max_level < 2) {
			assert_int_equal(glue, d->level_errno);
		} else {
			assert_true(glue > 0);
			assert_int_equal(pidsim_getpgid(k, pidsim_host_init(k), glue), 1);
			assert_int_equal(pidsim_getsid(k, pidsim_host_init(k), glue), 1);
			for (int t = 0; t < 6; t++) {
				if (pidsim_task_state(k, dst[t]) != PIDSIM_RUNNING)
					continue;
				assert_int_equal(pidsim_getpgid(k, dst[t], 0), 0);
				assert_int_equal(pidsim_getsid(k, dst[t], 0), 0);
			}
		}
		pidsim_kernel_destroy(k);
	}
}

/* A reaped leader in the image: its record (container, numbers), the
 * member's group index past the tasks; and the same tree written as
 * version 1 (img->version 1) drops groups, sessions and reaped leaders. */
static void test_image_reaped_leader(void **state)
{
	pidsim_kernel *k;
	pidsim_tid c, l, m, n;
	struct pidsim_image *img, *v1;
	void *buf, *buf1;
	size_t len, len1;
	int st;

	(void)state;
	assert_int_equal(pidsim_kernel_create("pidspace", 0, &k), 0);
	pidsim_fork(k, pidsim_host_init(k), PIDSIM_CLONE_NEWPID, &c);
	assert_int_equal(pidsim_setsid(k, c), 1);
	assert_int_equal(pidsim_fork(k, c, 0, &l), 2);
	assert_int_equal(pidsim_setpgid(k, l, 0, 0), 0);
	assert_int_equal(pidsim_fork(k, l, 0, &m), 3);
	assert_int_equal(pidsim_fork(k, c, 0, &n), 4);
	assert_int_equal(pidsim_exit(k, l, 0), 0);
	assert_int_equal(pidsim_wait(k, c, 2, &st), 2);
	assert_int_equal(pidsim_checkpoint(k, PIDSIM_NO_TASK, c,
					   PIDSIM_CKPT_CONTAINER, &buf, &len, NULL), 0);
	/* 72 + 16 + 3 tasks of 28 + one reaped leader of 12 + CRC */
	assert_int_equal(len, 72 + 16 + 3 * 28 + 12 + 4);
	assert_int_equal(pidsim_image_decode(buf, len, &img, NULL, 0), 0);
	assert_int_equal(img->nr_tasks, 3);		/* c, n, m (adopted last) */
	assert_int_equal(img->nr_reaped, 1);
	assert_int_equal(img->reaped[0].ct, 0);
	assert_int_equal(img->reaped[0].nr_numbers, 1);
	assert_int_equal(img->reaped[0].numbers[0], 2);
	assert_int_equal(img->tasks[2].numbers[0], 3);
	assert_int_equal(img->tasks[2].pgrp, 3);	/* nr_tasks + 0 */
	assert_int_equal(img->tasks[2].session, 0);
	assert_int_equal(img->tasks[1].pgrp, 0);
	img->version = 1;
	assert_int_equal(pidsim_image_encode(img, &buf1, &len1), 0);
	assert_int_equal(len1, 64 + 16 + 3 * 20 + 4);
	assert_int_equal(pidsim_image_decode(buf1, len1, &v1, NULL, 0), 0);
	assert_int_equal(v1->version, 1);
	assert_int_equal(v1->nr_reaped, 0);
	assert_int_equal(v1->tasks[2].pgrp, PIDSIM_IMAGE_NONE);
	pidsim_image_destroy(v1);
	pidsim_image_destroy(img);
	pidsim_image_free(buf1);
	pidsim_image_free(buf);
	pidsim_kernel_destroy(k);
}

int main(void)
{
#define TI(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		TI(test_image_layout),
		TI(test_image_decode_and_print),
		TI(test_image_truncated),
		TI(test_image_every_byte_corrupted),
		TI(test_image_wrong_version),
		TI(test_image_not_an_image),
		TI(test_image_oversized),
		TI(test_image_trailing_bytes),
		TI(test_image_inconsistent),
		TI(test_image_fuzz),
		TI(test_image_strerror),
		TI(test_image_tree_layout),
		TI(test_image_header_alone),
		TI(test_image_number_no_view_holds),
		TI(test_image_restore_number_past_pid_max),
		TI(test_image_cursor_past_pid_max),
		TI(test_image_reads_version_1),
		TI(test_image_reaped_leader),
	};

	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
