/*
 * parse_stmt.c - one parser per statement kind (docs/scenarios.md), called
 * after the statement's keyword with the rest of its line in tokens.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The NAME of "kernel [NAME]", "host" when left out: a label not yet
 * defined, and not the host that an earlier line booted implicitly. */
static int kernel_name(struct parser *p, const struct pidsim_sc_stmt *st,
		       struct tok *name)
{
	const struct tok *t = peek(p);
	int idx;

	*name = (struct tok){ "host", 4, st->col };
	if (t && !tok_is(t, "pid_max") && !tok_is(t, "design")) {
		if (!sc_label_syntax(t->s, t->len) || sc_is_reserved(t))
			return sc_fail_expected(p, t, "a name for the kernel image, "
						"'design' or 'pid_max'");
		*name = *next(p);
	}
	idx = sc_names_find(p->sc, name->s, name->len);
	if (idx >= 0 && p->sc->labels[idx].line == 0)
		return sc_fail(p, st->col, "kernel 'host' must come before the first "
			    "use of 'host' (line %u booted it with the default "
			    "pid_max)", p->host_use);
	if (idx >= 0)
		return sc_fail(p, name->col, "label '%.*s' is already defined (line %u)",
			    (int)name->len, name->s, p->sc->labels[idx].line);
	if (p->sc->nr_kernels >= PIDSIM_SC_MAX_KERNELS)
		return sc_fail(p, st->col, "too many kernel images (at most %d)",
			    PIDSIM_SC_MAX_KERNELS);
	return 0;
}

/* design D: a design's name, which the kernel runs whatever the design
 * under test (for migration between designs). */
static int parse_design(struct parser *p, char *out)
{
	const struct tok *t = next(p);

	if (!t || t->len > PIDSIM_SC_MAX_LABEL)
		return sc_fail_expected(p, t, "a design name ('pidsim designs' lists them)");
	memcpy(out, t->s, t->len);
	out[t->len] = '\0';
	if (!pidsim_design_find(out))
		return sc_fail(p, t->col, "unknown design '%s' ('pidsim designs' lists "
			    "them)", out);
	return 0;
}

/* kernel [NAME] [design D] [pid_max N] */
int sc_parse_kernel(struct parser *p, struct pidsim_sc_stmt *st)
{
	struct pidsim_scenario *sc = p->sc;
	char design[PIDSIM_SC_MAX_LABEL + 1] = "";
	struct tok name;
	int err = kernel_name(p, st, &name);

	if (!err && tok_is(peek(p), "design")) {
		next(p);
		err = parse_design(p, design);
	}
	if (!err && tok_is(peek(p), "pid_max")) {
		next(p);
		err = sc_parse_number(p, next(p), 2, PIDSIM_PID_MAX_LIMIT,
				   "a pid_max (2..4194304)", &st->arg);
	}
	if (!err)
		err = sc_add_label(p, name.s, name.len, PIDSIM_SC_TASK,
				(int)sc->nr_kernels, &st->def);
	if (err)
		return err;
	st->kernel = (int)sc->nr_kernels;
	sc->kernels[sc->nr_kernels] = (struct pidsim_sc_kernel){
		.init = st->def, .pid_max = st->arg, .stmt = sc->nr_stmts,
	};
	memcpy(sc->kernels[sc->nr_kernels++].design, design, sizeof design);
	return 0;
}

/* fork WHO [newpid] [-> LABEL] */
int sc_parse_fork(struct parser *p, struct pidsim_sc_stmt *st)
{
	char name[PIDSIM_SC_MAX_LABEL + 1];
	int err = sc_parse_who(p, "fork", st);

	if (err)
		return err;
	if (tok_is(peek(p), "newpid")) {
		next(p);
		st->arg = PIDSIM_CLONE_NEWPID;
	}
	if (peek(p))
		return sc_parse_def(p, PIDSIM_SC_TASK, st->kernel, &st->def);
	/* An unnamed child still gets a label, which the transcript shows and
	 * no file can write: '@' is not a label character. */
	snprintf(name, sizeof name, "fork@%u", p->line);
	err = sc_add_label(p, name, strlen(name), PIDSIM_SC_TASK, st->kernel, &st->def);
	if (!err)
		p->sc->labels[st->def].hidden = true;
	return err;
}

/* exit WHO [CODE] */
int sc_parse_exit(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "exit", st);

	if (!err && peek(p))
		err = sc_parse_number(p, next(p), INT_RANGE, "an exit code", &st->arg);
	return err;
}

/* wait WHO PID|any */
int sc_parse_wait(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "wait", st);

	return err ? err : sc_parse_pid(p, st->kernel, true, false, &st->pid);
}

/* kill WHO PID [SIGNAL]; the default signal is TERM, as kill(1)'s. */
int sc_parse_kill(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "kill", st);

	if (!err)
		err = sc_parse_pid(p, st->kernel, false, true, &st->pid);
	st->arg = 15;
	if (!err && peek(p))
		err = sc_parse_sig(p, next(p), &st->arg);
	return err;
}

/* getpid WHO, getppid WHO, setsid WHO */
int sc_parse_getpid(struct parser *p, struct pidsim_sc_stmt *st)
{
	return sc_parse_who(p, pidsim_sc_kind_name(st->kind), st);
}

