/*
 * run_compare.c - comparing designs: which differences the contract
 * explains, and the text that says why.
 *
 * Each outcome has two keys (run_cell.c): one with the numbers and the
 * labels they resolve to, and one "up to renaming", where a number that
 * names a labelled task is replaced by the label (for designs with
 * PIDSIM_D_RENUMBERS, whose numbers differ by a consistent renaming).  A
 * disagreement with the reference (design 0) is then allowed when the
 * contract explains it:
 *   - a limit the design records (pid_max, max_level, max_containers,
 *     min_ct_pid_max, a shared range), or a statement that could not run
 *     because of one;
 *   - rule 9: a stored owner kept as a number on one design and as a weak
 *     reference on the other (or as numbers reused differently);
 *   - the host's view, when the designs' flags say how it differs;
 *   - a hierarchical design's view of a container with descendants;
 *   - a raw number typed into a design that renumbers;
 *   - the state of the two designs' kernels diverged at an earlier
 *     statement (whose own disagreement was classified there), and has not
 *     converged since.
 * Anything else is a contract violation.  A difference that involves a task
 * whose state had already diverged is shown as following the line where it
 * did, before any flag is blamed.  The reasons are said of the designs
 * that differ from the reference; designs with the same reason share it in
 * the note ("pidspace, pidns: ...").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* The container whose view the statement reads numbers in, as a label of
 * its init; -1 for none (notify, kernel) or a caller that is gone. */
int run_view_of(const struct design_run *d, const struct pidsim_sc_stmt *st)
{
	int viewer = st->pid.ct >= 0 ? st->pid.ct : st->ct >= 0 ? st->ct : st->who;
	pidsim_kernel *k = st->kernel >= 0 ? d->kernel[st->kernel] : NULL;
	pidsim_tid ct;

	if (viewer < 0 || !k || pidsim_container_of(k, d->labels[viewer].tid, &ct))
		return -1;
	return run_label_of(d, st->kernel, ct);
}

/* Whether ct (a container, by its init's label) is a kernel's host. */
static bool is_host(const struct run *r, int ct)
{
	return ct >= 0 && r->sc->kernels[r->sc->labels[ct].kernel].init == ct;
}

/* Whether a container has had a container nested in it. */
static bool has_children(const struct run *r, const struct design_run *d, int ct)
{
	if (ct >= 0 && d->labels[ct].has_nested)
		return true;
	for (size_t i = 0; i < r->sc->nr_labels; i++)
		if (d->labels[i].parent_ct == ct)
			return true;
	return false;
}

#define HOST_FLAGS (PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_SHARED_RANGE | \
		    PIDSIM_D_RENUMBERS | PIDSIM_D_HIERARCHICAL)

/*
 * The reasons below are said of the design(s) the note names first, the
 * ones whose cells differ from the reference's: "stored owner is a weak
 * reference" on pidspace, never the reference's property under another
 * design's name.  Where the reason lies with the reference, the reference
 * is named ("vpid records a limit ...").
 */

/* Explanations from how the run went: a statement that could not run, or
 * a limit.  false when none applies. */
static bool explain_by_run(struct sc_buf *b, const struct design_run *ref,
			   const struct design_run *d)
{
	const struct outcome *ref_out = &ref->outcome, *d_out = &d->outcome;
	const char *ref_name = ref->info->name;

	if (d_out->how == OUTCOME_NOT_RUN) {
		sc_buf_printf(b, "follows line %u, which left nothing to run on",
			      d_out->cause);
		return true;
	}
	if (ref_out->how == OUTCOME_NOT_RUN) {
		sc_buf_printf(b, "%s did not run: line %u left it nothing to run on",
			      ref_name, ref_out->cause);
		return true;
	}
	if (d_out->limit[0] && ref_out->limit[0] &&
	    strcmp(d_out->limit, ref_out->limit)) {
		sc_buf_printf(b, "a recorded limit: %s (%s's: %s)", d_out->limit,
			      ref_name, ref_out->limit);
		return true;
	}
	if (d_out->limit[0]) {
		sc_buf_printf(b, "%s: %s", d_out->over ? "the run's task budget" :
			      "a recorded limit", d_out->limit);
		return true;
	}
	if (ref_out->limit[0]) {
		sc_buf_printf(b, "%s hit %s: %s", ref_name, ref_out->over ?
			      "the run's task budget" : "a limit it records",
			      ref_out->limit);
		return true;
	}
	return false;
}

