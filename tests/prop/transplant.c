/*
 * transplant.c - the transplant property: a tree checkpointed on one kernel
 * image, mid-workload, restored on another, of the same design or of any
 * other, and the workload going on there.
 *
 * Every other property runs a workload on one image (a migrate moves a tree
 * within it).  Here a trial runs a random workload on design A, checkpoints
 * a random task's tree or a random container (pidsim_checkpoint(), kernel
 * context) after a random number of its steps, and restores the image on a
 * new image of a random design B: a fresh one, or one busy with a random
 * workload of its own, as a new container or into the parent's (the parent
 * is random too), then goes on with a random workload there that uses the
 * restored tasks among the others (wl_generate_restore()).  On B every
 * check of the suite runs, after every step as usual (exec.h: invariants,
 * isolation, weak references, the reference model, which restores the
 * image as pidsim_image.h says: the image's numbers inside the tree, its
 * states, exit statuses and cursors, its owners as new objects); and right
 * after the restore, every restored task's number in every view the image
 * has is checked against the image where the design keeps it.
 *
 * A restore that fails is checked against the model like any other call
 * (a design's limits: its levels, its container ids, a number taken or
 * past pid_max); such a trial counts as a skip, so that the banner says how
 * many trials moved a tree.  The workload on A is not checked here (the
 * other properties do that); only that it can be checkpointed.
 *
 * A trial is a generated workload (wl.h) and a seed for the rest: the
 * cut, A, B, the root, the target's workload.  Shrinking shrinks the
 * workload on A.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "pidsim_image.h"
#include "print.h"
#include "props.h"

struct tp {
	struct wl *src;		/* the workload on A */
	uint64_t seed;		/* everything else */
};

/* What a trial's seed chose, and the workload it made for B. */
struct plan {
	const struct pidsim_design_info *a, *b;
	struct wl *upto;	/* the steps of src run before the checkpoint */
	struct exec_ckpt ck;
	bool busy;
	struct wl *target;	/* NULL if nothing could be checkpointed */
	struct exec_out out_a;
};

static const struct pidsim_design_info *pick_design(struct prop_rng *r,
						    const struct props_env *pe)
{
	if (pe->design)
		return pidsim_design_find(pe->design);
	return pidsim_design_at(prop_rng_below(r, (uint32_t)pidsim_design_count()));
}

/* Run src on A up to the cut and checkpoint; make B's workload. */
static void plan_make(const struct tp *tp, const struct props_env *pe, struct plan *p)
{
	static const int pid_maxes[] = { 0, 16, 400, 1100, 4096 };
	struct prop_rng r = { tp->seed };
	int pid_max;

	memset(p, 0, sizeof *p);
	p->a = pick_design(&r, pe);
	p->b = pick_design(&r, pe);
	p->upto = wl_copy(tp->src);
	p->upto->n = prop_rng_below(&r, (uint32_t)tp->src->n + 1);
	p->ck.what = prop_rng_pct(&r, 50) ? PIDSIM_CKPT_TREE : PIDSIM_CKPT_CONTAINER;
	p->ck.pick = (uint32_t)prop_rng_next(&r);
	p->busy = prop_rng_pct(&r, 50);
	pid_max = prop_rng_pct(&r, 75) ? tp->src->pid_max
				       : pid_maxes[prop_rng_below(&r, 5)];
	exec_run_ckpt(p->upto, p->a, 0, &p->out_a, &p->ck);
	if (p->ck.image)
		p->target = wl_generate_restore(&r, pid_max, p->ck.image, p->ck.len,
						p->busy);
}

static void plan_free(struct plan *p)
{
	wl_free(p->upto);
	wl_free(p->target);
	pidsim_image_free(p->ck.image);
	exec_out_free(&p->out_a);
}

static void describe(const struct plan *p, char *buf, size_t size)
{
	snprintf(buf, size, "the %s of t%d after %zu steps on %s, restored on %s (%s)",
		 p->ck.what == PIDSIM_CKPT_TREE ? "tree" : "container",
		 p->upto->ops ? p->ck.root : -1, p->upto->n, p->a->name, p->b->name,
		 p->busy ? "busy" : "fresh");
}

