/*
 * w_migrate.c - MIGRATION: checkpoint + restore time per task and image
 * bytes per task, over the size of the migrated tree (issues 5 and 7).
 *
 * The tree, the same for every design from the same seed: a container
 * (level 1) of x tasks whose parents are random earlier tasks of it, one
 * in eight of them a zombie nobody has waited for, one in 64 the stored
 * owner of an object (F_SETOWN); where the design's max_level allows
 * nesting, a quarter of the x tasks live in a container nested in it
 * (level 2), whose tasks the image numbers in both views.  Designs whose
 * max_level is 1 (vpid-openvz, vpid-ibm) get the same tree flat.
 *
 *   checkpoint    pidsim_checkpoint() of the container from kernel
 *                 context, then pidsim_image_free(): ns per task;
 *   restore       pidsim_restore() of that image as a new container
 *                 under host init of a fresh image of the same design:
 *                 ns per task.  A sample restores the image k times into
 *                 one fresh target (k calibrated to >= 10 ms, and at most
 *                 what one target holds); creating and destroying the
 *                 target is not timed;
 *   ckpt+restore  the sum of the two medians (mins, maxes): the chart;
 *   migrate       pidsim_migrate() back and forth between two images:
 *                 checkpoint, restore and the release of the source tree,
 *                 ns per task;
 *   image-bytes   ckpt_bytes / ckpt_tasks of the counters;
 *   *-conv, *-probes  conversions and hash probes per task the counters
 *                 see in one checkpoint and in one restore.
 *
 * Across designs (variant from-<design>, at one size): a flat image
 * written by one design restored by every design, timed as above.  The
 * writers are chosen by what their images carry: the first hierarchical
 * design (numbers at every level) and the first that renumbers (vpid-
 * openvz: vpid = pid | 1024, which comes back in a sparse container).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "pidsim_image.h"

#define ZOMBIE_EVERY 8
#define OWNER_EVERY 64
#define CROSS_TASKS 4096

/* A source image holding the tree, and its checkpoint. */
struct mig_src {
	pidsim_kernel *k;
	pidsim_tid init;		/* the migrated container's init */
	void *image;
	size_t len;
	long tasks;			/* in the image */
	bool nested;
};

/* What a checkpoint subject and a restore subject need. */
struct mig_state {
	struct mig_src *src;
	const char *design;		/* restorer (restore, cross) */
	int count;			/* restores per sample */
	pidsim_kernel *pp[2];		/* migrate: the two images */
	pidsim_tid top;			/* migrate: the tree's init, on pp[side] */
	int side;
};

static void die(const char *what, const char *design, int err)
{
	fprintf(stderr, "bench: migration: %s (%s): %s\n", what, design,
		pidsim_errname(err));
	exit(1);
}

static int src_pid_max(long tasks)
{
	long pm = pow2_ceil(4 * tasks);

	if (pm < PIDSIM_PID_MAX_DEFAULT)
		pm = PIDSIM_PID_MAX_DEFAULT;
	return (int)(pm > PIDSIM_PID_MAX_LIMIT ? PIDSIM_PID_MAX_LIMIT : pm);
}

/*
 * Fork n - 1 tasks into the container of tasks[0], each a child of a
 * random running task of it (tasks[0 .. *nt)), appending them.  Returns
 * false when a pid range is full.
 */
static bool grow(pidsim_kernel *k, pidsim_tid *tasks, long *nt, long n,
		 struct rng *r)
{
	long first = *nt - 1;

	for (long i = 1; i < n; i++) {
		pidsim_tid parent = tasks[first + (long)rng_below(r, (uint64_t)(*nt - first))];
		pidsim_tid child = world_fork(k, parent, 0);

		if (!child)
			return false;
		tasks[(*nt)++] = child;
	}
	return true;
}

/* The tree of `tasks` tasks on a new image of design, and its image.
 * False when a pid range is full first (s->tasks: how many it holds). */