/* Rule 9: a notify reaches what the stored owner names, a number or a
 * weak reference.  Only when the two designs store the owner differently
 * (whatever else diverged before); both numbers: see explain(). */
static bool explain_owner(struct sc_buf *b, const struct design_run *ref,
			  const struct design_run *d, const struct pidsim_sc_stmt *st)
{
	unsigned ref_flags = ref->info->flags, d_flags = d->info->flags;

	if (st->kind != PIDSIM_SC_NOTIFY ||
	    !((ref_flags ^ d_flags) & PIDSIM_D_OWNER_BY_NUMBER))
		return false;
	if (d_flags & PIDSIM_D_OWNER_BY_NUMBER)
		sc_buf_printf(b, "stored owner kept as a number (rule 9), %s keeps "
			      "a weak reference", ref->info->name);
	else
		sc_buf_printf(b, "stored owner is a weak reference (rule 9), %s "
			      "keeps a number", ref->info->name);
	return true;
}

static bool has_label(const int *v, size_t n, int l)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == l)
			return true;
	return false;
}

/* The earliest line at which a label's state left the reference's. */
struct earliest {
	unsigned line;		/* 0: none */
	int label;
};

/* Keep label l in e if its state on d left the reference's before e's. */
static void consider(const struct design_run *d, int l, struct earliest *e)
{
	unsigned at;

	if (l < 0 || (size_t)l >= d->nr_labels)
		return;
	at = d->labels[l].diverged_at;
	if (at && (!e->line || at < e->line))
		*e = (struct earliest){ at, l };
}

/* The same for each of one side's labels that the other side's list
 * leaves out. */
static void consider_one_sided(const struct design_run *d, const int *one, size_t n_one,
			       const int *other, size_t n_other, struct earliest *e)
{
	for (size_t i = 0; i < n_one; i++)
		if (!has_label(other, n_other, one[i]))
			consider(d, one[i], e);
}

/* The earliest line, before this statement, at which a task the
 * difference involves left the reference's state on d: a label the
 * statement names, the task either result names, or one that only one of
 * the results lists (died, gone, or in a ps list; a task both list is not
 * what differs).  0 when none has; *which: its label. */
static unsigned earliest_divergence(const struct design_run *ref,
				    const struct design_run *d,
				    const struct pidsim_sc_stmt *st, int *which)
{
	const struct outcome *side[2] = { &ref->outcome, &d->outcome };
	struct earliest e = { 0, -1 };
	int used[RUN_MAX_USED];
	size_t n = run_used_labels(st, used);

	for (size_t i = 0; i < n; i++)
		consider(d, used[i], &e);
	for (size_t s = 0; s < 2; s++) {
		const struct outcome *one = side[s], *other = side[!s];

		consider(d, one->label, &e);
		consider_one_sided(d, one->died, one->nr_died, other->died,
				   other->nr_died, &e);
		consider_one_sided(d, one->gone, one->nr_gone, other->gone,
				   other->nr_gone, &e);
		consider_one_sided(d, one->plabels, one->n, other->plabels, other->n, &e);
	}
	if (e.line)
		*which = e.label;
	return e.line;
}

/* Whether the statement reads a group's or a session's number. */
static bool reads_groups(const struct pidsim_sc_stmt *st)
{
	return st->kind == PIDSIM_SC_GETPGID || st->kind == PIDSIM_SC_GETSID ||
	       st->kind == PIDSIM_SC_SETSID ||
	       (st->kind == PIDSIM_SC_PS && ((unsigned)st->arg & PIDSIM_SC_GROUPS));
}

/* Explanations for the numbers of groups and sessions: a group led
 * outside a container (vpid-openvz reads the host's number, the others
 * 0), or a number no labelled task has (a reaped leader's, 0) where a
 * design renumbers.  false when none applies. */
