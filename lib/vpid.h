/*
 * vpid.h - the two pid domains of PID virtualization, as two C types.
 *
 * The 2006 summary lists the danger of PID virtualization: "confusing,
 * hence dangerous, since we are maintaining different logical pid domains
 * here under the same type pid_t".  In this model an internal pid and a
 * virtual pid are distinct one-member structs, so passing one where the
 * other is meant, or comparing them, is a compile error
 * (tests/compile_fail/ checks that it is).  Crossing between the domains
 * happens only in the two conversion functions below, each of which is
 * counted.
 */
#ifndef PS_VPID_H
#define PS_VPID_H

#include "internal.h"

typedef struct { int nr; } ps_ipid;	/* internal pid: unique in the image */
typedef struct { int nr; } ps_vpid;	/* virtual pid: one container's view */

/* vpid_to_pid(): the internal pid ct knows as v; .nr 0 when none. */
ps_ipid ps_vpid_to_pid(struct pidsim_kernel *k, const struct ps_container *ct,
		       ps_vpid v);

/* pid_to_vpid(): what ct calls internal pid p; .nr 0 when ct cannot see it. */
ps_vpid ps_pid_to_vpid(struct pidsim_kernel *k, const struct ps_container *ct,
		       ps_ipid p);

#endif