static bool src_build(struct mig_src *s, const char *design, long tasks,
		      bool nest)
{
	const struct pidsim_design_info *d = pidsim_design_find(design);
	pidsim_tid *t = malloc((size_t)tasks * sizeof *t), sub = PIDSIM_NO_TASK;
	struct rng r = { bench.seed };
	long nt = 1, top = nest && d->max_level >= 2 ? tasks - tasks / 4 : tasks;
	bool ok;
	int err;

	if (!t)
		abort();
	memset(s, 0, sizeof *s);
	s->k = world_kernel(design, src_pid_max(tasks));
	s->init = t[0] = world_fork(s->k, pidsim_host_init(s->k), PIDSIM_CLONE_NEWPID);
	ok = grow(s->k, t, &nt, top, &r);
	if (ok && top < tasks) {
		s->nested = true;
		sub = world_fork(s->k, t[rng_below(&r, (uint64_t)nt)], PIDSIM_CLONE_NEWPID);
		t[nt++] = sub;
		ok = sub && grow(s->k, t, &nt, tasks - top, &r);
	}
	/* Zombies and stored owners, never the inits. */
	for (long i = 1; ok && i < nt; i++) {
		if (t[i] == sub)
			continue;
		if (i % OWNER_EVERY == OWNER_EVERY / 2 &&
		    (err = pidsim_setown(s->k, t[i], pidsim_getpid(s->k, t[i]))) < 0)
			die("pidsim_setown", design, err);
		if (i % ZOMBIE_EVERY == ZOMBIE_EVERY - 1)
			pidsim_exit(s->k, t[i], (int)(i & 0x7f));
	}
	free(t);
	s->tasks = nt;
	if (!ok)
		return false;
	err = pidsim_checkpoint(s->k, PIDSIM_NO_TASK, s->init, PIDSIM_CKPT_CONTAINER,
				&s->image, &s->len, NULL);
	if (err)
		die("pidsim_checkpoint", design, err);
	return true;
}

static void src_free(struct mig_src *s)
{
	pidsim_image_free(s->image);
	pidsim_kernel_destroy(s->k);
	memset(s, 0, sizeof *s);
}

/* ---- Checkpoint and migrate: runs for bench_measure() -------------------------- */

static uint64_t run_ckpt(void *p, uint64_t iters)
{
	struct mig_state *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		void *img;
		size_t len;
		int err = pidsim_checkpoint(s->src->k, PIDSIM_NO_TASK, s->src->init,
					    PIDSIM_CKPT_CONTAINER, &img, &len, NULL);

		if (err)
			die("pidsim_checkpoint", s->design, err);
		sum += len;
		pidsim_image_free(img);
	}
	return sum;
}

static uint64_t run_migrate(void *p, uint64_t iters)
{
	struct mig_state *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		struct pidsim_tree tree = { 0 };
		pidsim_kernel *to = s->pp[!s->side];
		int ret = pidsim_migrate(s->pp[s->side], PIDSIM_NO_TASK, s->top,
					 PIDSIM_CKPT_CONTAINER, to,
					 pidsim_host_init(to), PIDSIM_RESTORE_CONTAINER,
					 &tree);

		if (ret < 0)
			die("pidsim_migrate", s->design, ret);
		s->top = tree.top;
		s->side = !s->side;
		sum += (uint64_t)ret;
	}
	return sum;
}

/* ---- Restore: samples with an untimed fresh target ------------------------------ */

/* The target of restores: the design's largest range, so that it holds
 * as many copies of the tree as can be. */
static pidsim_kernel *target(const char *design)
{
	const struct pidsim_design_info *d = pidsim_design_find(design);

	return world_kernel(design, d->max_pid_max < PIDSIM_PID_MAX_LIMIT
				    ? d->max_pid_max : PIDSIM_PID_MAX_LIMIT);
}

/*
 * Restore the image up to count times into one fresh target: seconds
 * spent in the restores, and how many fitted in *done (fewer than count
 * when the target's pid range or container ids ran out: -EAGAIN).  Any
 * other failure is returned as *err, with nothing timed.
 */
static double restore_sample(struct mig_state *s, int count, int *done, int *err)
{
	pidsim_kernel *k = target(s->design);
	pidsim_tid host = pidsim_host_init(k);
	double t0 = bench_now(), t;
	int i;

	*err = 0;
	for (i = 0; i < count; i++) {
		int ret = pidsim_restore(k, s->src->image, s->src->len, host,
					 PIDSIM_RESTORE_CONTAINER, NULL);

		if (ret < 0) {
			if (ret != -EAGAIN || i == 0)
				*err = ret;
			break;
		}
	}
	t = bench_now() - t0;
	*done = i;
	pidsim_kernel_destroy(k);
	return t;
}

