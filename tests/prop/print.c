/* print.c - workloads as scenario files (see print.h). */
#define _POSIX_C_SOURCE 200809L
#include "print.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim_scenario.h"

struct pr {
	FILE *f;
	const struct wl *w;
	const struct step_log *log;
	bool *defined;		/* task labels defined so far */
	bool *ref_defined, *obj_defined;
};

static const char *sig_name(int sig)
{
	static char buf[16];

	switch (sig) {
	case 9: return "KILL";
	case 15: return "TERM";
	case 29: return "IO";
	case 17: return "CHLD";
	case 1: return "HUP";
	case 2: return "INT";
	default:
		snprintf(buf, sizeof buf, "%d", sig);
		return buf;
	}
}

static void task_name(char *buf, size_t size, int label)
{
	if (label == 0)
		snprintf(buf, size, "host");
	else
		snprintf(buf, size, "t%d", label);
}

static bool defined(const struct pr *p, int label)
{
	return label >= 0 && label < p->w->nr_tasks && p->defined[label];
}

/* A pid argument: the label (-label for a group) when the run saw it as
 * that task's number; second: setpgid's pgid. */
static void pid_text_of(const struct pr *p, size_t i, const struct wl_pid *pid,
			bool second, char *buf, size_t size, char *note, size_t nsize)
{
	const struct step_log *lg = p->log ? &p->log[i] : NULL;
	bool symbolic = lg && (second ? lg->symbolic2 : lg->symbolic);
	int nr = lg ? (second ? lg->pid2 : lg->pid) : pid->raw;
	bool named = pid->kind == WL_PID_TASK || pid->kind == WL_PID_GROUP;
	char name[16];

	note[0] = '\0';
	if (pid->kind == WL_PID_ANY) {
		snprintf(buf, size, "-1");
		return;
	}
	if (named && defined(p, pid->task) && (!lg || symbolic)) {
		task_name(name, sizeof name, pid->task);
		snprintf(buf, size, "%s%s", pid->kind == WL_PID_GROUP ? "-" : "", name);
		return;
	}
	snprintf(buf, size, "%d", nr);
	if (named) {
		task_name(name, sizeof name, pid->task);
		snprintf(note, nsize, "  # %s%s, which the caller does not see by "
			 "this number now", pid->kind == WL_PID_GROUP ? "the group of " : "",
			 name);
	}
}

static void pid_text(const struct pr *p, size_t i, const struct wl_pid *pid,
		     char *buf, size_t size, char *note, size_t nsize)
{
	pid_text_of(p, i, pid, false, buf, size, note, nsize);
}

/* A step the language cannot say, as a comment. */
static void unsayable(struct pr *p, const struct wl_op *op, const char *why)
{
	fprintf(p->f, "# (%s) %s by t%d\n", why, wl_kind_name(op->kind), op->who);
}