/* getpgid WHO [PID], getsid WHO [PID]: PID 0 (the default) is WHO. */
int sc_parse_getpgid(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, pidsim_sc_kind_name(st->kind), st);

	if (!err && peek(p))
		err = sc_parse_pid(p, st->kernel, false, false, &st->pid);
	return err;
}

/* setpgid WHO PID PGID: each a number (0: WHO; the target's own) or a
 * task label (its number in WHO's view: a group is named by its
 * leader's). */
int sc_parse_setpgid(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "setpgid", st);

	if (!err)
		err = sc_parse_pid(p, st->kernel, false, false, &st->pid);
	return err ? err : sc_parse_pid(p, st->kernel, false, false, &st->pgid);
}

/* ps WHO [CONTAINER | groups] */
int sc_parse_ps(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "ps", st);

	if (err || !peek(p))
		return err;
	if (tok_is(peek(p), "groups")) {
		next(p);
		st->arg = (int)PIDSIM_SC_GROUPS;
		return 0;
	}
	err = sc_find_label(p, peek(p), TASKS, "a container label", &st->ct);
	return err ? err : sc_same_kernel(p, next(p), st->ct, st->kernel);
}

/* ref WHO PID -> LABEL */
int sc_parse_ref(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "ref", st);

	if (!err)
		err = sc_parse_pid(p, st->kernel, false, true, &st->pid);
	return err ? err : sc_parse_def(p, PIDSIM_SC_ALIAS, st->kernel, &st->def);
}

/* resolve WHO LABEL */
int sc_parse_resolve(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "resolve", st);

	if (err)
		return err;
	err = sc_find_label(p, peek(p), TASKS, "a task label to resolve", &st->pid.label);
	return err ? err : sc_same_kernel(p, next(p), st->pid.label, st->kernel);
}

/* setown WHO PID -> OBJECT */
int sc_parse_setown(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "setown", st);

	if (!err)
		err = sc_parse_pid(p, st->kernel, false, false, &st->pid);
	return err ? err : sc_parse_def(p, PIDSIM_SC_OBJECT, st->kernel, &st->def);
}

/* notify OBJECT [SIGNAL]; the default is IO, what send_sigio() sends. */
int sc_parse_notify(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_find_label(p, next(p), OBJECTS, "an object label (from setown)",
			     &st->obj);

	if (err)
		return err;
	st->kernel = p->sc->labels[st->obj].kernel;
	st->arg = 29;
	if (st->kind == PIDSIM_SC_NOTIFY && peek(p))
		err = sc_parse_sig(p, next(p), &st->arg);
	return err;
}

/* churn WHO COUNT: fork, exit and reap COUNT children, one at a time. */
int sc_parse_churn(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "churn", st);

	return err ? err : sc_parse_number(p, next(p), 1, PIDSIM_SC_MAX_CHURN,
					"a count (1..100000)", &st->arg);
}

/* The optional words of checkpoint, restore and migrate, in order. */
static void parse_mig_flags(struct parser *p, struct pidsim_sc_stmt *st, bool tree,
			    bool into)
{
	if (tree && tok_is(peek(p), "tree")) {
		next(p);
		st->arg |= (int)PIDSIM_SC_TREE;
	}
	if (into && tok_is(peek(p), "into")) {
		next(p);
		st->arg |= (int)PIDSIM_SC_INTO;
	}
}

/* The tree to checkpoint or migrate, on the statement's kernel. */
int sc_parse_root(struct parser *p, struct pidsim_sc_stmt *st)
{
	const struct tok *t = next(p);
	int err = sc_find_label(p, t, TASKS, "the task whose tree to take (a "
			     "container's init, or with 'tree' any task)",
			     &st->pid.label);

	return err ? err : sc_same_kernel(p, t, st->pid.label, st->kernel);
}

/* checkpoint WHO ROOT [tree] -> IMAGE */
int sc_parse_checkpoint(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "checkpoint", st);

	if (!err)
		err = sc_parse_root(p, st);
	if (err)
		return err;
	parse_mig_flags(p, st, true, false);
	return sc_parse_def(p, PIDSIM_SC_CKPT, st->kernel, &st->def);
}

/* restore WHO IMAGE [into] [-> LABEL]: a checkpoint image restores on any
 * kernel. */
int sc_parse_restore(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "restore", st);

	if (!err)
		err = sc_find_label(p, next(p), CKPTS, "an image label (checkpoint "
				 "... -> IMAGE)", &st->obj);
	if (err)
		return err;
	parse_mig_flags(p, st, false, true);
	return peek(p) ? sc_parse_def(p, PIDSIM_SC_TASK, st->kernel, &st->def) : 0;
}

/* migrate WHO ROOT TARGET [tree] [into] [-> LABEL]: TARGET on any kernel,
 * whose kernel the statement's result is read on. */
int sc_parse_migrate(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = sc_parse_who(p, "migrate", st);

	if (!err)
		err = sc_parse_root(p, st);
	if (!err)
		err = sc_find_label(p, next(p), TASKS, "the task to restore under "
				 "(on any kernel image)", &st->ct);
	if (err)
		return err;
	st->kernel = p->sc->labels[st->ct].kernel;
	parse_mig_flags(p, st, true, true);
	return peek(p) ? sc_parse_def(p, PIDSIM_SC_TASK, st->kernel, &st->def) : 0;
}