/* Calibrate s->count: restores per sample; the untimed warm-up.  0, or
 * the error of the first restore (the design cannot restore this image). */
static int restore_calibrate(struct mig_state *s)
{
	int count = 1, done, err;

	for (;;) {
		double t = restore_sample(s, count, &done, &err), want;

		if (err)
			return err;
		if (done < count || t >= bench.min_sample_s) {
			s->count = done;
			return 0;
		}
		want = bench.min_sample_s * 1.1;
		count = t < want / 100 ? count * 10 : (int)ceil(count * want / t);
	}
}

/* Count one restore's instructions per task for each subject, when the
 * bench is the counting run: a warm-up sample, then one restore into a
 * fresh target, only the restore counted. */
static void restore_count(struct subject *sub, struct mig_state *st, int n)
{
	for (int i = 0; i < n; i++) {
		pidsim_kernel *k;
		int done, err, ret;
		uint64_t ir;

		sub[i].st.ir = NAN;
		sub[i].st.median = sub[i].st.min = sub[i].st.max = NAN;
		sub[i].st.reps = 0;
		if (sub[i].skip[0])
			continue;
		restore_sample(&st[i], 1, &done, &err);
		if (err) {
			snprintf(sub[i].skip, sizeof sub[i].skip,
				 "not supported by this design: restore: %s",
				 pidsim_errname(err));
			continue;
		}
		k = target(st[i].design);
		bench_count_begin();
		ret = pidsim_restore(k, st[i].src->image, st[i].src->len,
				     pidsim_host_init(k), PIDSIM_RESTORE_CONTAINER, NULL);
		ir = bench_count_end("restore");
		if (ret < 0)
			die("pidsim_restore", st[i].design, ret);
		pidsim_kernel_destroy(k);
		sub[i].st.iters = 1;
		sub[i].st.ir = (double)ir / (double)st[i].src->tasks;
	}
}

/* Time every restore subject, interleaved as bench_measure() does:
 * ns per task. */
static void restore_measure(struct subject *sub, struct mig_state *st, int n)
{
	static int pass = 1000000;	/* a pass of its own, apart from bench_measure()'s */

	pass++;
	for (int i = 0; i < n; i++) {
		sub[i].pass = pass;
		sub[i].flag[0] = 0;
		sub[i].st.ir = NAN;	/* the counting run's, read back */
		sub[i].ratio.median = sub[i].ratio.min = sub[i].ratio.max = NAN;
	}
	if (bench.counting) {
		restore_count(sub, st, n);
		return;
	}
	for (int i = 0; i < n; i++) {
		int err;

		if (sub[i].skip[0])
			continue;
		bench_progress("migration %ld: calibrating restore, %s",
			       st[i].src->tasks, sub[i].name);
		err = restore_calibrate(&st[i]);
		if (err)
			snprintf(sub[i].skip, sizeof sub[i].skip,
				 "not supported by this design: restore: %s",
				 pidsim_errname(err));
		sub[i].st.iters = (uint64_t)st[i].count;
	}
	for (int r = 0; r < bench.reps; r++) {
		for (int j = 0; j < n; j++) {
			int i = (j + r) % n, done, err;
			struct mig_state *s = &st[i];
			double t;

			if (sub[i].skip[0])
				continue;
			t = restore_sample(s, s->count, &done, &err);
			if (err || done != s->count)
				die("pidsim_restore", s->design, err ? err : -EAGAIN);
			sub[i].samples[r] = t * 1e9 / done / (double)s->src->tasks;
		}
	}
	for (int i = 0; i < n; i++) {
		uint64_t iters = sub[i].st.iters;

		if (sub[i].skip[0])
			continue;
		bench_stats_of(sub[i].samples, bench.reps, &sub[i].st);
		sub[i].st.iters = iters;
	}
}

/* ---- Rows --------------------------------------------------------------------- */

static void per_task(struct subject *s, const struct mig_state *st)
{
	double tasks = (double)st->src->tasks;

	if (s->skip[0])
		return;
	s->st.median /= tasks;
	s->st.min /= tasks;
	s->st.max /= tasks;
	s->st.ir /= tasks;
	for (int r = 0; r < s->st.reps; r++)
		s->samples[r] /= tasks;
}