static bool explain_groups(struct sc_buf *b, const struct run *r,
			   const struct design_run *ref, const struct design_run *d,
			   const struct pidsim_sc_stmt *st, int view)
{
	unsigned ref_flags = ref->info->flags, d_flags = d->info->flags;

	if (!reads_groups(st))
		return false;
	if ((ref_flags ^ d_flags) & PIDSIM_D_HOST_GROUP_NUMBER) {
		if (d_flags & PIDSIM_D_HOST_GROUP_NUMBER)
			sc_buf_printf(b, "a group or session led outside '%s' reads "
				      "as its host number (host-group-number), "
				      "0 on %s", view >= 0 ? label_name(r, view) : "?",
				      ref->info->name);
		else
			sc_buf_printf(b, "%s reads a group or session led outside "
				      "'%s' as its host number (host-group-number)",
				      ref->info->name, view >= 0 ? label_name(r, view) : "?");
		return true;
	}
	if ((ref_flags | d_flags) & PIDSIM_D_RENUMBERS) {
		sc_buf_printf(b, "a group's number naming no labelled task, in a "
			      "design that renumbers");
		return true;
	}
	return false;
}

/* A number typed into the file (pid, setpgid's pgid, -N for a group) that
 * names another task (or none) where a design renumbers. */
static bool explain_raw(struct sc_buf *b, const struct design_run *ref,
			const struct design_run *d, const struct pidsim_sc_stmt *st)
{
	const struct pidsim_sc_pid *raw = st->pid.label < 0 &&
		(st->pid.nr > 0 || st->pid.nr < -1) ? &st->pid :
		st->pgid.label < 0 && st->pgid.nr > 0 ? &st->pgid : NULL;

	if (!raw || !((ref->info->flags | d->info->flags) & PIDSIM_D_RENUMBERS))
		return false;
	if (d->info->flags & PIDSIM_D_RENUMBERS)
		sc_buf_printf(b, "raw pid %d in a design that renumbers", raw->nr);
	else
		sc_buf_printf(b, "raw pid %d, which %s renumbers", raw->nr,
			      ref->info->name);
	return true;
}

/* Explanations from the designs' flags, for a statement read in view. */
static bool explain_by_flags(struct sc_buf *b, const struct run *r,
			     const struct design_run *ref, const struct design_run *d,
			     const struct pidsim_sc_stmt *st, int view)
{
	unsigned ref_flags = ref->info->flags, d_flags = d->info->flags;
	unsigned either = ref_flags | d_flags;
	unsigned why_host = ((ref_flags ^ d_flags) | (either & PIDSIM_D_RENUMBERS)) &
			    HOST_FLAGS;

	if (is_host(r, view) && why_host) {
		sc_buf_printf(b, "host view: %s", d->info->host_view);
		return true;
	}
	if ((either & PIDSIM_D_HIERARCHICAL) && view >= 0 && has_children(r, ref, view)) {
		if (d_flags & PIDSIM_D_HIERARCHICAL)
			sc_buf_printf(b, "hierarchical: %s's view includes nested "
				      "containers", label_name(r, view));
		else
			sc_buf_printf(b, "not hierarchical: %s's view leaves out nested "
				      "containers, as %s's does not", label_name(r, view),
				      ref->info->name);
		return true;
	}
	/* A tree restored into an existing container asks for the numbers
	 * it had in its source's view, which the designs may number apart
	 * (the host's view, renumbering): each asks for its own. */
	if ((st->kind == PIDSIM_SC_RESTORE || st->kind == PIDSIM_SC_MIGRATE) &&
	    ((unsigned)st->arg & PIDSIM_SC_INTO) && why_host) {
		sc_buf_printf(b, "restored into a view with the numbers its source "
			      "view gave: %s", d->info->host_view);
		return true;
	}
	return explain_raw(b, ref, d, st) || explain_groups(b, r, ref, d, st, view);
}

/*
 * Why design d may disagree with the reference ref, into b; false (and the
 * word VIOLATION) when nothing in the contract explains it.  A difference
 * that involves a task whose state had already left the reference's
 * follows the line where it did, rather than getting a fresh reason: the
 * consequence of an earlier allowed divergence (a task killed on one
 * design and not on the other) is not the host view's doing.
 */
