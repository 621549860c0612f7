/* designs.c - the list of designs (designs.def) and lookups in it; the
 * library's version. */
#include <string.h>

#include "internal.h"

#define PIDSIM_DESIGN(name) extern const struct ps_design ps_design_##name;
#include "designs.def"
#undef PIDSIM_DESIGN

const struct ps_design *const ps_designs[] = {
#define PIDSIM_DESIGN(name) &ps_design_##name,
#include "designs.def"
#undef PIDSIM_DESIGN
};

const size_t ps_nr_designs = sizeof ps_designs / sizeof ps_designs[0];

const char *pidsim_version(void)
{
	return PIDSIM_VERSION;
}

size_t pidsim_design_count(void)
{
	return ps_nr_designs;
}

const struct pidsim_design_info *pidsim_design_at(size_t i)
{
	return i < ps_nr_designs ? &ps_designs[i]->info : NULL;
}

const struct ps_design *ps_design_find(const char *name)
{
	for (size_t i = 0; name && i < ps_nr_designs; i++)
		if (strcmp(ps_designs[i]->info.name, name) == 0)
			return ps_designs[i];
	return NULL;
}

const struct pidsim_design_info *pidsim_design_find(const char *name)
{
	const struct ps_design *d = ps_design_find(name);

	return d ? &d->info : NULL;
}