/* The counters of one checkpoint and one restore, per task. */
static void record_work(FILE *out, long x, const char *design, struct mig_src *src)
{
	struct pidsim_stats c;
	pidsim_kernel *k = target(design);
	double tasks = (double)src->tasks;
	void *img;
	size_t len;
	int err;

	pidsim_stats_reset(src->k);
	err = pidsim_checkpoint(src->k, PIDSIM_NO_TASK, src->init,
				PIDSIM_CKPT_CONTAINER, &img, &len, NULL);
	if (err)
		die("pidsim_checkpoint", design, err);
	pidsim_image_free(img);
	pidsim_stats_get(src->k, &c);
	results_add_value(out, "migration", "image-bytes", x, design, "bytes/task",
			  (double)c.ckpt_bytes / (double)c.ckpt_tasks, (long)c.ckpt_tasks,
			  src->nested ? "nested container inside" : "flat: no nesting");
	results_add_value(out, "migration", "checkpoint-conv", x, design, "conv/task",
			  (double)c.conversions / tasks, src->tasks, NULL);
	results_add_value(out, "migration", "checkpoint-probes", x, design,
			  "probes/task", (double)c.probes / tasks, src->tasks, NULL);
	pidsim_stats_reset(k);
	err = pidsim_restore(k, src->image, src->len, pidsim_host_init(k),
			     PIDSIM_RESTORE_CONTAINER, NULL);
	if (err < 0)
		die("pidsim_restore", design, err);
	pidsim_stats_get(k, &c);
	results_add_value(out, "migration", "restore-conv", x, design, "conv/task",
			  (double)c.conversions / (double)c.restore_tasks,
			  (long)c.restore_tasks, NULL);
	results_add_value(out, "migration", "restore-probes", x, design, "probes/task",
			  (double)c.probes / (double)c.restore_tasks,
			  (long)c.restore_tasks, NULL);
	pidsim_kernel_destroy(k);
}

/* ckpt+restore: the sum of the two rows' statistics. */
static void record_sum(FILE *out, long x, const struct subject *ck,
		       const struct subject *rs)
{
	struct row r;

	memset(&r, 0, sizeof r);
	r.st.ir = NAN;
	snprintf(r.workload, sizeof r.workload, "migration");
	snprintf(r.variant, sizeof r.variant, "ckpt+restore");
	snprintf(r.subject, sizeof r.subject, "%.31s", ck->name);
	snprintf(r.unit, sizeof r.unit, "ns/task");
	r.x = x;
	if (ck->skip[0] || rs->skip[0]) {
		r.st.median = r.st.min = r.st.max = NAN;
		snprintf(r.note, sizeof r.note, "%s", ck->skip[0] ? ck->skip : rs->skip);
	} else {
		r.st.median = ck->st.median + rs->st.median;
		r.st.min = ck->st.min + rs->st.min;
		r.st.max = ck->st.max + rs->st.max;
		r.st.reps = ck->st.reps;
		r.st.ir = ck->st.ir + rs->st.ir;
		snprintf(r.note, sizeof r.note, "sum of the checkpoint and restore rows");
	}
	results_add(out, &r);
}

/* ---- One tree size --------------------------------------------------------------- */

