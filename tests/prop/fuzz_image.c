/*
 * fuzz_image.c - libFuzzer target: the image decoder and restore.
 *
 * Any bytes: pidsim_image_decode() must return an image or an error, never
 * crash or leak; pidsim_restore() of the same bytes, into a small image of
 * every design, must either rebuild a tree or fail and leave the image as
 * it was (the census checks the part that can be seen cheaply).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pidsim.h"
#include "pidsim_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pidsim_image *img = NULL;
	char why[128];

	if (pidsim_image_decode(data, size, &img, why, sizeof why) == 0)
		pidsim_image_destroy(img);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const char *name = pidsim_design_at(i)->name;
		struct pidsim_census before, after;
		pidsim_kernel *k;
		pidsim_tid host, c = PIDSIM_NO_TASK;

		if (pidsim_kernel_create(name, 400, &k))
			abort();
		host = pidsim_host_init(k);
		pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c);
		pidsim_fork(k, c, 0, NULL);
		pidsim_census_get(k, &before);
		for (unsigned mode = PIDSIM_RESTORE_CONTAINER; mode <= PIDSIM_RESTORE_INTO; mode++)
			if (pidsim_restore(k, data, size, c, mode, NULL) < 0) {
				pidsim_census_get(k, &after);
				if (after.tasks != before.tasks ||
				    after.containers != before.containers) {
					fprintf(stderr, "fuzz_image: a failed restore on %s "
						"changed the census\n", name);
					abort();
				}
			} else {
				pidsim_census_get(k, &before);
			}
		pidsim_kernel_destroy(k);
	}
	return 0;
}
