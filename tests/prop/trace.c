/*
 * trace.c - what a step observed, for the differential (CHK_TRACE): numbers
 * turned into labels, so that two designs' steps can be compared whatever
 * numbers each design gave.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* A task as the differential names it: its label, or for an unnamed one
 * (churn, spawn) -100 - its creation index, which is the same in every
 * design until two designs diverge; -1 none, -2 unknown. */
static int label_of(const struct ex *e, int x)
{
	if (x < 0)
		return x == -2 ? -2 : -1;
	return e->t[x].label >= 0 ? e->t[x].label : -100 - x;
}

void ex_record(struct ex *e, const struct step *s, const struct step_log *lg,
		   struct obs *o)
{
	int v = s->view >= 0 ? s->view : s->cc;
	int *labels;
	uint64_t h = 0;

	memset(o, 0, sizeof *o);
	o->err = s->ret < 0 ? s->ret : 0;
	o->nr = s->ret >= 0 ? s->ret : 0;
	o->task = -1;
	o->view = v == 0 ? 0 : e->c[v].deep ? 2 : 1;
	switch (s->op->kind) {
	case WL_WAIT: case WL_KILL: case WL_KILL_IN: case WL_FIND: case WL_FIND_IN:
	case WL_SETOWN: case WL_GETPGID: case WL_GETSID:
		o->raw = s->op->pid.kind != WL_PID_ANY && !lg->symbolic &&
			 (lg->pid != 0 || s->op->kind == WL_KILL_IN);
		o->arg = lg->pid;
		break;
	case WL_SETPGID:
		/* either number passed raw: the second counts where the first
		 * did not */
		o->raw = (lg->pid != 0 && !lg->symbolic) ||
			 (lg->pid2 != 0 && !lg->symbolic2);
		o->arg = lg->pid != 0 && !lg->symbolic ? lg->pid : lg->pid2;
		break;
	default:
		break;
	}
	o->level = e->c[s->cc].level;
	switch (s->op->kind) {
	case WL_FORK: case WL_WAIT: case WL_FIND: case WL_FIND_IN:
	case WL_NOTIFY: case WL_PID_OF: case WL_RESOLVE: case WL_MIGRATE:
		o->task = label_of(e, s->x);
		o->status = s->op->kind == WL_WAIT || s->op->kind == WL_RESOLVE ? s->status : 0;
		break;
	case WL_GETPPID:
		o->task = s->ret > 0 ? label_of(e, ex_hist_task(e, s->cc, s->ret)) : -1;
		break;
	case WL_GETPGID: case WL_GETSID: case WL_SETSID:
		o->task = label_of(e, s->x);	/* the leader, when the number
						 * names a task the view sees */
		break;
	case WL_SETOWN:
		o->task = s->ret >= 0 ? label_of(e, s->owner) : -1;
		break;
	case WL_SPAWN:
	case WL_CHURN:
		o->nr = s->n;	/* how many forks succeeded */
		break;
	case WL_PS: case WL_PS_IN:
		labels = malloc(sizeof(int) * (size_t)(s->n + 1));
		if (!labels)
			abort();
		for (int i = 0; i < s->n; i++)
			labels[i] = label_of(e, ex_hist_task(e, v, e->buf[i]));
		qsort(labels, (size_t)s->n, sizeof *labels, ex_cmp_int);
		for (int i = 0; i < s->n; i++)
			h = mix(h, (uint64_t)(unsigned)labels[i]);
		o->list = mix(h, (uint64_t)s->n);
		free(labels);
		break;
	default:
		break;
	}
	h = 0;
	for (int l = 0; l < e->w->nr_tasks; l++) {
		int x = ex_task_of(e, l);

		h = mix(h, (uint64_t)(unsigned)(x >= 0 ? e->t[x].state : 7));
	}
	/* and the unnamed ones spawn made, in the order they were made */
	for (int x = 0; x < e->nt; x++)
		if (e->t[x].label < 0 && e->t[x].state != GONE)
			h = mix(h, (uint64_t)x << 8 | (unsigned)e->t[x].state);
	o->effects = h;
}
