/*
 * vpid_openvz.h - the one thing the vpid-openvz design shows beyond the
 * ops table: a container's conversion mode.  A container starts "linear"
 * (vpid = internal pid | VPID_BIT, pure arithmetic); a container whose
 * numbers cannot follow that rule, such as one restored from a checkpoint,
 * is "sparse" (a per-container vpid hash).
 */
#ifndef PS_VPID_OPENVZ_H
#define PS_VPID_OPENVZ_H

#include <stdbool.h>

#include "internal.h"

/* set_sparse_vpid(): switch ct to sparse mode, keeping every vpid.
 * 0 or -ENOMEM (ct unchanged); a sparse container stays sparse; the host
 * has no mode (-EINVAL). */
int ps_openvz_set_sparse(struct pidsim_kernel *k, struct ps_container *ct);

/* sparse_vpid(): whether ct converts through its hash. */
bool ps_openvz_is_sparse(const struct ps_container *ct);

#endif
