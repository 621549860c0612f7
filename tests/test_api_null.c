/*
 * test_api_null.c - every public function given a NULL where it takes a
 * pointer, and the values no caller should pass (contract rule 10: no
 * input crashes).  Each either handles the NULL as its comment in the
 * header says, or refuses it with -EINVAL (NULL, 0 or PIDSIM_NO_TASK where
 * it returns no error), and changes nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "pidsim.h"
#include "pidsim_image.h"
#include "pidsim_scenario.h"

/* The process calls on a NULL image: -EINVAL, whatever else is given. */
static void test_null_kernel_process_calls(void **state)
{
	pidsim_tid t = 1;
	int pids[4], status = 0;

	(void)state;
	assert_int_equal(pidsim_fork(NULL, 1, 0, &t), -EINVAL);
	assert_int_equal(t, 1);
	assert_int_equal(pidsim_exit(NULL, 1, 0), -EINVAL);
	assert_int_equal(pidsim_wait(NULL, 1, -1, &status), -EINVAL);
	assert_int_equal(pidsim_kill(NULL, 1, 1, 0), -EINVAL);
	assert_int_equal(pidsim_getpid(NULL, 1), -EINVAL);
	assert_int_equal(pidsim_getppid(NULL, 1), -EINVAL);
	assert_int_equal(pidsim_ps(NULL, 1, pids, 4), -EINVAL);
	assert_int_equal(pidsim_find(NULL, 1, 1, &t), -EINVAL);
	assert_int_equal(pidsim_pid_of(NULL, 1, 1), -EINVAL);
	assert_int_equal(pidsim_task_state(NULL, 1), -EINVAL);
	assert_int_equal(pidsim_container_of(NULL, 1, &t), -EINVAL);
	assert_int_equal(pidsim_level_of(NULL, 1), -EINVAL);
	assert_int_equal(pidsim_find_in(NULL, 1, 1, 1, &t), -EINVAL);
	assert_int_equal(pidsim_kill_in(NULL, 1, 1, 1, 0), -EINVAL);
	assert_int_equal(pidsim_ps_in(NULL, 1, 1, pids, 4), -EINVAL);
	assert_int_equal(pidsim_setown(NULL, 1, 1), -EINVAL);
	assert_int_equal(pidsim_notify(NULL, 0, 0, &t), -EINVAL);
	assert_int_equal(pidsim_owner_close(NULL, 0), -EINVAL);
	assert_int_equal(t, 1);
	assert_int_equal(status, 0);
}

/* The image's accessors on a NULL image: an error or a neutral value. */
static void test_null_kernel_accessors(void **state)
{
	struct pidsim_stats st;
	struct pidsim_census cs;

	(void)state;
	assert_null(pidsim_kernel_design(NULL));
	assert_int_equal(pidsim_kernel_pid_max(NULL), -EINVAL);
	assert_true(pidsim_host_init(NULL) == PIDSIM_NO_TASK);
	assert_int_equal(pidsim_stats_get(NULL, &st), -EINVAL);
	assert_int_equal(pidsim_census_get(NULL, &cs), -EINVAL);
	pidsim_stats_reset(NULL);
	pidsim_kernel_destroy(NULL);
	assert_null(pidsim_design_find(NULL));
	assert_null(pidsim_design_at(pidsim_design_count()));
	assert_null(pidsim_design_at((size_t)-1));
}

/* NULL where a call stores its result: -EINVAL for the counters, which
 * have nothing else to give; the optional outputs the header names are
 * skipped and the call still happens. */
static void test_null_outputs(void **state)
{
	pidsim_kernel *k;
	pidsim_tid host, child;
	struct pidsim_census cs;

	(void)state;
	assert_int_equal(pidsim_kernel_create("pidns", 0, &k), 0);
	host = pidsim_host_init(k);
	assert_int_equal(pidsim_stats_get(k, NULL), -EINVAL);
	assert_int_equal(pidsim_census_get(k, NULL), -EINVAL);
	assert_int_equal(pidsim_fork(k, host, 0, NULL), 2);
	assert_int_equal(pidsim_find(k, host, 2, NULL), 0);
	assert_int_equal(pidsim_find(k, host, 2, &child), 0);
	assert_int_equal(pidsim_container_of(k, child, NULL), 0);
	assert_int_equal(pidsim_kill(k, host, 2, 9), 0);
	assert_int_equal(pidsim_wait(k, host, 2, NULL), 2);
	assert_int_equal(pidsim_ps(k, host, NULL, 0), 1);
	assert_int_equal(pidsim_ps(k, host, NULL, 1), -EINVAL);
	assert_int_equal(pidsim_ps_in(k, host, host, NULL, 1), -EINVAL);
	assert_int_equal(pidsim_census_get(k, &cs), 0);
	assert_int_equal(cs.tasks, 1);
	pidsim_kernel_destroy(k);
}

/* Every int has a name or "E?", INT_MIN and INT_MAX included. */
static void test_errname_every_int(void **state)
{
	(void)state;
	assert_string_equal(pidsim_errname(INT_MIN), "E?");
	assert_string_equal(pidsim_errname(INT_MAX), "E?");
	assert_string_equal(pidsim_errname(INT_MIN + 1), "E?");
	assert_string_equal(pidsim_errname(-ESRCH), "ESRCH");
	assert_string_equal(pidsim_errname(ESRCH), "ESRCH");
	assert_string_equal(pidsim_errname(0), "OK");
}