static void migrate_point(FILE *out, long x)
{
	struct subject ck[BENCH_MAX_SUBJECTS], rs[BENCH_MAX_SUBJECTS];
	struct subject mg[BENCH_MAX_SUBJECTS];
	static struct mig_state st[BENCH_MAX_SUBJECTS];
	static struct mig_src src[BENCH_MAX_SUBJECTS];
	int n = subjects_init(ck, false);
	long tasks = 0;

	subjects_init(rs, false);
	subjects_init(mg, false);
	memset(st, 0, sizeof st);
	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(ck[i].name);
		struct need need = { 1, 1, src_pid_max(x) };

		st[i].design = d->name;
		st[i].src = &src[i];
		ck[i].state = rs[i].state = mg[i].state = &st[i];
		ck[i].run = run_ckpt;
		mg[i].run = run_migrate;
		if (!design_supports(d, &need, ck[i].skip, sizeof ck[i].skip)) {
			memcpy(rs[i].skip, ck[i].skip, sizeof rs[i].skip);
			memcpy(mg[i].skip, ck[i].skip, sizeof mg[i].skip);
			continue;
		}
		bench_progress("migration %ld: building the tree on %s", x, d->name);
		if (!src_build(&src[i], d->name, x, true)) {
			world_short(ck[i].skip, sizeof ck[i].skip, d->name,
				    src[i].tasks, x, true);
			src_free(&src[i]);
			memcpy(rs[i].skip, ck[i].skip, sizeof rs[i].skip);
			memcpy(mg[i].skip, ck[i].skip, sizeof mg[i].skip);
			continue;
		}
		tasks = src[i].tasks;
	}
	bench_progress("migration %ld: checkpoint", x);
	bench_measure(ck, n);
	for (int i = 0; i < n; i++)
		per_task(&ck[i], &st[i]);
	results_add_subjects(out, "migration", "checkpoint", x, ck, n, "ns/task", tasks);
	restore_measure(rs, st, n);
	results_add_subjects(out, "migration", "restore", x, rs, n, "ns/task", tasks);
	for (int i = 0; i < n; i++)
		record_sum(out, x, &ck[i], &rs[i]);
	for (int i = 0; i < n; i++)
		if (src[i].k)
			record_work(out, x, st[i].design, &src[i]);

	/* migrate back and forth between the source image and another */
	for (int i = 0; i < n; i++) {
		if (!src[i].k)
			continue;
		st[i].pp[0] = src[i].k;
		st[i].pp[1] = target(st[i].design);
		st[i].top = src[i].init;
		st[i].side = 0;
	}
	bench_progress("migration %ld: migrate", x);
	bench_measure(mg, n);
	for (int i = 0; i < n; i++)
		per_task(&mg[i], &st[i]);
	results_add_subjects(out, "migration", "migrate", x, mg, n, "ns/task", tasks);
	for (int i = 0; i < n; i++) {
		if (!src[i].k)
			continue;
		pidsim_kernel_destroy(st[i].pp[1]);	/* pp[0] is src[i].k */
		src_free(&src[i]);
	}
}

/* ---- Across designs --------------------------------------------------------------- */

static const struct pidsim_design_info *writer(unsigned flag)
{
	for (size_t i = 0; i < pidsim_design_count(); i++)
		if (pidsim_design_at(i)->flags & flag)
			return pidsim_design_at(i);
	return NULL;
}

static void cross_point(FILE *out, const struct pidsim_design_info *w, long x)
{
	struct subject rs[BENCH_MAX_SUBJECTS];
	static struct mig_state st[BENCH_MAX_SUBJECTS];
	struct mig_src src;
	int n = subjects_init(rs, false);
	char variant[24];

	if (!w)
		return;
	bench_progress("migration: a flat image of %ld tasks written by %s", x, w->name);
	if (!src_build(&src, w->name, x, false)) {
		src_free(&src);
		return;
	}
	memset(st, 0, sizeof st);
	for (int i = 0; i < n; i++) {
		st[i].design = rs[i].name;
		st[i].src = &src;
		rs[i].state = &st[i];
	}
	restore_measure(rs, st, n);
	snprintf(variant, sizeof variant, "from-%s", w->name);
	results_add_subjects(out, "migration", variant, x, rs, n, "ns/task", src.tasks);
	src_free(&src);
}

static const long sizes_default[] = { 256, 4096, 65536, 0 };
static const long sizes_full[] = { 64, 256, 1024, 4096, 16384, 65536, 262144,
				   1048576, 0 };

void wl_migrate(void)
{
	const long *sizes = bench.full ? sizes_full : sizes_default;
	FILE *out = results_open("migration", "tasks in the migrated tree "
		"(n: tasks in the image)", "checkpoint, restore (as a new "
		"container on a fresh image), migrate: ns per task; image bytes "
		"per task; from-<design>: that design's flat image restored by each");

	for (int i = 0; sizes[i]; i++) {
		if (bench.size && sizes[i] != bench.size)
			continue;
		migrate_point(out, sizes[i]);
	}
	if (!bench.size || bench.size == CROSS_TASKS) {
		cross_point(out, writer(PIDSIM_D_HIERARCHICAL), CROSS_TASKS);
		cross_point(out, writer(PIDSIM_D_RENUMBERS), CROSS_TASKS);
	}
	results_close(out);
	bench_progress_done();
}
