/*
 * w_migrate.c - MIGRATION: checkpoint + restore time per task and image
 * bytes per task, over the size of the migrated tree.
 *
 * >>> PLACEHOLDER.  pidsim has no migration yet (no checkpoint/restore in
 * include/pidsim.h).  When it lands, this file measures, for every design
 * that can migrate and a tree of x tasks in one container (x over 1k ..
 * 1M): checkpoint ns/task, restore ns/task into a fresh image (pids
 * preserved, as the 2006 summary requires), and image bytes/task; the
 * rows go to bench/results/migration.tsv as workload "migration" with
 * variants "checkpoint", "restore", "image-bytes", and
 * plots/migration.gp already draws them.  Until then the file says so,
 * and the chart shows "not yet implemented". <<<
 */
#include <math.h>

#include "bench.h"

void wl_migrate(void)
{
	FILE *out = results_open("migration", "tasks in the migrated tree",
		"checkpoint + restore per task, image bytes per task");

	fprintf(out, "# not implemented yet: pidsim has no migration "
		"(checkpoint/restore) API\n");
	for (size_t i = 0; i < pidsim_design_count(); i++)
		results_add_value(out, "migration", "checkpoint", 0,
				  pidsim_design_at(i)->name, "ns/task", NAN, 0,
				  "migration does not exist yet");
	results_close(out);
}