enum prop_result transplant_check(const void *inst, void *env, char *why, size_t size)
{
	const struct tp *tp = inst;
	struct props_env *pe = env;
	struct plan p;
	struct exec_out out;
	enum prop_result res = PROP_SKIP;
	char what[256];

	plan_make(tp, pe, &p);
	pe->calls += p.out_a.calls;
	describe(&p, what, sizeof what);
	if (p.out_a.failed) {
		snprintf(why, size, "%s: %s", what, p.out_a.why);
		plan_free(&p);
		return PROP_FAIL;
	}
	if (!p.target) {
		plan_free(&p);
		return PROP_SKIP;	/* nothing to checkpoint, or pid_max */
	}
	exec_run(p.target, p.b, pe->checks, &out);
	props_count(pe, &out, p.target->n);
	if (out.failed) {
		snprintf(why, size, "%s: %s", what, out.why);
		res = PROP_FAIL;
	} else if (!out.skipped && out.restore_ret >= 0) {
		res = PROP_PASS;
	}
	exec_out_free(&out);
	plan_free(&p);
	return res;
}

static void print_wl(FILE *f, const struct wl *w, const char *title)
{
	char *text = wl_scenario(w, NULL, -1, NULL, NULL, NULL);
	const char *line = text;

	fprintf(f, "   %s:\n", title);
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int len = (int)(nl ? nl - line : (long)strlen(line));

		fprintf(f, "     %.*s\n", len, line);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

void transplant_report(FILE *f, const void *inst, void *env, uint64_t seed,
		       const char *why)
{
	struct plan p;
	struct pidsim_image *img = NULL;

	fprintf(f, "   %s\n", why);
	plan_make(inst, env, &p);
	print_wl(f, p.upto, "the workload on the source, up to the checkpoint");
	if (p.ck.image && !pidsim_image_decode(p.ck.image, p.ck.len, &img, NULL, 0)) {
		fprintf(f, "   the image:\n");
		pidsim_image_print(f, img);
		pidsim_image_destroy(img);
	}
	if (p.target)
		print_wl(f, p.target, "the workload on the target (the image's tasks "
			 "are the labels from the restore's on)");
	fprintf(f, "   replay the trial: PIDSIM_SEED=0x%016" PRIx64 " PIDSIM_TRIALS=1 "
		"PIDSIM_PROPS=transplant\n", seed);
	plan_free(&p);
}

/* ---- The type: a workload and a seed; shrinking shrinks the workload ---- */

static void *tp_alloc(struct prop_rng *rng, void *env)
{
	struct tp *tp = malloc(sizeof *tp);

	if (!tp)
		abort();
	tp->src = wl_type.alloc(rng, env);
	tp->seed = prop_rng_next(rng);
	return tp;
}

static void tp_free(void *inst, void *env)
{
	struct tp *tp = inst;

	wl_type.free(tp->src, env);
	free(tp);
}

static enum prop_shrink tp_shrink(const void *inst, uint32_t tactic, void *env,
				  void **out)
{
	const struct tp *tp = inst;
	void *w;
	enum prop_shrink r = wl_type.shrink(tp->src, tactic, env, &w);
	struct tp *c;

	if (r != PROP_SHRINK_OK)
		return r;
	c = malloc(sizeof *c);
	if (!c)
		abort();
	c->src = w;
	c->seed = tp->seed;
	*out = c;
	return PROP_SHRINK_OK;
}

static size_t tp_size(const void *inst, void *env)
{
	return wl_type.size(((const struct tp *)inst)->src, env);
}

static void tp_print(FILE *f, const void *inst, void *env)
{
	const struct tp *tp = inst;

	fprintf(f, "seed 0x%016" PRIx64 ", on the source:\n", tp->seed);
	wl_type.print(f, tp->src, env);
}

const struct prop_type transplant_type = {
	.alloc = tp_alloc,
	.free = tp_free,
	.shrink = tp_shrink,
	.size = tp_size,
	.print = tp_print,
};