static void print_op(struct pr *p, size_t i)
{
	const struct wl_op *op = &p->w->ops[i];
	char who[16], pid[24], ct[16], note[96];

	task_name(who, sizeof who, op->who);
	if (op->kind != WL_NOTIFY && op->kind != WL_CLOSE &&
	    op->kind != WL_STATS_RESET && !defined(p, op->who))
		return unsayable(p, op, "its caller's fork was shrunk away");
	pid_text(p, i, &op->pid, pid, sizeof pid, note, sizeof note);
	if (op->target >= 0)
		task_name(ct, sizeof ct, op->target);
	switch (op->kind) {
	case WL_FORK:
		if (op->flags & ~PIDSIM_CLONE_NEWPID)
			return unsayable(p, op, "fork with an unknown flag");
		fprintf(p->f, "fork %s%s -> t%d\n", who,
			op->flags & PIDSIM_CLONE_NEWPID ? " newpid" : "", op->def);
		p->defined[op->def] = true;
		break;
	case WL_EXIT:
		fprintf(p->f, "exit %s %d\n", who, op->arg);
		break;
	case WL_WAIT:
		fprintf(p->f, "wait %s %s%s\n", who,
			strcmp(pid, "-1") == 0 ? "any" : pid, note);
		break;
	case WL_KILL:
		fprintf(p->f, "kill %s %s %s%s\n", who, pid, sig_name(op->arg), note);
		break;
	case WL_KILL_IN:
	case WL_PS_IN:
	case WL_FIND_IN:
		if (!defined(p, op->target))
			return unsayable(p, op, "its container's fork was shrunk away");
		if (op->kind == WL_PS_IN)
			fprintf(p->f, "ps %s %s\n", who, ct);
		else if (op->kind == WL_KILL_IN)
			fprintf(p->f, "kill %s %s:%s %s%s\n", who, ct, pid,
				sig_name(op->arg), note);
		else {
			fprintf(p->f, "ref %s %s:%s -> r%d%s\n", who, ct, pid, op->def, note);
			p->ref_defined[op->def] = true;
		}
		break;
	case WL_GETPID:
		fprintf(p->f, "getpid %s\n", who);
		break;
	case WL_GETPPID:
		fprintf(p->f, "getppid %s\n", who);
		break;
	case WL_PS:
		fprintf(p->f, "ps %s\n", who);
		break;
	case WL_FIND:
		fprintf(p->f, "ref %s %s -> r%d%s\n", who, pid, op->def, note);
		p->ref_defined[op->def] = true;
		break;
	case WL_PID_OF:
		if (!defined(p, op->target))
			return unsayable(p, op, "the task's fork was shrunk away");
		fprintf(p->f, "resolve %s %s\n", who, ct);
		break;
	case WL_RESOLVE:
		if (op->target < 0 || !p->ref_defined[op->target])
			return unsayable(p, op, "the reference was shrunk away");
		fprintf(p->f, "resolve %s r%d\n", who, op->target);
		break;
	case WL_SETOWN:
		fprintf(p->f, "setown %s %s -> o%d%s\n", who, pid, op->def, note);
		p->obj_defined[op->def] = true;
		break;
	case WL_NOTIFY:
	case WL_CLOSE:
		if (op->target < 0 || !p->obj_defined[op->target]) {
			fprintf(p->f, "# (an object id the language cannot name) "
				"%s object %d\n", wl_kind_name(op->kind), op->pid.raw);
			break;
		}
		if (op->kind == WL_NOTIFY)
			fprintf(p->f, "notify o%d %s\n", op->target, sig_name(op->arg));
		else
			fprintf(p->f, "close o%d\n", op->target);
		break;
	case WL_CHURN:
		fprintf(p->f, "churn %s %d\n", who, op->arg);
		break;
	case WL_SETPGID: {
		char pg[24], note2[96];

		pid_text_of(p, i, &op->pid2, true, pg, sizeof pg, note2, sizeof note2);
		fprintf(p->f, "setpgid %s %s %s%s%s\n", who, pid, pg, note,
			note[0] ? "" : note2);
		break;
	}
	case WL_SETSID:
		fprintf(p->f, "setsid %s\n", who);
		break;
	case WL_GETPGID:
	case WL_GETSID:
		fprintf(p->f, "%s %s %s%s\n", wl_kind_name(op->kind), who, pid, note);
		break;
	case WL_SPAWN:
		if (op->flags & ~PIDSIM_CLONE_NEWPID)
			return unsayable(p, op, "fork with an unknown flag");
		fprintf(p->f, "# %d unnamed children of %s:\n", op->arg, who);
		for (int k = 0; k < op->arg; k++)
			fprintf(p->f, "fork %s%s\n", who,
				op->flags & PIDSIM_CLONE_NEWPID ? " newpid" : "");
		break;
	case WL_STATS_RESET:
		fprintf(p->f, "# (not in the scenario language) pidsim_stats_reset()\n");
		break;
	case WL_MIGRATE:
		if (!defined(p, op->target) || !defined(p, op->pid.task))
			return unsayable(p, op, "its tree's or its target's fork was "
					 "shrunk away");
		task_name(pid, sizeof pid, op->pid.task);
		fprintf(p->f, "migrate %s %s %s%s%s -> t%d\n", who, ct, pid,
			op->flags & WL_MIG_TREE ? " tree" : "",
			op->flags & WL_MIG_INTO ? " into" : "", op->def);
		p->defined[op->def] = true;
		break;
	case WL_RESTORE:
		/* the image came from another kernel image (transplant.c) */
		fprintf(p->f, "# (an image made elsewhere) restore it under %s%s: "
			"its tasks are t%d...\n", who, op->flags & WL_MIG_INTO ? " into" : "",
			op->def);
		break;
	}
}

char *wl_scenario(const struct wl *w, const struct step_log *log, int fail_step,
		  const char *design, const char *why, const char *expect)
{
	struct pr p = { .w = w, .log = log };
	char *text = NULL;
	size_t len = 0;

	p.f = open_memstream(&text, &len);
	p.defined = calloc((size_t)w->nr_tasks + 1, sizeof *p.defined);
	p.ref_defined = calloc((size_t)w->nr_refs + 1, sizeof *p.ref_defined);
	p.obj_defined = calloc((size_t)w->nr_objs + 1, sizeof *p.obj_defined);
	if (!p.f || !p.defined || !p.ref_defined || !p.obj_defined)
		abort();
	p.defined[0] = true;
	fprintf(p.f, "# found by the pidsim property suite%s%s\n",
		design ? " on design " : "", design ? design : "");
	if (w->pid_max)
		fprintf(p.f, "kernel host pid_max %d\n", w->pid_max);
	else
		fprintf(p.f, "kernel host\n");
	for (size_t i = 0; i < w->n; i++) {
		if (log && !log[i].ran)
			break;
		print_op(&p, i);
		if ((int)i == fail_step && expect)
			fprintf(p.f, "%s\n", expect);
		if ((int)i == fail_step && why)
			fprintf(p.f, "# ^ %s\n", why);
	}
	fclose(p.f);
	free(p.defined);
	free(p.ref_defined);
	free(p.obj_defined);
	return text;
}

int wl_scenario_check(const char *text, char *msg, size_t size)
{
	struct pidsim_scenario *sc = NULL;
	struct pidsim_sc_error err;
	int r = pidsim_sc_parse(text, strlen(text), &sc, &err);

	if (r == 0) {
		pidsim_sc_free(sc);
		return 0;
	}
	snprintf(msg, size, "line %u, column %u: %s", err.line, err.col, err.msg);
	return -1;
}