static bool explain(struct sc_buf *b, const struct run *r, const struct design_run *ref,
		    const struct design_run *d, const struct pidsim_sc_stmt *st)
{
	int view = run_view_of(ref, st), which = -1;
	unsigned diverged;

	if (explain_by_run(b, ref, d) || explain_owner(b, ref, d, st))
		return true;
	diverged = d->diverged_at ? earliest_divergence(ref, d, st, &which) : 0;
	if (diverged) {
		sc_buf_printf(b, "follows line %u, where %s diverged", diverged,
			      label_name(r, which));
		return true;
	}
	if (st->kind == PIDSIM_SC_NOTIFY &&
	    ((ref->info->flags | d->info->flags) & PIDSIM_D_OWNER_BY_NUMBER)) {
		sc_buf_printf(b, "stored owner kept as a number, as on %s (rule 9), "
			      "the number reused differently", ref->info->name);
		return true;
	}
	if (explain_by_flags(b, r, ref, d, st, view))
		return true;
	if (d->diverged_at) {
		sc_buf_printf(b, "follows the divergence at line %u", d->diverged_at);
		return true;
	}
	if (is_host(r, view))
		sc_buf_printf(b, "VIOLATION: the host view differs, but no design "
			      "flag says why");
	else
		sc_buf_printf(b, "VIOLATION: inside '%s' every design must agree",
			      view >= 0 ? label_name(r, view) : "?");
	return false;
}

int run_note(const struct run *r, struct sc_row *row, size_t from)
{
	struct sc_buf b = { 0 };
	bool *said = calloc(r->nr_designs, sizeof *said);

	if (!said)
		return -ENOMEM;
	for (size_t i = from; i < r->nr_designs; i++) {
		if (!row->why[i] || said[i])
			continue;
		sc_buf_printf(&b, "%s%s", b.len ? "; " : "", r->designs[i].info->name);
		for (size_t j = i + 1; j < r->nr_designs; j++) {
			if (!row->why[j] || said[j] || strcmp(row->why[i], row->why[j]))
				continue;
			sc_buf_printf(&b, ", %s", r->designs[j].info->name);
			said[j] = true;
		}
		sc_buf_printf(&b, ": %s", row->why[i]);
	}
	free(said);
	if (b.oom) {
		sc_buf_free(&b);
		return -ENOMEM;
	}
	row->note = b.len ? sc_buf_take(&b) : NULL;
	return 0;
}

/* Results the same up to renaming: whether the numbers differ all the
 * same, and if so the reason that says so, the first time for d: a
 * renumbering design's numbers say so once. */
static int renumbered(const struct run *r, struct design_run *ref,
		      struct design_run *d, const struct pidsim_sc_stmt *st,
		      struct sc_row *row, size_t i)
{
	const struct design_run *by = d->info->renumbering ? d : ref;
	char *ref_key, *d_key;
	struct sc_buf b = { 0 };
	int differ;

	if (d->said_renumbering || !by->info->renumbering)
		return 0;
	ref_key = run_outcome_text(r, ref, st, false, false);
	d_key = run_outcome_text(r, d, st, false, false);
	differ = !ref_key || !d_key ? -ENOMEM : strcmp(ref_key, d_key) != 0;
	free(ref_key);
	free(d_key);
	if (differ <= 0)
		return differ;
	d->said_renumbering = true;
	row->verdict[i] = SC_RENUMBERED;
	if (by != d)
		sc_buf_printf(&b, "%s ", by->info->name);
	sc_buf_printf(&b, "renumbers: %s; the same tasks by other numbers (said "
		      "once)", by->info->renumbering);
	row->why[i] = sc_buf_take(&b);
	return row->why[i] ? 0 : -ENOMEM;
}

/* Compare every design with the reference; mark and classify each
 * difference. */
