/*
 * print.h - a workload as a scenario file: the language of
 * include/pidsim_scenario.h (docs/scenarios.md), which `build/pidsim run`
 * replays on every design.  Tasks keep their labels (t<N>, host init is
 * "host"), weak references are r<N>, objects o<N>.  A pid is written as
 * the label of the task it named when the caller could see that task, and
 * otherwise as the number the failing run passed (a just-freed number, a
 * number from another container), with a comment saying which.  Steps the
 * language cannot say (a fork with an unknown flag, a call by a task whose
 * fork was shrunk away) are written as comments.
 */
#ifndef PROP_PRINT_H
#define PROP_PRINT_H

#include <stdio.h>

#include "exec.h"
#include "wl.h"

/* The scenario text of w (malloc'd), with log's numbers (log may be
 * NULL: labels only) and the failure why after step fail_step (-1: none),
 * preceded by the line expect (NULL: none), an `expect` that fails. */
char *wl_scenario(const struct wl *w, const struct step_log *log, int fail_step,
		  const char *design, const char *why, const char *expect);

/* 0 when text parses as a scenario, else -1 with the parser's message in
 * msg. */
int wl_scenario_check(const char *text, char *msg, size_t size);

#endif