/* The image calls given NULLs: -EINVAL, nothing written. */
static void test_null_image_calls(void **state)
{
	pidsim_kernel *k;
	pidsim_tid host, c;
	struct pidsim_image *img = (struct pidsim_image *)&img;
	void *buf = NULL;
	size_t len = 0;
	char why[64] = "";

	(void)state;
	assert_int_equal(pidsim_kernel_create("pidspace", 0, &k), 0);
	host = pidsim_host_init(k);
	assert_int_equal(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c), 2);
	assert_int_equal(pidsim_checkpoint(NULL, host, c, PIDSIM_CKPT_CONTAINER,
					   &buf, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, host, c, PIDSIM_CKPT_CONTAINER,
					   NULL, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, host, c, PIDSIM_CKPT_CONTAINER,
					   &buf, NULL, NULL), -EINVAL);
	assert_int_equal(pidsim_checkpoint(k, host, c, PIDSIM_CKPT_CONTAINER,
					   &buf, &len, NULL), 0);
	assert_int_equal(pidsim_restore(NULL, buf, len, host,
					PIDSIM_RESTORE_CONTAINER, NULL), -EINVAL);
	assert_int_equal(pidsim_restore(k, NULL, len, host,
					PIDSIM_RESTORE_CONTAINER, NULL), -EINVAL);
	assert_int_equal(pidsim_migrate(NULL, host, c, PIDSIM_CKPT_CONTAINER, k,
					host, PIDSIM_RESTORE_CONTAINER, NULL), -EINVAL);
	assert_int_equal(pidsim_migrate(k, host, c, PIDSIM_CKPT_CONTAINER, NULL,
					host, PIDSIM_RESTORE_CONTAINER, NULL), -EINVAL);
	assert_int_equal(pidsim_image_decode(NULL, len, &img, why, sizeof why), -EINVAL);
	assert_true(img == (struct pidsim_image *)&img);
	assert_int_equal(pidsim_image_decode(buf, len, NULL, why, sizeof why), -EINVAL);
	assert_int_equal(pidsim_image_decode(buf, len, &img, NULL, 64), 0);
	pidsim_image_print(NULL, img);
	pidsim_image_print(stdout, NULL);
	pidsim_image_destroy(img);
	pidsim_image_destroy(NULL);
	pidsim_image_free(buf);
	pidsim_image_free(NULL);
	assert_non_null(pidsim_image_strerror(INT_MIN));
	pidsim_kernel_destroy(k);
}

/* The scenario calls given NULLs: -EINVAL, nothing written. */
static void test_null_scenario_calls(void **state)
{
	struct pidsim_scenario *sc = NULL;
	struct pidsim_sc_error err;
	struct pidsim_sc_summary sum;
	static const char text[] = "fork host -> a\ngetpid a\nexpect 2(a)\n";
	void *buf = NULL;
	size_t len = 0;
	char line[64];

	(void)state;
	assert_int_equal(pidsim_sc_parse(NULL, 5, &sc, &err), -EINVAL);
	assert_int_equal(pidsim_sc_parse(text, strlen(text), NULL, &err), -EINVAL);
	assert_int_equal(pidsim_sc_parse(text, strlen(text), &sc, NULL), 0);
	assert_int_equal(pidsim_sc_format(NULL, 0, line, sizeof line), -EINVAL);
	assert_int_equal(pidsim_sc_format(sc, 0, NULL, 0), (int)strlen("fork host -> a"));
	assert_int_equal(pidsim_sc_format(sc, 0, NULL, 8), -EINVAL);
	assert_int_equal(pidsim_sc_format(sc, 99, line, sizeof line), -EINVAL);
	assert_int_equal(pidsim_sc_write(NULL, stdout), -EINVAL);
	assert_int_equal(pidsim_sc_write(sc, NULL), -EINVAL);
	assert_null(pidsim_sc_kind_name((enum pidsim_sc_kind)-1));
	assert_int_equal(pidsim_sc_run(NULL, "all", 0, NULL, &sum), -EINVAL);
	assert_int_equal(pidsim_sc_run(sc, NULL, 0, NULL, NULL), 0);
	assert_int_equal(pidsim_sc_run_image(NULL, "vpid", "x", &buf, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_sc_run_image(sc, NULL, "x", &buf, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_sc_run_image(sc, "vpid", NULL, &buf, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_sc_run_image(sc, "vpid", "x", NULL, &len, NULL), -EINVAL);
	assert_int_equal(pidsim_sc_run_image(sc, "vpid", "x", &buf, NULL, NULL), -EINVAL);
	assert_null(buf);
	pidsim_sc_free(sc);
	pidsim_sc_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_kernel_process_calls),
		cmocka_unit_test(test_null_kernel_accessors),
		cmocka_unit_test(test_null_outputs),
		cmocka_unit_test(test_errname_every_int),
		cmocka_unit_test(test_null_image_calls),
		cmocka_unit_test(test_null_scenario_calls),
	};

	return cmocka_run_group_tests_name("api: NULL and extreme arguments", tests,
					   NULL, NULL);
}