static int compare(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	struct design_run *ref = &r->designs[0];
	int err = 0;

	for (size_t i = 1; !err && i < r->nr_designs; i++) {
		struct design_run *d = &r->designs[i];
		bool named = (ref->info->flags | d->info->flags) & PIDSIM_D_RENUMBERS;
		char *ref_key = run_outcome_text(r, ref, st, named, false);
		char *d_key = run_outcome_text(r, d, st, named, false);
		bool oom = !ref_key || !d_key, allowed;
		bool same = !oom && strcmp(ref_key, d_key) == 0;
		struct sc_buf b = { 0 };

		free(ref_key);
		free(d_key);
		if (oom) {
			err = -ENOMEM;
			break;
		}
		if (same) {
			err = named ? renumbered(r, ref, d, st, row, i) : 0;
			continue;
		}
		row->differs[i] = true;
		r->sum.disagreements++;
		allowed = explain(&b, r, ref, d, st);
		r->sum.allowed += allowed;
		r->sum.violations += !allowed;
		row->violation |= !allowed;
		row->verdict[i] = allowed ? SC_ALLOWED : SC_VIOLATION;
		row->why[i] = sc_buf_take(&b);
		if (!row->why[i])
			err = -ENOMEM;
	}
	return err ? err : run_note(r, row, 1);
}

/* Whether label l stands for the same kernel state on ref and d: an object
 * that exists on both or neither, a task in the same state (a zombie: one
 * that died at the same line, so that its exit status can be the same).
 * An alias is the file's reference, not kernel state. */
static bool same_state(const struct run *r, const struct design_run *ref,
		       const struct design_run *d, size_t l)
{
	if (r->sc->labels[l].kind == PIDSIM_SC_ALIAS)
		return true;
	if (r->sc->labels[l].kind == PIDSIM_SC_OBJECT)
		return (ref->labels[l].obj >= 0) == (d->labels[l].obj >= 0);
	int state = run_task_state(r, ref, (int)l);

	return state == run_task_state(r, d, (int)l) &&
	       (state != PIDSIM_ZOMBIE || ref->labels[l].died_at == d->labels[l].died_at);
}

/* After a statement that changes state: note the first line where d's
 * tasks stopped matching the reference's, and forget it once they match
 * again.  A statement that only defines a label, on kernels that match,
 * needs only that label compared. */
static void track_divergence(const struct run *r, struct design_run *d,
			     const struct pidsim_sc_stmt *st)
{
	const struct design_run *ref = &r->designs[0];
	bool same = true;

	if (!d->diverged_at && !changes_state(st->kind)) {
		if (!same_state(r, ref, d, (size_t)st->def))
			d->diverged_at = st->line;
		return;
	}
	/* A restore into a view that gave the tree other numbers here than
	 * in the reference: the same tasks, numbered apart from now on. */
	if ((st->kind == PIDSIM_SC_RESTORE || st->kind == PIDSIM_SC_MIGRATE) &&
	    ((unsigned)st->arg & PIDSIM_SC_INTO) && !d->diverged_at &&
	    (ref->outcome.ret != d->outcome.ret ||
	     ref->outcome.nr != d->outcome.nr)) {
		d->diverged_at = st->line;
		return;
	}
	for (size_t l = 0; same && l < r->sc->nr_labels; l++)
		same = same_state(r, ref, d, l);
	if (same)
		d->diverged_at = 0;
	else if (!d->diverged_at)
		d->diverged_at = st->line;
}

/* After a statement: note, per label, the line where its state on d left
 * the reference's, and forget it once they match again; the statement's
 * own differences were classified before this, so a later one that
 * involves the label follows that line.  Only a statement that changes
 * state can change a label's but its own. */
static void track_labels(const struct run *r, struct design_run *d,
			 const struct pidsim_sc_stmt *st)
{
	const struct design_run *ref = &r->designs[0];
	size_t from = changes_state(st->kind) ? 0 : (size_t)st->def;
	size_t to = changes_state(st->kind) ? r->sc->nr_labels : from + 1;

	for (size_t l = from; l < to; l++) {
		if (same_state(r, ref, d, l))
			d->labels[l].diverged_at = 0;
		else if (!d->labels[l].diverged_at)
			d->labels[l].diverged_at = st->line;
	}
}

/* After st ran on every design: compare, then track where each design's
 * state left the reference's. */
int run_compare(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	int err = compare(r, st, row);

	for (size_t i = 1; !err && i < r->nr_designs; i++)
		if (changes_state(st->kind) || st->def >= 0) {
			track_labels(r, &r->designs[i], st);
			track_divergence(r, &r->designs[i], st);
		}
	return err;
}
